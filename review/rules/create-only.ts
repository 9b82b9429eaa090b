import { formatScalar, stableJson } from "../format";
import type { EndpointRule, Finding } from "./rule";

/** Attributes provider 1.99 sends only when it creates the endpoint, and their YAML key. */
const CREATE_ONLY: ReadonlyArray<{ field: string; what: string; yaml?: string }> = [
  { field: "description", what: "description", yaml: "description" },
  { field: "budget_policy_id", what: "budget_policy_id", yaml: "budget_policy_id" },
  { field: "email_notifications", what: "email_notifications", yaml: "email_notifications" },
  // The deprecated top-level block: sent on create, never read back.
  { field: "rate_limits", what: "deprecated top-level rate_limits" },
];

function shown(value: unknown): string {
  if (value === undefined) return "not set";
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const parts = Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${k}: ${Array.isArray(o[k]) ? (o[k] as unknown[]).join(", ") : formatScalar(o[k])}`);
    return `{ ${parts.join("; ")} }`;
  }
  return formatScalar(value);
}

export const createOnly: EndpointRule = {
  id: "create-only",
  what: "A change of description, budget_policy_id or email_notifications",
  why: "Provider 1.99 applies them only at creation: an update is a silent no-op and a permanent diff.",
  check(base, head, context) {
    const findings: Finding[] = [];
    for (const { field, what, yaml } of CREATE_ONLY) {
      const at = yaml ? { field: [yaml] } : {};
      const before = base.resource[field];
      const after = head.resource[field];
      if (stableJson(before ?? null) === stableJson(after ?? null)) continue;
      findings.push(
        context.replaced
          ? { class: "neutral", what, before: shown(before), after: shown(after), detail: "applied because the endpoint is re-created", ...at }
          : {
              class: "not-applied",
              what,
              before: shown(before),
              after: shown(after),
              ...at,
              advice:
                "provider 1.99 sets it only when the endpoint is created, so this deploy changes nothing and every plan keeps showing the diff; make the same change in the workspace (Serving UI or REST API), or expect it to apply only when the endpoint is next re-created",
            },
      );
    }
    return findings;
  },
};
