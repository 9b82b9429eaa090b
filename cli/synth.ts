/**
 * `npm run synth [-- --config DIR] [--strict]` (and cdktf.json's `app`): validate, then
 * synthesize every environment into `cdktf.out` (or `$CDKTF_OUTDIR`, which the cdktf CLI sets),
 * replacing it whole so that it is always the previous or the new complete output.
 */
import * as path from "path";
import { formatProblem, hasErrorsOrStrict, summarizeProblems, Writable } from "./report";
import { CommandHelp, CONFIG_FLAG, parseArgs, printHelpIfAsked, STRICT_FLAG, UsageError } from "./args";
import { OutputError, replaceOutput } from "./output-dir";
import { previousLocks, restoreLocks } from "./provider-locks";
import { loadConfig, resolveConfigDir } from "../config/load";
import { stackName } from "../databricks";
import { synthesize } from "../stacks/synth";

export const SYNTH_HELP: CommandHelp = {
  usage: "npm run synth [-- --config DIR] [--strict]",
  summary:
    "Validates every environment, then writes one Terraform stack per environment to\n" +
    "cdktf.out/stacks/gateway-<env>/cdk.tf.json ($CDKTF_OUTDIR when the cdktf CLI runs it), replacing\n" +
    "the output whole, and puts each committed <config>/locks/gateway-<env>.terraform.lock.hcl into its stack.",
  flags: [CONFIG_FLAG, STRICT_FLAG],
  exitCodes: [
    [0, "synthesized (warnings are printed but pass)"],
    [1, "any error (or a warning with --strict), or a bad argument: nothing is written"],
  ],
};

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
  const result = loadConfig(configDir, env);
  for (const p of result.problems) err.write(`${formatProblem(p)}\n`);
  if (hasErrorsOrStrict(result.problems, args.strict)) {
    err.write(`${summarizeProblems(result.problems)}; nothing was written.\n`);
    return 1;
  }
  // The cdktf CLI tells the app where to write; on its own the app writes to cdktf.out.
  const outdir = env.CDKTF_OUTDIR || "cdktf.out";
  const environments = result.environments.map((e) => e.config);
  const stacks = environments.map((e) => stackName(e.name));
  let lockNotices: string[] = [];
  try {
    replaceOutput(
      outdir,
      (staging) => {
        // Read while `outdir` is still the previous output; written into the new one before it is published.
        const previous = previousLocks(outdir, stacks);
        synthesize(environments, staging);
        lockNotices = restoreLocks(staging, configDir, stacks, previous, outdir);
      },
      { env },
    );
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    err.write(`error: ${e.message}\n`);
    return 1;
  }
  for (const notice of lockNotices) err.write(`${notice}\n`);
  // Since process start: module loading is part of what the user waits for.
  const seconds = process.uptime();
  for (const e of environments) {
    const n = Object.keys(e.endpoints).length;
    out.write(`  ${stackName(e.name)}: ${n} endpoint${n === 1 ? "" : "s"} -> ${path.join(outdir, "stacks", stackName(e.name), "cdk.tf.json")}\n`);
  }
  out.write(`Synthesized ${environments.length} environment(s) from ${configDir} in ${seconds.toFixed(2)} s.\n`);
  return 0;
}
