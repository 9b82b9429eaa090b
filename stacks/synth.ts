import { App } from "cdktf";
import { collectGarbageIfLarge } from "../config/memory";
import type { EnvironmentConfig } from "../config/schema";
import { releaseTokensSince, StackManifest, synthesizeStack, tokenMark, writeManifest } from "./cdktf-internals";
import { writeAppSnippets } from "./app-snippets";
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
 * Synthesizes environments into `stagingDir` (created if missing, parent must exist): `manifest.json` and
 * `stacks/gateway-<env>/cdk.tf.json`, byte for byte what cdktf's `app.synth()` writes, and each
 * environment's app snippets in `apps/<env>/<app>/`, so they swap in with the stacks.
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
    writeAppSnippets(stagingDir, [env]);
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
 * Synthesizes environments into `dir`, as `synthesizeTo` does, without progress. `npm run synth`
 * passes a fresh staging directory (see cli/output-dir.ts, which swaps it in for `cdktf.out`
 * only when this returned).
 */
export function synthesize(environments: readonly EnvironmentConfig[], dir: string): SynthesizedEnvironment[] {
  return synthesizeTo(dir, environments);
}
