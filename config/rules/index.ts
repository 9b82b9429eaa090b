/** Every validation rule, in the order their findings are produced (then sorted by location). */
import { mcpQpmOnly } from "./mcp-qpm-only";
import type { EndpointRule, EnvironmentRule, ServiceRule } from "./rule";
import { serviceCredentials } from "./service-credentials";
import { serviceDestinations } from "./service-destinations";
import { serviceFields } from "./service-fields";
import { serviceGrants } from "./service-grants";
import { serviceKeys } from "./service-keys";
import { serviceProviderVersion } from "./service-provider-version";
import { serviceRateLimits } from "./service-rate-limits";
import { serviceRouting } from "./service-routing";

/** Rules over each standalone AI Gateway service (`ai_gateway_services.<key>`). */
export const SERVICE_RULES: readonly ServiceRule[] = [serviceFields, serviceCredentials, serviceRateLimits, mcpQpmOnly, serviceRouting, serviceDestinations, serviceGrants];

/** Runs {@link SERVICE_RULES} on every service of an environment. */
const everyService: EnvironmentRule = {
  id: "services",
  what: "The service rules, on each service",
  why: "Services are checked one by one, with their environment for references.",
  check: (env) => Object.entries(env.ai_gateway_services ?? {}).flatMap(([key, service]) => SERVICE_RULES.flatMap((rule) => rule.check(service, ["ai_gateway_services", key], env))),
};

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [serviceKeys, serviceProviderVersion, everyService];

export const ENDPOINT_RULES: readonly EndpointRule[] = [];

export type { EndpointRule, EnvironmentRule, ServiceRule } from "./rule";
