import { bool } from "../endpoint-view";
import { formatScalar, quote } from "../format";
import type { EndpointRule, Finding } from "./rule";
import { PROVIDER, REPLACING_FIELDS } from "../../databricks";

/** What a replacement costs; said once so every replacing change explains it the same way. */
export const REPLACEMENT_ADVICE =
  "Terraform destroys and re-creates it (downtime, new serving_endpoint_id, permissions re-applied)";

export const replacement: EndpointRule = {
  id: "replacement",
  what: `A change of ${REPLACING_FIELDS.join(", ")} or resource type (kind)`,
  why: `Each forces a new resource in ${PROVIDER}: the endpoint is destroyed and created again.`,
  check(base, head) {
    const findings: Finding[] = [];
    if (base.resourceType !== head.resourceType) {
      findings.push({
        class: "replaces",
        what: "resource type (kind)",
        before: base.resourceType,
        after: head.resourceType,
        advice: `${REPLACEMENT_ADVICE}: Terraform cannot move an endpoint between resource types; to adopt the running endpoint under the new type instead, remove it from state (terraform state rm) and set import: true`,
      });
    }
    if (base.name !== head.name) {
      findings.push({
        class: "replaces",
        what: "endpoint name",
        before: quote(base.name),
        after: quote(head.name),
        advice: `${REPLACEMENT_ADVICE}; to rename without downtime, add an endpoint with the new name, move callers, then remove this one`,
        field: ["name"],
      });
    }
    // Absent is the server default, false; hand-written JSON may say "true".
    const before = bool(base.resource.route_optimized) ?? false;
    const after = bool(head.resource.route_optimized) ?? false;
    if (before !== after) {
      findings.push({
        class: "replaces",
        what: "route_optimized",
        before: formatScalar(before),
        after: formatScalar(after),
        advice: REPLACEMENT_ADVICE,
        field: ["route_optimized"],
      });
    }
    return findings;
  },
};
