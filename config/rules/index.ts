/** Every validation rule, in the order their findings are produced (then sorted by location). */
import type { EndpointRule, EnvironmentRule } from "./rule";

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [];

export const ENDPOINT_RULES: readonly EndpointRule[] = [];

export type { EndpointRule, EnvironmentRule } from "./rule";
