/** Every validation rule, in the order their findings are produced (then sorted by location). */
import { endpointWithoutConfig } from "./endpoint-without-config";
import { provisionedThroughput } from "./provisioned-throughput";
import type { EndpointRule, EnvironmentRule } from "./rule";
import { silentNoOps } from "./silent-no-ops";
import { systemEndpoint } from "./system-endpoint";

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [systemEndpoint];

export const ENDPOINT_RULES: readonly EndpointRule[] = [endpointWithoutConfig, provisionedThroughput, silentNoOps];

export type { EndpointRule, EnvironmentRule } from "./rule";
