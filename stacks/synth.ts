import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { parseArgs, printHelpIfAsked, UsageError } from "../cli/args";
import { previousLocks, restoreLocks } from "../cli/provider-locks";
import { SYNTH_HELP } from "../cli/synth-help";
import { formatProblem, hasErrorsOrStrict, summarizeProblems, Writable } from "../cli/report";
import { loadConfig, resolveConfigDir } from "../config/load";
import type { EnvironmentConfig } from "../config/schema";
import { stackName } from "../databricks";
import { GatewayStack } from "./gateway-stack";

/**
 * Synthesizes environments into `outdir` through a temporary sibling directory that replaces
 * `outdir` only when every stack synthesized: a failed run leaves the previous output intact.
 */
export function synthesize(environments: readonly EnvironmentConfig[], outdir: string): void {
  const parent = path.dirname(path.resolve(outdir));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `${path.basename(outdir)}.tmp-`));
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    for (const env of environments) new GatewayStack(app, env);
    app.synth();
    const old = `${staging}.old`;
    if (fs.existsSync(outdir)) fs.renameSync(outdir, old);
    fs.renameSync(staging, outdir);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** `npm run synth [-- --config DIR] [--strict]`: validate, then synthesize every environment. */
export function runSynth(argv: readonly string[], env: NodeJS.ProcessEnv, out: Writable = process.stdout, err: Writable = process.stderr): number {
  if (printHelpIfAsked(argv, SYNTH_HELP, out)) return 0;
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const configDir = resolveConfigDir(args.config, env);
  const result = loadConfig(configDir);
  for (const p of result.problems) err.write(`${formatProblem(p)}\n`);
  if (hasErrorsOrStrict(result.problems, args.strict)) {
    err.write(`${summarizeProblems(result.problems)}; nothing was written.\n`);
    return 1;
  }
  // The cdktf CLI tells the app where to write; on its own the app writes to cdktf.out.
  const outdir = env.CDKTF_OUTDIR || "cdktf.out";
  const environments = result.environments.map((e) => e.config);
  const stacks = environments.map((e) => stackName(e.name));
  const locks = previousLocks(outdir, stacks);
  synthesize(environments, outdir);
  for (const notice of restoreLocks(outdir, configDir, stacks, locks)) err.write(`${notice}\n`);
  // Since process start: module loading is part of what the user waits for.
  const seconds = process.uptime();
  for (const e of environments) {
    const n = Object.keys(e.endpoints).length;
    out.write(`  ${stackName(e.name)}: ${n} endpoint${n === 1 ? "" : "s"} -> ${path.join(outdir, "stacks", stackName(e.name), "cdk.tf.json")}\n`);
  }
  out.write(`Synthesized ${environments.length} environment(s) from ${configDir} in ${seconds.toFixed(2)} s.\n`);
  return 0;
}
