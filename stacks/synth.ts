import { App } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";
import { writeAppSnippets } from "./app-snippets";
import { GatewayStack } from "./gateway-stack";

/**
 * Synthesizes environments into `dir` (`manifest.json`, `stacks/gateway-<env>/cdk.tf.json`, and
 * each environment's app snippets in `apps/<env>/<app>/`, so they swap in with the stacks).
 * `npm run synth` passes a fresh staging directory (see cli/output-dir.ts, which swaps it in
 * for `cdktf.out` only when this returned).
 */
export function synthesize(environments: readonly EnvironmentConfig[], dir: string): void {
  const app = new App({ outdir: dir, stackTraces: false });
  for (const env of environments) new GatewayStack(app, env);
  app.synth();
  writeAppSnippets(dir, environments);
}
