/**
 * The policy report: one row per endpoint with everything a reviewer signs off on, in words.
 * The same row for a YAML-configured and a TypeScript-written stack, since both are read from
 * the synthesized JSON.
 */
import {
  describeAcl,
  describeEntity,
  describeGuardrails,
  describeInferenceTable,
  describeLimit,
  describeRouting,
  describeTags,
  describeUsageTracking,
} from "./describe";
import type { EndpointView } from "./endpoint-view";
import type { PolicyRow } from "./types";

export function policyRow(view: EndpointView): PolicyRow {
  return {
    endpoint: view.key,
    name: view.name,
    servedEntities: view.servedEntities.map(describeEntity).join("; "),
    routing: describeRouting(view),
    limits: view.rateLimits.map(describeLimit).join("; ") || "none",
    guardrails: describeGuardrails(view),
    usageTracking: describeUsageTracking(view),
    inferenceTable: describeInferenceTable(view),
    permissions: describeAcl(view),
    tags: describeTags(view),
  };
}

export function policyReport(endpoints: Iterable<EndpointView>): PolicyRow[] {
  return [...endpoints].map(policyRow);
}
