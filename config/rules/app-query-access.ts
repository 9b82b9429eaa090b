import { QUERYING_LEVELS } from "../../databricks";
import { error, warning, type EnvironmentRule, type Finding } from "./rule";

export const appQueryAccess: EnvironmentRule = {
  id: "app-query-access",
  what: "Every app's service principal can query each endpoint it is bound to, and the grant can be managed without replacing anyone else's",
  why: "An app without CAN_QUERY gets 403 at run time; an existing app's grant goes into the endpoint's authoritative databricks_permissions, which only exists when the endpoint lists its permissions.",
  check(env) {
    const findings: Finding[] = [];
    for (const [key, app] of Object.entries(env.apps ?? {})) {
      const at = ["apps", key] as const;
      if (app.existing === true && app.service_principal === undefined) {
        findings.push(error([...at, "existing"], `app "${key}" is existing (not created here), so its service principal is granted query access by application id: set apps.${key}.service_principal to the app's service principal application id (databricks apps get <name> → service_principal_client_id)`));
      }
      if (app.existing !== true && app.service_principal !== undefined) {
        findings.push(error([...at, "service_principal"], `service_principal is only for existing apps: an app this stack creates gets its own service principal; remove service_principal, or set existing: true`));
      }
      app.bindings.forEach((b, i) => {
        const bAt = [...at, "bindings", i] as const;
        const level = b.permission ?? app.permission ?? "CAN_QUERY";
        if (!QUERYING_LEVELS.includes(level)) {
          const where = b.permission !== undefined ? [...bAt, "permission"] : [...at, "permission"];
          findings.push(warning(where, `app "${key}" gets ${level} on endpoint "${b.endpoint}", which cannot query it (calls fail with 403): use CAN_QUERY`));
        }
        const endpoint = Object.hasOwn(env.endpoints, b.endpoint) ? env.endpoints[b.endpoint] : undefined;
        if (!endpoint || app.existing !== true || app.service_principal === undefined) return;
        if (endpoint.permissions === undefined || endpoint.permissions.length === 0) {
          findings.push(
            error(
              [...bAt, "endpoint"],
              `existing app "${key}" cannot be granted ${level} on endpoint "${b.endpoint}": the endpoint does not list its permissions, and a databricks_permissions resource for the app alone would revoke everyone else's access; add a permissions list to endpoints.${b.endpoint} (the app's grant is added to it)`,
            ),
          );
          return;
        }
        const listed = endpoint.permissions.findIndex((p) => p.service_principal_name === app.service_principal);
        if (listed >= 0 && !QUERYING_LEVELS.includes(endpoint.permissions[listed].level)) {
          findings.push(
            error(
              ["endpoints", b.endpoint, "permissions", listed, "level"],
              `the service principal of app "${key}" is listed here with ${endpoint.permissions[listed].level}, which cannot query the endpoint the app is bound to (one level per identity): use CAN_QUERY, or remove this entry and let the binding grant it`,
            ),
          );
        }
      });
    }
    return findings;
  },
};
