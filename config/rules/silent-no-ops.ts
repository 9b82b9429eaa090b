import type { EndpointRule, Finding } from "./rule";
import { warning } from "./rule";

/**
 * What provider 1.99 never sends or reads back differently, found in its source at v1.99.0:
 * - zero integers and false booleans are dropped from requests (`d.GetOk` in
 *   common/reflect_resource.go), so a block holding only `false` is sent as `{}`;
 * - `ai_gateway.inference_table_config.table_name_prefix` is Optional but not Computed
 *   (serving/resource_model_serving.go customizes only config.auto_capture_config), so a prefix the
 *   server fills in is read back into state and planned away on every run.
 */
export const silentNoOps: EndpointRule = {
  id: "silent-no-ops",
  what: "Values provider 1.99 never sends, or reads back as a permanent diff, are told before deploy",
  why: "a zero integer or a false-only block is dropped from the request (the server default applies instead); an inference table without table_name_prefix gets the server's default prefix, which the next plan tries to remove again",
  check(endpoint, at): Finding[] {
    const findings: Finding[] = [];
    (endpoint.served_entities ?? []).forEach((entity, i) => {
      for (const field of ["min_provisioned_throughput", "min_provisioned_concurrency"] as const) {
        if (entity[field] === 0) {
          findings.push(
            warning(
              [...at, "served_entities", i, field],
              `provider 1.99 never sends a zero "${field}" (zero integers are dropped): the server's default applies instead; remove it, or rely on scale_to_zero_enabled for scaling to zero`,
            ),
          );
        }
      }
    });
    const table = endpoint.ai_gateway?.inference_table;
    if (table && table.enabled !== false && table.table_name_prefix === undefined) {
      findings.push(
        warning(
          [...at, "ai_gateway", "inference_table"],
          `no "table_name_prefix": Databricks fills in the endpoint name and provider 1.99 reads it back, so every plan shows a change that removes it again; set table_name_prefix explicitly (the endpoint name keeps today's tables)`,
        ),
      );
    }
    for (const direction of ["input", "output"] as const) {
      const policy = endpoint.ai_gateway?.guardrails?.[direction];
      if (policy && policy.safety === false && policy.pii === undefined) {
        findings.push(
          warning(
            [...at, "ai_gateway", "guardrails", direction],
            `"${direction}" holds only safety: false, which provider 1.99 sends as an empty block (false is dropped): it does not switch off a safety filter that is on; turn it off in the workspace, or remove "${direction}"`,
          ),
        );
      }
    }
    return findings;
  },
};
