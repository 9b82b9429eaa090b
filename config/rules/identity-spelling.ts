import { EndpointRule, error, Finding, Path, warning } from "./rule";

type Kind = "user" | "group" | "service principal";

interface Identity {
  readonly kind: Kind;
  readonly value: string;
  /** Where the value is written. */
  readonly at: Path;
  /** How to refer to its entry in a message: `permissions[0]`, `rate_limits[2]`. */
  readonly entry: string;
}

function identities(endpoint: Parameters<EndpointRule["check"]>[0], at: Path): Identity[][] {
  const permissions: Identity[] = [];
  (endpoint.permissions ?? []).forEach((p, i) => {
    const add = (kind: Kind, field: string, value: string | undefined) =>
      value !== undefined && permissions.push({ kind, value, at: [...at, "permissions", i, field], entry: `permissions[${i}]` });
    add("group", "group_name", p.group_name);
    add("user", "user_name", p.user_name);
    add("service principal", "service_principal_name", p.service_principal_name);
  });
  const limits: Identity[] = [];
  (endpoint.ai_gateway?.rate_limits ?? []).forEach((l, i) => {
    if (l.principal === undefined || l.key === "endpoint") return;
    const kind: Kind = l.key === "user_group" ? "group" : l.key === "service_principal" ? "service principal" : "user";
    limits.push({ kind, value: l.principal, at: [...at, "ai_gateway", "rate_limits", i, "principal"], entry: `rate_limits[${i}]` });
  });
  return [permissions, limits];
}

/**
 * Identities written twice in spellings that differ only in case, and identities with white space
 * around them. User names are e-mail addresses, which Databricks treats case-insensitively and
 * stores in lower case; group names are case-sensitive.
 */
export const identitySpelling: EndpointRule = {
  id: "identity-spelling",
  what: "An identity is written once, in the case Databricks stores it, without surrounding white space.",
  why:
    "Databricks user names are e-mail addresses, compared case-insensitively and returned in lower case by the API, so " +
    "`Alice@acme.com` and `alice@acme.com` are one user; on provider 1.99 a user_name with upper-case letters is a " +
    "permanent diff in databricks_permissions (terraform-provider-databricks#5183, fixed in 1.116 by #5757, which also " +
    "lower-cases service principal names). Group names are case-sensitive: Databricks keeps `Admins` and `admins` " +
    "as two groups (terraform-provider-databricks#3596, #3708 \"group names are case sensitive\"), so two spellings are " +
    "two groups, which is rarely meant. White space around a name matches no identity.",
  check(endpoint, at) {
    const findings: Finding[] = [];
    for (const list of identities(endpoint, at)) {
      const seen = new Map<string, Identity>();
      for (const id of list) {
        const trimmed = id.value.trim();
        if (trimmed !== id.value) {
          findings.push(error(id.at, `${id.kind} ${JSON.stringify(id.value)} has white space around it, which matches no ${id.kind}: write "${trimmed}"`));
          continue;
        }
        const key = `${id.kind}\0${id.value.toLowerCase()}`;
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, id);
          if (id.kind === "user" && id.value !== id.value.toLowerCase()) {
            findings.push(
              warning(
                id.at,
                `user "${id.value}" has upper-case letters; Databricks stores user names (e-mail addresses) in lower case and provider 1.99 compares them as written, so every plan shows a change: write "${id.value.toLowerCase()}"`,
              ),
            );
          }
          continue;
        }
        if (first.value === id.value) continue; // an exact repeat is reported by the permission and rate-limit checks
        if (id.kind === "group") {
          findings.push(
            warning(
              id.at,
              `group "${id.value}" differs from "${first.value}" in ${first.entry} only in case; Databricks group names are case-sensitive, so these are two different groups: check the spelling`,
            ),
          );
        } else {
          findings.push(
            error(
              id.at,
              `${id.kind} "${id.value}" is the same ${id.kind} as "${first.value}" in ${first.entry}: Databricks compares ${id.kind === "user" ? "user names (e-mail addresses)" : "service principal names"} case-insensitively; keep one entry, in lower case`,
            ),
          );
        }
      }
    }
    return findings;
  },
};
