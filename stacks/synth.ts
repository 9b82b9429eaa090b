import { App } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";
import { GatewayStack } from "./gateway-stack";

/**
 * Synthesizes environments into `dir` (`manifest.json` and `stacks/gateway-<env>/cdk.tf.json`).
 * `npm run synth` passes a fresh staging directory (see cli/output-dir.ts, which swaps it in
 * for `cdktf.out` only when this returned).
 */
export function synthesize(environments: readonly EnvironmentConfig[], dir: string): void {
  const app = new App({ outdir: dir, stackTraces: false });
  for (const env of environments) new GatewayStack(app, env);
  app.synth();
}
