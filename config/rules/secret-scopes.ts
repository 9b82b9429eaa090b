import { error, type EnvironmentRule, type Finding } from "./rule";

export const secretScopes: EnvironmentRule = {
  id: "secret-scopes",
  what: "A secret scope lists each principal once, and an external scope has no ACLs",
  why: "databricks_secret_acl holds one permission per principal and scope (two drift forever); ACLs on a scope managed elsewhere fight that owner.",
  check(env) {
    const findings: Finding[] = [];
    for (const [key, scope] of Object.entries(env.secret_scopes ?? {})) {
      if (scope.external === true && scope.acls !== undefined) {
        findings.push(error(["secret_scopes", key, "acls"], `secret scope "${key}" is external (managed elsewhere), so its ACLs are not managed here: remove acls, or remove external: true to create the scope in this stack`));
        continue;
      }
      const seen = new Map<string, number>();
      (scope.acls ?? []).forEach((acl, i) => {
        const first = seen.get(acl.principal);
        if (first !== undefined) {
          findings.push(error(["secret_scopes", key, "acls", i, "principal"], `principal "${acl.principal}" already has a permission in acls[${first}] of secret scope "${key}": one permission per principal; keep the one you mean`));
        } else {
          seen.set(acl.principal, i);
        }
      });
    }
    return findings;
  },
};
