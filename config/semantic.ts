/**
 * Runs the validation rules (config/rules/, one per file) on the merged, schema-valid config of
 * one environment. Each rule returns findings with a path into the effective environment; the
 * loader turns the path into file:line:col of the layer that set the value.
 *
 * Rules come from shared/spec/config-format.md ("What bad input gets") and
 * shared/design/databricks-facts.md; facts marked (?) there are warnings.
 */
import type { Finding, PathSegment } from "./errors";
import { ENDPOINT_RULES, ENVIRONMENT_RULES, SERVICE_RULES } from "./rules";
import type { Endpoint, EnvironmentConfig } from "./schema";

export function checkEnvironment(env: EnvironmentConfig): Finding[] {
  const findings: Finding[] = ENVIRONMENT_RULES.flatMap((rule) => rule.check(env));
  for (const [key, endpoint] of Object.entries(env.endpoints)) findings.push(...checkEndpoint(endpoint, ["endpoints", key]));
  for (const [key, service] of Object.entries(env.ai_gateway_services ?? {})) {
    findings.push(...SERVICE_RULES.flatMap((rule) => rule.check(service, ["ai_gateway_services", key], env)));
  }
  return findings;
}

/** The rules of one endpoint on its own; also run when other parts of the environment are invalid. */
export function checkEndpoint(endpoint: Endpoint, at: ReadonlyArray<PathSegment>): Finding[] {
  return ENDPOINT_RULES.flatMap((rule) => rule.check(endpoint, at));
}
