import { formatScalar, isSecretField, stableJson } from "../format";
import type { EndpointRule, Finding } from "./rule";

/** Top-level attributes another rule compares (or that are cdktf metadata). */
const COVERED = new Set([
  "//",
  "name",
  "route_optimized",
  "description",
  "budget_policy_id",
  "email_notifications",
  "rate_limits",
  "config",
  "ai_gateway",
  "tags",
]);

export const otherAttributes: EndpointRule = {
  id: "other-attributes",
  what: "Any other attribute of databricks_model_serving",
  why: "A TypeScript stack can set attributes no rule knows; a review must not hide them.",
  check(base, head) {
    const findings: Finding[] = [];
    const keys = [...new Set([...Object.keys(base.resource), ...Object.keys(head.resource)])].sort();
    for (const key of keys) {
      if (COVERED.has(key)) continue;
      const b = base.resource[key];
      const a = head.resource[key];
      if (key === "lifecycle") {
        // prevent_destroy has its own rule; anything else in lifecycle (ignore_changes) is listed.
        const rest = (v: unknown) => stableJson({ ...(v as object), prevent_destroy: undefined });
        if (rest(b ?? {}) !== rest(a ?? {})) findings.push({ class: "neutral", what: "lifecycle (other than prevent_destroy)" });
        continue;
      }
      if (stableJson(b ?? null) === stableJson(a ?? null)) continue;
      const scalar = (v: unknown) => v === undefined || v === null || typeof v !== "object";
      if (!isSecretField(key) && scalar(b) && scalar(a)) {
        findings.push({ class: "neutral", what: key, before: formatScalar(b), after: formatScalar(a), field: [key] });
      } else {
        findings.push({ class: "neutral", what: key, field: [key] });
      }
    }
    // config holds served entities and traffic (their own rules) and possibly more.
    const config = (v: unknown) => {
      const c = { ...((v ?? {}) as Record<string, unknown>) };
      delete c.served_entities;
      delete c.served_models;
      delete c.traffic_config;
      return stableJson(c);
    };
    if (config(base.resource.config) !== config(head.resource.config)) findings.push({ class: "neutral", what: "config (other than served entities and traffic)" });
    const gateway = (v: unknown) => {
      const g = { ...((v ?? {}) as Record<string, unknown>) };
      for (const k of ["usage_tracking_config", "inference_table_config", "rate_limits", "guardrails", "fallback_config"]) delete g[k];
      return stableJson(g);
    };
    if (gateway(base.resource.ai_gateway) !== gateway(head.resource.ai_gateway)) findings.push({ class: "neutral", what: "ai_gateway (other settings)" });
    return findings;
  },
};
