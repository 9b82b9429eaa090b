import { identityLabel } from "../describe";
import type { AclEntry } from "../endpoint-view";
import type { EndpointRule, Finding } from "./rule";

/** What a level allows, cumulatively: view < query < manage. */
const LEVEL_RANK: Record<string, number> = { CAN_VIEW: 1, CAN_QUERY: 2, CAN_MANAGE: 3 };

function rank(level: string | undefined): number {
  return level === undefined ? 0 : (LEVEL_RANK[level] ?? 0);
}

function byIdentity(acl: readonly AclEntry[]): Map<string, AclEntry> {
  return new Map(acl.map((a) => [`${a.kind}\u0000${a.name}`, a]));
}

const UNMANAGE_ADVICE =
  "deleting databricks_permissions does not leave the grants as they are, it resets the endpoint's ACL to admins and the deploying identity; keep an explicit permissions list (to stop managing grants without revoking them, first remove the databricks_permissions resource from the Terraform state with terraform state rm)";

export const permissions: EndpointRule = {
  id: "permissions",
  what: "Who may view, query or manage the endpoint",
  why: "databricks_permissions is authoritative: a grant added here is access widened, a grant removed is access revoked, and deleting the resource revokes every grant.",
  check(base, head) {
    if (!base.acl && !head.acl) return [];
    if (base.acl && !head.acl) {
      // Not "loosens": the deploy does not leave the grants alone, it revokes them. The config
      // reads as "stop managing the ACL" and that is not what happens, hence not-applied, which
      // needs a sign-off in every environment.
      return [
        {
          class: "not-applied",
          what: "access control list",
          before: `managed (${base.acl.length} grant${base.acl.length === 1 ? "" : "s"})`,
          after: "not managed",
          detail: "all grants revoked on deploy: callers lose access (HTTP 403)",
          advice: UNMANAGE_ADVICE,
          field: ["permissions"],
        },
      ];
    }
    const findings: Finding[] = [];
    if (!base.acl && head.acl) {
      findings.push({
        class: "tightens",
        what: "access control list",
        before: "not managed",
        after: `managed (${head.acl.length} grant${head.acl.length === 1 ? "" : "s"})`,
        detail: "it becomes authoritative: grants not listed are revoked",
        field: ["permissions"],
      });
    }
    const before = byIdentity(base.acl ?? []);
    const after = byIdentity(head.acl!);
    const ids = [...before.keys(), ...[...after.keys()].filter((id) => !before.has(id))];
    for (const id of ids) {
      const b = before.get(id);
      const a = after.get(id);
      if (b?.level === a?.level) continue;
      // Newly managed ACLs: grants that already existed unmanaged are not news, only their list is.
      if (!base.acl && a && !b) continue;
      const diff = rank(a?.level) - rank(b?.level);
      findings.push({
        class: diff > 0 ? "loosens" : diff < 0 ? "tightens" : "neutral",
        what: `permission of ${identityLabel((a ?? b)!)}`,
        before: b?.level ?? "none",
        after: a?.level ?? "none",
        field: a ? ["permissions", head.acl!.indexOf(a)] : ["permissions"],
      });
    }
    return findings;
  },
};
