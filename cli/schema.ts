/**
 * `npm run schema [-- --config DIR]`: writes the editor JSON Schemas into `<config>/schema/`.
 * With `--check`, writes nothing and exits 1 when the committed files are out of date.
 */
import * as fs from "fs";
import * as path from "path";
import { generateSchemas, SCHEMA_DIR } from "../config/json-schema";
import { resolveConfigDir } from "../config/load";
import { parseArgs, UsageError } from "./args";
import type { Writable } from "./report";

export function runSchema(argv: readonly string[], env: NodeJS.ProcessEnv, out: Writable = process.stdout, err: Writable = process.stderr): number {
  const check = argv.includes("--check");
  let args;
  try {
    args = parseArgs(argv.filter((a) => a !== "--check"));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(`error: ${e.message} (or --check)\n`);
    return 1;
  }
  const dir = path.join(resolveConfigDir(args.config, env), SCHEMA_DIR);
  let stale = 0;
  for (const [file, content] of Object.entries(generateSchemas())) {
    const target = path.join(dir, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
    if (current === content) {
      out.write(`${target}: up to date\n`);
      continue;
    }
    if (check) {
      err.write(`${target}: out of date with config/schema.ts; run \`npm run schema\` and commit the result\n`);
      stale++;
      continue;
    }
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(target, content);
    out.write(`${target}: written\n`);
  }
  return stale > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = runSchema(process.argv.slice(2), process.env);
