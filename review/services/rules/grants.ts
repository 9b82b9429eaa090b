import type { GrantView } from "../view";
import type { Finding, ServiceRule } from "./rule";

/** What a set of privileges allows, cumulatively: none < MANAGE-only < EXECUTE < EXECUTE + MANAGE. */
function rank(privileges: readonly string[] | undefined): number {
  if (!privileges) return 0;
  const all = privileges.includes("ALL_PRIVILEGES");
  return (all || privileges.includes("EXECUTE") ? 2 : 0) + (all || privileges.includes("MANAGE") ? 1 : 0);
}

const UNMANAGE_ADVICE =
  "deleting databricks_grants revokes the grants it lists, it does not leave them in place; keep an explicit grants list (to stop managing grants without revoking them, first remove the databricks_grants resource from the Terraform state with terraform state rm)";

export const serviceGrants: ServiceRule = {
  id: "service-grants",
  what: "Who may query (EXECUTE) or manage (MANAGE) the service",
  why: "databricks_grants is authoritative for the service: a privilege added is access widened, one removed is access revoked.",
  check(base, head) {
    if (!base.grants && !head.grants) return [];
    if (base.grants && !head.grants) {
      return [{ class: "not-applied", what: "grants", before: `managed (${base.grants.length})`, after: "not managed", detail: "the listed grants are revoked on deploy: callers lose access", advice: UNMANAGE_ADVICE }];
    }
    const findings: Finding[] = [];
    if (!base.grants) findings.push({ class: "tightens", what: "grants", before: "not managed", after: `managed (${head.grants!.length})`, detail: "they become authoritative: privileges not listed are revoked" });
    const b = new Map<string, GrantView>((base.grants ?? []).map((g) => [g.principal, g]));
    const a = new Map<string, GrantView>(head.grants!.map((g) => [g.principal, g]));
    for (const p of [...b.keys(), ...[...a.keys()].filter((k) => !b.has(k))]) {
      const before = b.get(p)?.privileges;
      const after = a.get(p)?.privileges;
      if ((before ?? []).join(",") === (after ?? []).join(",")) continue;
      if (!base.grants && !before) continue;
      const diff = rank(after) - rank(before);
      findings.push({ class: diff > 0 ? "loosens" : diff < 0 ? "tightens" : "neutral", what: `privileges of ${p}`, before: before?.join(", ") || "none", after: after?.join(", ") || "none" });
    }
    return findings;
  },
};
