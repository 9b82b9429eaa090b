import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { collectGarbageIfLarge } from "../config/memory";
import type { EnvironmentConfig } from "../config/schema";
import { stackName } from "../databricks";
import { releaseTokensSince, synthesizeStackInMemory, tokenMark } from "./cdktf-internals";
import { GatewayStack } from "./gateway-stack";

/**
 * A stack that cannot be synthesized: a construct or cdktf validation threw, or a construct
 * carries an error Annotation (for example a base config that the YAML validator of an older
 * commit let through). The message names the stack.
 */
export class SynthesisError extends Error {}

/**
 * Synthesizes environments to Terraform JSON in memory, keyed by environment name: what
 * `synthesize` writes to `cdk.tf.json`, parsed, without writing it. The review synthesizes two
 * configs per run and only needs the objects; skipping the write and re-read keeps it fast.
 * Runs the same steps as `npm run synth` (stacks/cdktf-internals.ts `synthesizeStackInMemory`):
 * prepare, aspects, validations, error Annotations (which fail it as they fail synth), then
 * `toTerraform()`. One environment at a time, each released before the next.
 * @throws SynthesisError when a stack's constructs, validations or error Annotations fail it.
 */
export function synthesizeInMemory(environments: readonly EnvironmentConfig[]): Record<string, unknown> {
  // cdktf's App creates its outdir eagerly; nothing is written into it here.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-synth-"));
  try {
    return synthesizeAll(new App({ outdir, stackTraces: false }), environments);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function synthesizeAll(app: App, environments: readonly EnvironmentConfig[]): Record<string, unknown> {
  const stacks: Record<string, unknown> = {};
  for (const env of environments) {
    const mark = tokenMark();
    try {
      const stack = new GatewayStack(app, env);
      // The round trip drops undefined fields exactly as the JSON file write does.
      stacks[env.name] = JSON.parse(JSON.stringify(synthesizeStackInMemory(stack).tf));
      app.node.tryRemoveChild(stack.node.id);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // Construct errors already start with their path (`gateway-prod/endpoints/chat: ...`).
      const stack = stackName(env.name);
      throw new SynthesisError(message.startsWith(`${stack}/`) ? message : `${stack}: ${message}`, { cause: e });
    } finally {
      releaseTokensSince(mark);
      collectGarbageIfLarge();
    }
  }
  return stacks;
}
