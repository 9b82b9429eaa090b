/**
 * `npm run schema [-- --config DIR]`: writes the editor JSON Schemas into `<config>/schema/`.
 * With `--check`, writes nothing and exits 1 when the committed files are out of date.
 */
import * as fs from "fs";
import * as path from "path";
import { generateSchemas, SCHEMA_DIR } from "../config/json-schema";
import { resolveConfigDir } from "../config/load";
import { CommandHelp, CONFIG_FLAG, parseArgs, printHelpIfAsked, UsageError } from "./args";
import type { Writable } from "./report";

export const SCHEMA_HELP: CommandHelp = {
  usage: "npm run schema [-- --config DIR] [--check]",
  summary: "Writes the editor JSON Schemas (gateway.schema.json, environment.schema.json) into <config>/schema/.",
  flags: [
    CONFIG_FLAG,
    { name: "check", help: "write nothing; exit 1 when the committed schemas are out of date" },
    { name: "strict", help: "accepted like on every command; no effect here (generating schemas has no warnings)" },
  ],
  exitCodes: [
    [0, "written, or up to date"],
    [1, "with --check: a schema is out of date; or a bad argument"],
  ],
};

export function runSchema(argv: readonly string[], env: NodeJS.ProcessEnv, out: Writable = process.stdout, err: Writable = process.stderr): number {
  if (printHelpIfAsked(argv, SCHEMA_HELP, out)) return 0;
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
