/**
 * What an environment's endpoints need around them: the apps that call them (created here, or
 * existing ones granted query access), the secret scopes their credentials live in, and the
 * schemas their inference tables are written to. Config → construct props, as gateway-stack.ts
 * does for endpoints.
 */
import { Lazy, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/schema";
import { EndpointPermission, GovernedApp, GovernedEndpoint, InferenceSchema, ProvisionedThroughputEndpoint, SchemaGrant, SecretScope } from "../constructs";
import { appName, appOutputId, DEFAULT_APP_ENDPOINT_PERMISSION, endpointName, QUERYING_LEVELS, type AppServingEndpointPermission } from "../databricks";

type App = NonNullable<EnvironmentConfig["apps"]>[string];

/** The level a binding grants: its own, else the app's (or app_defaults'), else the construct's default. */
function bindingLevel(app: App, i: number): AppServingEndpointPermission {
  return app.bindings[i].permission ?? app.permission ?? DEFAULT_APP_ENDPOINT_PERMISSION;
}

/**
 * The ACL entries apps add to endpoints whose permissions this stack manages: that ACL is
 * authoritative, so an app's grant must be in it or the next apply revokes it. An existing app is
 * named by its service principal's application id; an app created here by its resource's
 * `service_principal_client_id` (resolved late: apps are built after the endpoints they name).
 * Endpoints without a permissions list get nothing: a created app's own resource grants access,
 * and an existing app there is a validation error.
 */
export function appEndpointGrants(env: EnvironmentConfig, createdApps: () => Readonly<Record<string, GovernedApp>>): Map<string, EndpointPermission[]> {
  // A Map: keys are the user's endpoint keys, which may be named like Object.prototype members.
  const grants = new Map<string, EndpointPermission[]>();
  for (const [key, app] of Object.entries(env.apps ?? {})) {
    const added = new Set<string>();
    app.bindings.forEach((b) => {
      const acl = Object.hasOwn(env.endpoints, b.endpoint) ? env.endpoints[b.endpoint].permissions : undefined;
      if (!acl || acl.length === 0 || added.has(b.endpoint)) return;
      if (app.existing === true && acl.some((p) => p.service_principal_name === app.service_principal && QUERYING_LEVELS.includes(p.level))) return;
      added.add(b.endpoint);
      const principal = app.existing === true ? app.service_principal! : Lazy.stringValue({ produce: () => createdApps()[key].servicePrincipalClientId });
      const levels = app.bindings.flatMap((other, j) => (other.endpoint === b.endpoint ? [bindingLevel(app, j)] : []));
      const level = levels.includes("CAN_MANAGE") ? "CAN_MANAGE" : levels.includes("CAN_QUERY") ? "CAN_QUERY" : "CAN_VIEW";
      grants.set(b.endpoint, [...(grants.get(b.endpoint) ?? []), { servicePrincipalName: principal, level }]);
    });
  }
  return grants;
}

/** One `databricks_app` per app this stack creates, and an `app_<key>` output per app. */
export function renderApps(
  stack: Construct,
  env: EnvironmentConfig,
  endpoints: Readonly<Record<string, GovernedEndpoint | ProvisionedThroughputEndpoint>>,
  outputScope: Construct,
): Record<string, GovernedApp> {
  const apps: Record<string, GovernedApp> = {};
  const entries = Object.entries(env.apps ?? {});
  if (entries.length === 0) return apps;
  const scope = new Construct(stack, "apps");
  for (const [key, app] of entries) {
    const name = appName(env.naming, key, app);
    const bound = Object.fromEntries(app.bindings.map((b) => [b.alias ?? b.endpoint, endpointName(env.naming, env.endpoints[b.endpoint]?.name ?? b.endpoint)]));
    let created: GovernedApp | undefined;
    if (app.existing !== true) {
      created = new GovernedApp(scope, key, {
        name,
        description: app.description,
        servingEndpoints: app.bindings.map((b, i) => ({
          key: b.alias ?? b.endpoint,
          endpointName: endpoints[b.endpoint].endpointName,
          permission: bindingLevel(app, i),
        })),
        preventDestroy: env.protect === true,
      });
      apps[key] = created;
    }
    new TerraformOutput(outputScope, appOutputId(key), {
      description: `App "${key}" in ${env.name}: its name, the endpoint each alias calls, and (created here) its URL and service principal`,
      value: {
        name: created ? created.appName : name,
        managed: created !== undefined,
        endpoints: bound,
        ...(created ? { url: created.url, service_principal_client_id: created.servicePrincipalClientId } : { service_principal_client_id: app.service_principal }),
      },
    }).overrideLogicalId(appOutputId(key));
  }
  return apps;
}

/** `databricks_secret_scope` (+ ACLs) per scope declared without `external: true`. */
export function renderSecretScopes(stack: Construct, env: EnvironmentConfig): void {
  const entries = Object.entries(env.secret_scopes ?? {}).filter(([, s]) => s.external !== true);
  if (entries.length === 0) return;
  const scope = new Construct(stack, "secret_scopes");
  for (const [key, s] of entries) new SecretScope(scope, key, { name: key, acls: s.acls?.map((a) => ({ principal: a.principal, permission: a.permission })) });
}

/**
 * One `databricks_schema` (+ `databricks_grants`) per `<catalog>.<schema>` some endpoint's
 * inference table creates; endpoints sharing a schema share it, their grants unioned. Each such
 * endpoint depends on the schema, so Terraform creates it first.
 */
export function renderInferenceSchemas(stack: Construct, env: EnvironmentConfig, endpoints: Readonly<Record<string, GovernedEndpoint | ProvisionedThroughputEndpoint>>): void {
  const wanted = new Map<string, { catalog: string; schema: string; grants: Map<string, Set<SchemaGrant["privileges"][number]>>; endpoints: string[] }>();
  for (const [key, endpoint] of Object.entries(env.endpoints)) {
    const table = endpoint.ai_gateway?.inference_table;
    if (!table || table.create_schema !== true || !table.catalog_name || !table.schema_name) continue;
    const id = `${table.catalog_name}.${table.schema_name}`;
    const entry = wanted.get(id) ?? wanted.set(id, { catalog: table.catalog_name, schema: table.schema_name, grants: new Map(), endpoints: [] }).get(id)!;
    entry.endpoints.push(key);
    for (const g of table.schema_grants ?? []) {
      const privileges = entry.grants.get(g.principal) ?? entry.grants.set(g.principal, new Set()).get(g.principal)!;
      for (const p of g.privileges) privileges.add(p);
    }
  }
  if (wanted.size === 0) return;
  const scope = new Construct(stack, "schemas");
  for (const [, w] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const logicalId = `${w.catalog}_${w.schema}`.replace(/[^A-Za-z0-9_-]/g, "_");
    const created = new InferenceSchema(scope, logicalId, {
      catalogName: w.catalog,
      schemaName: w.schema,
      comment: "AI Gateway inference tables (ai-gateway-stack)",
      grants: [...w.grants].map(([principal, privileges]) => ({ principal, privileges: [...privileges] })),
      preventDestroy: env.protect === true,
    });
    for (const key of w.endpoints) endpoints[key].endpoint.dependsOn = [...(endpoints[key].endpoint.dependsOn ?? []), created.schema.fqn];
  }
}
