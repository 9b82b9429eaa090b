import { endpointName, isSystemEndpointName } from "../../databricks";
import type { EnvironmentRule, Finding } from "./rule";
import { error } from "./rule";

/**
 * `databricks-*` endpoints are Databricks-hosted pay-per-token endpoints: they exist in the
 * workspace before any deploy and their served models belong to Databricks.
 */
export const systemEndpoint: EnvironmentRule = {
  id: "system-endpoint",
  what: "A databricks-* endpoint is adopted (import: true) with only ai_gateway, tags and permissions",
  why: "Terraform cannot create a Databricks-hosted endpoint (it already exists), must not send an update-config for its served models, and a change of route_optimized would destroy it (ForceNew); provider 1.99 updates tags (PATCH) and ai_gateway (PUT) of an imported endpoint in place",
  check(env): Finding[] {
    const findings: Finding[] = [];
    for (const [key, endpoint] of Object.entries(env.endpoints)) {
      const name = endpointName(env.naming, endpoint.name ?? key);
      if (!isSystemEndpointName(name)) continue;
      const at = ["endpoints", key];
      const what = `"${name}" is a Databricks-hosted pay-per-token endpoint`;
      if (endpoint.import !== true) {
        findings.push(error(at, `${what}, which exists in every workspace that has it and cannot be created: add import: true to govern it (its AI Gateway policy, tags and permissions)`));
      }
      if (endpoint.served_entities !== undefined) {
        findings.push(error([...at, "served_entities"], `${what}: its served models belong to Databricks and cannot be changed; remove "served_entities" (no config block: the workspace keeps it)`, true));
      }
      if (endpoint.kind === "provisioned_throughput") {
        findings.push(error([...at, "kind"], `${what}, not a provisioned-throughput endpoint: remove "kind"`, true));
      }
      if (endpoint.route_optimized !== undefined) {
        findings.push(error([...at, "route_optimized"], `${what}: route_optimized cannot be changed (the provider would destroy and re-create the endpoint); remove it`, true));
      }
    }
    return findings;
  },
};
