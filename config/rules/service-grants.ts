import { error, Finding, ServiceRule, warning } from "./rule";

export const serviceGrants: ServiceRule = {
  id: "service-grants",
  what: "Grants on a service: one entry per principal; an empty list is not a revocation",
  why: "databricks_grants is authoritative for the service, and two entries for one principal fight each other; an empty list emits no resource, so existing grants stay.",
  check(service, at) {
    const grants = service.grants;
    if (grants === undefined) return [];
    const findings: Finding[] = [];
    if (grants.length === 0) findings.push(warning([...at, "grants"], `an empty grants list emits no databricks_grants, so the service's grants stay as they are in the workspace (it does not revoke them): list who keeps access, or remove the key`));
    const seen = new Map<string, number>();
    grants.forEach((g, i) => {
      const first = seen.get(g.principal);
      if (first !== undefined) findings.push(error([...at, "grants", i, "principal"], `"${g.principal}" already has grants[${first}]: list each principal once, with all its privileges`));
      else seen.set(g.principal, i);
      if (new Set(g.privileges).size !== g.privileges.length) findings.push(error([...at, "grants", i, "privileges"], `a privilege is listed twice`));
    });
    return findings;
  },
};
