import { ADMINS_GROUP, PERMISSION_IDENTITY_FIELDS } from "../../databricks";
import { error, warning, type EndpointRule, type Finding, type Path } from "./rule";

export const permissions: EndpointRule = {
  id: "permissions",
  what: "Each permission names exactly one identity, once, and not the admins group; an empty list is flagged",
  why: "Databricks takes one identity per ACL entry; two levels for one identity drift forever; admins always has CAN_MANAGE.",
  check(endpoint, at) {
    const findings: Finding[] = [];
    if (endpoint.permissions?.length === 0) {
      findings.push(warning([...at, "permissions"], `an empty permissions list emits no ACL, so the endpoint's grants stay as they are in the workspace (it does not revoke them): list the identities that keep access, or remove the key`));
    }
    const seen = new Map<string, number>();
    (endpoint.permissions ?? []).forEach((p, i) => {
      const pAt: Path = [...at, "permissions", i];
      const ids = PERMISSION_IDENTITY_FIELDS.filter((k) => p[k] !== undefined);
      if (ids.length !== 1) {
        findings.push(error(pAt, `a permission names exactly one of group_name, user_name or service_principal_name, found ${ids.length === 0 ? "none" : ids.join(" and ")}`));
        return;
      }
      const id = `${ids[0]}=${p[ids[0]]}`;
      if (p.group_name === ADMINS_GROUP) {
        findings.push(error([...pAt, "group_name"], `the "${ADMINS_GROUP}" group always has CAN_MANAGE and cannot be set: remove this entry`));
      }
      const first = seen.get(id);
      if (first !== undefined) {
        findings.push(error(pAt, `${ids[0]} "${p[ids[0]]}" already has a level in permissions[${first}]: one level per identity (two drift forever); keep the one you mean`));
      } else {
        seen.set(id, i);
      }
    });
    return findings;
  },
};
