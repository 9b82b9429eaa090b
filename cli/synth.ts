/**
 * `npm run synth [-- --config DIR] [--strict] [--progress]` (and cdktf.json's `app`): validate,
 * then synthesize every environment into `cdktf.out` (or `$CDKTF_OUTDIR`, which the cdktf CLI
 * sets), replacing it whole so that it is always the previous or the new complete output.
 * Environments are written one at a time (stacks/synth.ts `synthesizeTo`); on a long run each is
 * reported on stderr as it is written.
 */
import * as path from "path";
import { formatProblem, hasErrorsOrStrict, summarizeProblems, Writable } from "./report";
import { CommandHelp, CONFIG_FLAG, parseArgs, printHelpIfAsked, STRICT_FLAG, UsageError } from "./args";
import { OutputError, replaceOutput } from "./output-dir";
import { previousLocks, restoreLocks } from "./provider-locks";
import type { ConfigProblem } from "../config/errors";
import { loadConfig, resolveConfigDir } from "../config/load";
import { collectGarbageIfLarge } from "../config/memory";
import type { EnvironmentConfig } from "../config/schema";
import { stackName } from "../databricks";
import { SynthesizedEnvironment, synthesizeTo } from "../stacks/synth";

/** Progress lines start once a run has taken this long (or always with `--progress`). */
export const PROGRESS_AFTER_SECONDS = 2;

/**
 * When to print progress on stderr: always with `--progress`; otherwise only on a terminal and
 * only once the run has taken `PROGRESS_AFTER_SECONDS` (CI logs and pipes stay as they were).
 */
export function progressReporter(err: Writable, forced: boolean, uptime: () => number = process.uptime): (line: string) => void {
  const tty = (err as { isTTY?: boolean }).isTTY === true;
  return (line) => {
    if (forced || (tty && uptime() >= PROGRESS_AFTER_SECONDS)) err.write(`${line}\n`);
  };
}

/**
 * Loads and validates; returns only what synthesis needs. The located trees (positions of every
 * value, several times the size of the config) become garbage when this returns.
 */
function loadForSynth(configDir: string, env: NodeJS.ProcessEnv): { problems: ConfigProblem[]; environments: EnvironmentConfig[] } {
  const result = loadConfig(configDir, env);
  return { problems: result.problems, environments: result.environments.map((e) => e.config) };
}

export const SYNTH_HELP: CommandHelp = {
  usage: "npm run synth [-- --config DIR] [--strict] [--progress]",
  summary:
    "Validates every environment, then writes one Terraform stack per environment to\n" +
    "cdktf.out/stacks/gateway-<env>/cdk.tf.json ($CDKTF_OUTDIR when the cdktf CLI runs it), replacing\n" +
    "the output whole, and puts each committed <config>/locks/gateway-<env>.terraform.lock.hcl into its stack.",
  flags: [
    CONFIG_FLAG,
    STRICT_FLAG,
    { name: "progress", help: "print progress per environment on stderr (otherwise only on a terminal, after 2 s)" },
  ],
  exitCodes: [
    [0, "synthesized (warnings are printed but pass)"],
    [1, "any error (or a warning with --strict), or a bad argument: nothing is written"],
  ],
};

export function runSynth(argv: readonly string[], env: NodeJS.ProcessEnv, out: Writable = process.stdout, err: Writable = process.stderr): number {
  if (printHelpIfAsked(argv, SYNTH_HELP, out)) return 0;
  let args;
  try {
    args = parseArgs(argv, [], ["progress"]);
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const progress = progressReporter(err, args.flags.includes("progress"));
  const configDir = resolveConfigDir(args.config, env);
  const { problems, environments } = loadForSynth(configDir, env);
  collectGarbageIfLarge();
  for (const p of problems) err.write(`${formatProblem(p)}\n`);
  if (hasErrorsOrStrict(problems, args.strict)) {
    err.write(`${summarizeProblems(problems)}; nothing was written.\n`);
    return 1;
  }
  const total = environments.reduce((n, e) => n + Object.keys(e.endpoints).length, 0);
  progress(`validated ${environments.length} environment(s), ${total} endpoint(s) in ${process.uptime().toFixed(1)} s; synthesizing`);
  // The cdktf CLI tells the app where to write; on its own the app writes to cdktf.out.
  const outdir = env.CDKTF_OUTDIR || "cdktf.out";
  let written: SynthesizedEnvironment[] = [];
  const stacks = environments.map((e) => stackName(e.name));
  let lockNotices: string[] = [];
  try {
    replaceOutput(
      outdir,
      (staging) => {
        // Read while `outdir` is still the previous output; written into the new one before it is published.
        const previous = previousLocks(outdir, stacks);
        written = synthesizeTo(staging, environments, (s) =>
          progress(`  [${s.index}/${s.total}] ${s.stack}: ${s.endpoints} endpoint${s.endpoints === 1 ? "" : "s"} in ${(s.ms / 1000).toFixed(1)} s`),
        );
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
  for (const s of written) {
    out.write(`  ${s.stack}: ${s.endpoints} endpoint${s.endpoints === 1 ? "" : "s"} -> ${path.join(outdir, s.file)}\n`);
    const apps = Object.keys(environments.find((e) => e.name === s.environment)?.apps ?? {}).length;
    // Indented under its stack's line: one "  <stack>:" line per environment.
    if (apps > 0) out.write(`    apps: ${apps} app${apps === 1 ? "" : "s"} -> ${path.join(outdir, "apps", s.environment)}/<app>/ (app.yaml, serving.ts, .env)\n`);
  }
  out.write(`Synthesized ${environments.length} environment(s) from ${configDir} in ${seconds.toFixed(2)} s.\n`);
  return 0;
}
