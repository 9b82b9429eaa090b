import { isSystemEndpointName } from "../../databricks/system-endpoints";
import type { EndpointRule, Finding, Path } from "./rule";
import { error } from "./rule";

/**
 * No `served_entities` means no `config` block: Terraform leaves the served models as the
 * workspace has them. That only makes sense for an endpoint that already exists.
 */
export const endpointWithoutConfig: EndpointRule = {
  id: "endpoint-without-config",
  what: "An endpoint without served_entities must be adopted (import: true), and then takes no routing or task",
  why: "provider 1.99 makes `config` Optional+Computed: leaving it out of an imported endpoint keeps the workspace's served models untouched (only ai_gateway and tags are managed); creating an endpoint with nothing to serve is never what was meant",
  check(endpoint, at): Finding[] {
    if (endpoint.served_entities !== undefined) return [];
    const findings: Finding[] = [];
    if (endpoint.kind === "provisioned_throughput") {
      findings.push(error(at, `a provisioned_throughput endpoint needs "served_entities" (entity_name, entity_version, provisioned_model_units): the provider requires its config`));
    } else if (endpoint.import !== true && !isSystemEndpointName(endpoint.name ?? String(at[at.length - 1]))) {
      // A databricks-* endpoint gets its own, more precise message (rule system-endpoint).
      findings.push(
        // At the key's path: a `served_entities: null` in an environment file is reported on that line.
        error(
          [...at, "served_entities"],
          `"served_entities" is missing: list what the endpoint serves, or, to govern an endpoint that already exists (such as a Databricks-hosted databricks-* endpoint) without managing its served models, add import: true`,
        ),
      );
    }
    // Without import the missing list is the one mistake to report; with it, these have nothing to act on.
    for (const key of ["routing", "task"] as const) {
      if (endpoint.import === true && endpoint[key] !== undefined) {
        const where: Path = [...at, key];
        findings.push(error(where, `"${key}" needs "served_entities": without them the endpoint's config stays as the workspace has it; remove "${key}"`, true));
      }
    }
    return findings;
  },
};
