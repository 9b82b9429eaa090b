import { formatScalar, stableJson } from "../format";
import type { EndpointRule, Finding } from "./rule";
import { CREATE_ONLY_FIELDS, DEPRECATED_CREATE_ONLY_FIELDS, PROVIDER, PROVIDER_CAPITALIZED } from "../../databricks";

/** Attributes the provider sends only when it creates the endpoint; the YAML key has the same name. */
const CREATE_ONLY: ReadonlyArray<{ field: string; what: string; yaml?: string }> = [
  ...CREATE_ONLY_FIELDS.map((field) => ({ field, what: field, yaml: field })),
  // The deprecated top-level block: sent on create, never read back; not in the YAML.
  ...DEPRECATED_CREATE_ONLY_FIELDS.map((field) => ({ field, what: `deprecated top-level ${field}` })),
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
  what: `A change of ${CREATE_ONLY_FIELDS.slice(0, -1).join(", ")} or ${CREATE_ONLY_FIELDS[CREATE_ONLY_FIELDS.length - 1]}`,
  why: `${PROVIDER_CAPITALIZED} applies them only at creation: an update is a silent no-op and a permanent diff.`,
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
              advice: `${PROVIDER} sets it only when the endpoint is created, so this deploy changes nothing and every plan keeps showing the diff; make the same change in the workspace (Serving UI or REST API), or expect it to apply only when the endpoint is next re-created`,
            },
      );
    }
    return findings;
  },
};
