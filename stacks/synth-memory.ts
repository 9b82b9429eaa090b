import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { invokeAspects } from "cdktf/lib/synthesize/synthesizer";
import type { EnvironmentConfig } from "../config/schema";
import { stackName } from "../databricks";
import { GatewayStack } from "./gateway-stack";

/**
 * A stack that cannot be synthesized: a construct or cdktf validation threw (for example a base
 * config that the YAML validator of an older commit let through). The message names the stack.
 */
export class SynthesisError extends Error {}

/**
 * Synthesizes environments to Terraform JSON in memory, keyed by environment name: what
 * `synthesize` writes to `cdk.tf.json`, parsed, without writing it. The review synthesizes two
 * configs per run and only needs the objects; skipping the write and re-read keeps it fast.
 * Runs the same steps as cdktf's stack synthesizer: aspects, validations, `toTerraform()`.
 * @throws SynthesisError when a stack's constructs or validations throw.
 */
export function synthesizeInMemory(environments: readonly EnvironmentConfig[]): Record<string, unknown> {
  // cdktf's App creates its outdir eagerly; nothing is written into it here.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-synth-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    const stacks: Record<string, unknown> = {};
    for (const env of environments) {
      try {
        const stack = new GatewayStack(app, env);
        invokeAspects(stack);
        stack.runAllValidations();
        // The round trip drops undefined fields exactly as the JSON file write does.
        stacks[env.name] = JSON.parse(JSON.stringify(stack.toTerraform()));
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        // Construct errors already start with their path (`gateway-prod/endpoints/chat: ...`).
        const stack = stackName(env.name);
        throw new SynthesisError(message.startsWith(`${stack}/`) ? message : `${stack}: ${message}`, { cause: e });
      }
    }
    return stacks;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
