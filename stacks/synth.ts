import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { parseArgs, UsageError } from "../cli/args";
import { formatProblem, hasErrorsOrStrict, summarizeProblems, Writable } from "../cli/report";
import type { ConfigProblem } from "../config/errors";
import { collectGarbageIfLarge } from "../config/memory";
import { loadConfig, resolveConfigDir } from "../config/load";
import type { EnvironmentConfig } from "../config/schema";
import { releaseTokensSince, StackManifest, synthesizeStack, tokenMark, writeManifest } from "./cdktf-internals";
import { GatewayStack } from "./gateway-stack";

/** One environment written by `synthesizeTo`. */
export interface SynthesizedEnvironment {
  readonly environment: string;
  readonly stack: string;
  readonly endpoints: number;
  /** `cdk.tf.json`, relative to the staging directory. */
  readonly file: string;
  /** 1-based position and count, for progress reports. */
  readonly index: number;
  readonly total: number;
  /** Construct, synthesize and write, in milliseconds. */
  readonly ms: number;
}

/**
 * Synthesizes environments into `stagingDir` (which must exist): `manifest.json` and
 * `stacks/gateway-<env>/cdk.tf.json`, byte for byte what cdktf's `app.synth()` writes.
 * One environment at a time: each stack is built, written and released (its constructs and its
 * tokens) before the next, so memory tracks the largest environment, not the sum.
 * `onProgress` is called after each environment. Throws on the first stack that fails
 * (construct errors, validations, error Annotations); the caller discards the staging directory.
 */
export function synthesizeTo(
  stagingDir: string,
  environments: readonly EnvironmentConfig[],
  onProgress: (done: SynthesizedEnvironment) => void = () => {},
): SynthesizedEnvironment[] {
  const app = new App({ outdir: stagingDir, stackTraces: false });
  const manifests: StackManifest[] = [];
  const done: SynthesizedEnvironment[] = [];
  environments.forEach((env, i) => {
    const started = process.hrtime.bigint();
    const mark = tokenMark();
    const stack = new GatewayStack(app, env);
    const manifest = synthesizeStack(stack, stagingDir);
    manifests.push(manifest);
    app.node.tryRemoveChild(stack.node.id);
    releaseTokensSince(mark);
    collectGarbageIfLarge();
    const result: SynthesizedEnvironment = {
      environment: env.name,
      stack: manifest.name,
      endpoints: Object.keys(env.endpoints).length,
      file: manifest.synthesizedStackPath,
      index: i + 1,
      total: environments.length,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    };
    done.push(result);
    onProgress(result);
  });
  writeManifest(stagingDir, app.manifest.version, manifests);
  return done;
}

/**
 * Synthesizes environments into `outdir` through a temporary sibling directory that replaces
 * `outdir` only when every stack synthesized: a failed run leaves the previous output intact.
 */
export function synthesize(
  environments: readonly EnvironmentConfig[],
  outdir: string,
  onProgress?: (done: SynthesizedEnvironment) => void,
): SynthesizedEnvironment[] {
  const parent = path.dirname(path.resolve(outdir));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `${path.basename(outdir)}.tmp-`));
  try {
    const done = synthesizeTo(staging, environments, onProgress);
    const old = `${staging}.old`;
    if (fs.existsSync(outdir)) fs.renameSync(outdir, old);
    fs.renameSync(staging, outdir);
    fs.rmSync(old, { recursive: true, force: true });
    return done;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

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
function loadForSynth(configDir: string): { problems: ConfigProblem[]; environments: EnvironmentConfig[] } {
  const result = loadConfig(configDir);
  return { problems: result.problems, environments: result.environments.map((e) => e.config) };
}

/** `npm run synth [-- --config DIR] [--strict] [--progress]`: validate, then synthesize every environment. */
export function runSynth(argv: readonly string[], env: NodeJS.ProcessEnv, out: Writable = process.stdout, err: Writable = process.stderr): number {
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
  const { problems, environments } = loadForSynth(configDir);
  for (const p of problems) err.write(`${formatProblem(p)}\n`);
  if (hasErrorsOrStrict(problems, args.strict)) {
    err.write(`${summarizeProblems(problems)}; nothing was written.\n`);
    return 1;
  }
  const total = environments.reduce((n, e) => n + Object.keys(e.endpoints).length, 0);
  progress(`validated ${environments.length} environment(s), ${total} endpoint(s) in ${process.uptime().toFixed(1)} s; synthesizing`);
  // The cdktf CLI tells the app where to write; on its own the app writes to cdktf.out.
  const outdir = env.CDKTF_OUTDIR || "cdktf.out";
  const written = synthesize(environments, outdir, (s) =>
    progress(`  [${s.index}/${s.total}] ${s.stack}: ${s.endpoints} endpoint${s.endpoints === 1 ? "" : "s"} in ${(s.ms / 1000).toFixed(1)} s`),
  );
  // Since process start: module loading is part of what the user waits for.
  const seconds = process.uptime();
  for (const s of written) {
    out.write(`  ${s.stack}: ${s.endpoints} endpoint${s.endpoints === 1 ? "" : "s"} -> ${path.join(outdir, s.file)}\n`);
  }
  out.write(`Synthesized ${environments.length} environment(s) from ${configDir} in ${seconds.toFixed(2)} s.\n`);
  return 0;
}
