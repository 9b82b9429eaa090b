/**
 * The package's entry (`import { GovernedEndpoint, GatewayStack, loadConfig } from "ai-gateway-stack"`):
 * the typed constructs, the stack that builds a whole environment from validated config, and the
 * config loader. Subpaths: `ai-gateway-stack/constructs`, `ai-gateway-stack/config`,
 * `ai-gateway-stack/stacks`. Built to dist/ by `npm run build`.
 */
export * from "./constructs";
export { GatewayStack } from "./stacks/gateway-stack";
export { loadConfig, resolveConfigDir } from "./config/load";
export type { LoadResult, LoadedEnvironment } from "./config/load";
export type { EnvironmentConfig, Endpoint } from "./config/schema";
export type { ConfigProblem } from "./config/errors";
export { formatProblem } from "./config/errors";
export { deployOrder } from "./config/deploy-order";
