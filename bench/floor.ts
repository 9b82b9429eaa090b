/**
 * The floor: the least work that turns the config into the same Terraform JSON. It reads the same
 * files with the same YAML parser (`yaml`), merges the four layers by the same rules, maps each
 * endpoint to its resources with plain object code, and writes every stack with `JSON.stringify`.
 * No validation, no positions, no constructs, no tokens, and no duplicate-key check (yaml's own
 * `uniqueKeys` compares each key with every earlier key of its map: quadratic in the number of
 * endpoints, work the output does not need; a floor that does it is not the floor).
 * It shares only pure facts with synth (databricks/: the stack name and the default provider
 * constraint), which are data, not work.
 *
 * It writes what `npm run synth` writes, byte for byte for the configs the benchmark generates and
 * the example config (the bench test checks that), including the `//` metadata cdktf adds, so the
 * ratio synth/floor measures overhead, not a smaller output. It covers what those configs use
 * (local, s3 and remote backends; every endpoint field; apps the stack creates): it is a
 * yardstick, not a second synth.
 *
 * Run on its own: `node --require tsx/cjs bench/floor.ts --config DIR --out DIR` prints
 * `{"ms": ..., "maxRssKB": ...}`.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { providerConstraint } from "../config/provider-version";
import type { EnvironmentConfig } from "../config/schema";
import {
  DESTINATION_TYPE,
  PROVIDER_TYPE_VALUE,
  RATE_LIMIT_KEY_VALUE,
  RENEWAL_PERIOD_VALUE,
  SERVICE_GRANTS_ATTRIBUTE,
  SERVICE_RESOURCE_TYPE,
  ServiceProvider,
  ServiceRateLimitKey,
  ServiceType,
  ServiceRenewalPeriod,
} from "../databricks/ai-gateway-services";
import { appName, appOutputId, endpointName, stackName } from "../databricks";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** The cdktf version written into stack metadata (cdktf is frozen at 0.21.0). */
const CDKTF_VERSION = "0.21.0";

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The config format's merge: maps key by key, anything else replaced whole, `null` removes. */
function merge(lower: Json | undefined, upper: Json): Json {
  if (!isObj(upper)) return upper;
  const out: Obj = isObj(lower) ? { ...lower } : {};
  for (const [k, v] of Object.entries(upper)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

/** Drops undefined values, as cdktf does. */
function clean(o: Record<string, Json | undefined>): Obj {
  const out: Obj = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k] as Json;
  return out;
}

/** Recursively key-sorted, as cdktf writes (json-stable-stringify). */
function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

function renderEndpoint(env: Obj, stack: string, key: string, e: Obj): { serving: Obj; permissions?: Obj } {
  const naming = (env.naming ?? {}) as Obj;
  const routing = e.routing as Obj | undefined;
  const fallbackOrder = Array.isArray(routing?.fallback) ? (routing!.fallback as string[]) : undefined;
  let entities = e.served_entities as Obj[];
  if (fallbackOrder) entities = [...entities].sort((a, b) => fallbackOrder.indexOf(a.name as string) - fallbackOrder.indexOf(b.name as string));
  const fallback = routing?.fallback !== undefined && routing.fallback !== false;

  const servedEntities = entities.map((s) => (s.external_model ? { name: s.name, external_model: { ...(s.external_model as Obj), task: e.task as Json } } : s));
  let trafficConfig: Obj | undefined;
  if (routing?.split) {
    const split = routing.split as Obj;
    trafficConfig = { routes: entities.map((s) => ({ served_entity_name: s.name, traffic_percentage: split[s.name as string] })) };
  } else if (fallbackOrder) {
    trafficConfig = { routes: entities.map((s, i) => ({ served_entity_name: s.name, traffic_percentage: i === 0 ? 100 : 0 })) };
  }

  const g = e.ai_gateway as Obj | undefined;
  let aiGateway: Obj | undefined;
  if (g || fallback) {
    const table = g?.inference_table;
    const guard = g?.guardrails as Obj | undefined;
    const guardrail = (p: Json | undefined): Obj | undefined => (isObj(p) ? clean({ safety: p.safety, pii: p.pii ? { behavior: p.pii } : undefined }) : undefined);
    aiGateway = clean({
      usage_tracking_config: g?.usage_tracking === undefined ? undefined : { enabled: g.usage_tracking },
      inference_table_config: isObj(table) ? clean({ ...table, enabled: table.enabled ?? true }) : undefined,
      rate_limits: (g?.rate_limits as Obj[] | undefined)?.map((l) => clean({ key: l.key, principal: l.principal, calls: l.calls, tokens: l.tokens, renewal_period: "minute" })),
      guardrails: guard ? clean({ input: guardrail(guard.input), output: guardrail(guard.output) }) : undefined,
      fallback_config: fallback ? { enabled: true } : undefined,
    });
  }
  const tags = e.tags as Obj | undefined;
  const serving = clean({
    "//": { metadata: { path: `${stack}/endpoints/${key}/endpoint`, uniqueId: key } },
    name: `${naming.prefix ?? ""}${e.name ?? key}${naming.suffix ?? ""}`,
    description: e.description,
    budget_policy_id: e.budget_policy_id,
    route_optimized: e.route_optimized,
    config: clean({ served_entities: servedEntities, traffic_config: trafficConfig }),
    ai_gateway: aiGateway,
    tags: tags ? Object.keys(tags).sort().map((k) => ({ key: k, value: tags[k] })) : undefined,
    email_notifications: e.email_notifications,
    lifecycle: env.protect === true ? { prevent_destroy: true } : undefined,
  });
  const acl = e.permissions as Obj[] | undefined;
  if (!acl || acl.length === 0) return { serving };
  return {
    serving,
    permissions: {
      "//": { metadata: { path: `${stack}/endpoints/${key}/permissions/resource`, uniqueId: key } },
      serving_endpoint_id: `\${databricks_model_serving.${key}.serving_endpoint_id}`,
      access_control: acl.map((p) => clean({ group_name: p.group_name, user_name: p.user_name, service_principal_name: p.service_principal_name, permission_level: p.level })),
    },
  };
}

/** The backend block as stacks/gateway-stack.ts writes it (local state anchored at the project root). */
function renderBackend(backend: string, fields: Obj, stack: string): Obj {
  if (backend === "local") {
    const file = (fields.path as string | undefined) ?? `terraform.${stack}.tfstate`;
    return { path: path.isAbsolute(file) ? file : path.posix.join("../../..", file) };
  }
  if (backend === "s3") {
    const { role_arn: roleArn, endpoint, ...rest } = fields;
    return { ...rest, ...(roleArn !== undefined && { assume_role: { role_arn: roleArn } }), ...(endpoint !== undefined && { endpoints: { s3: endpoint } }) };
  }
  return fields;
}

const LEVELS = ["CAN_VIEW", "CAN_QUERY", "CAN_MANAGE"];

/**
 * Apps the stack creates (databricks_app), their service principals in the ACLs of bound
 * endpoints, and one output per app, as stacks/apps.ts writes them. Existing apps: their grants
 * and outputs.
 */
function renderApps(name: string, gateway: Obj, envFile: Obj, serving: Obj, permissions: Obj, output: Obj, outputIds: Obj): Obj {
  const stack = stackName(name);
  const naming = (envFile.naming ?? {}) as Obj;
  const envApps = (envFile.apps ?? {}) as Obj;
  const apps: Obj = {};
  for (const [key, own] of Object.entries((gateway.apps ?? {}) as Obj)) {
    let a: Json | undefined;
    for (const layer of [gateway.app_defaults, envFile.app_defaults, own, envApps[key]]) if (layer !== undefined && layer !== null) a = merge(a, layer);
    if (!isObj(a) || a.enabled === false) continue;
    const existing = a.existing === true;
    const bindings = (a.bindings as Obj[]).map((b) => ({ endpoint: b.endpoint as string, alias: (b.alias ?? b.endpoint) as string, level: (b.permission ?? a!.permission ?? "CAN_QUERY") as string }));
    const added = new Set<string>();
    for (const b of bindings) {
      const acl = permissions[b.endpoint] as Obj | undefined;
      if (!acl || added.has(b.endpoint)) continue;
      const entries = acl.access_control as Obj[];
      if (existing && entries.some((p) => p.service_principal_name === a!.service_principal && p.permission_level !== "CAN_VIEW")) continue;
      added.add(b.endpoint);
      const level = LEVELS[Math.max(...bindings.filter((o) => o.endpoint === b.endpoint).map((o) => LEVELS.indexOf(o.level)))];
      entries.push({ permission_level: level, service_principal_name: existing ? (a.service_principal as string) : `\${databricks_app.${key}.service_principal_client_id}` });
    }
    const endpointNames: Obj = {};
    for (const b of bindings) endpointNames[b.alias] = ((serving[b.endpoint] as Obj | undefined)?.name as string) ?? endpointName(naming, b.endpoint);
    if (!existing) {
      apps[key] = clean({
        "//": { metadata: { path: `${stack}/apps/${key}/resource`, uniqueId: key } },
        name: appName(naming, key, a as { name?: string }),
        description: a.description,
        resources: bindings.map((b) => ({ name: b.alias, serving_endpoint: { name: `\${databricks_model_serving.${b.endpoint}.name}`, permission: b.level } })),
        lifecycle: envFile.protect === true ? { prevent_destroy: true } : undefined,
      });
    }
    const id = appOutputId(key);
    output[id] = {
      description: `App "${key}" in ${name}: its name, the endpoint each alias calls, and (created here) its URL and service principal`,
      value: existing
        ? clean({ name: appName(naming, key, a as { name?: string; existing?: boolean }), managed: false, endpoints: endpointNames, service_principal_client_id: a.service_principal })
        : {
            name: `\${databricks_app.${key}.name}`,
            managed: true,
            endpoints: endpointNames,
            url: `\${databricks_app.${key}.url}`,
            service_principal_client_id: `\${databricks_app.${key}.service_principal_client_id}`,
          },
    };
    outputIds[id] = id;
  }
  return apps;
}

const ID_FIELD: Record<ServiceType, string> = { model: "model_service_id", model_provider: "model_provider_service_id", mcp: "mcp_service_id" };

function serviceLimits(limits: Json | undefined): Json | undefined {
  if (!Array.isArray(limits)) return undefined;
  return limits.map((l) => {
    const r = l as Obj;
    const tag = r.request_tag as Obj | undefined;
    return {
      key: RATE_LIMIT_KEY_VALUE[r.key as ServiceRateLimitKey],
      principal: r.principal,
      renewal_period: RENEWAL_PERIOD_VALUE[((r.renewal_period as string) ?? "minute") as ServiceRenewalPeriod],
      requests: r.requests,
      tokens: r.tokens,
      request_tag_key: tag?.key,
      request_tag_value: tag?.value,
    } as Obj;
  });
}

function serviceDestination(d: Obj): Obj {
  const common = { name: d.name, traffic_percentage: d.traffic_percentage };
  if (d.provider_service !== undefined) {
    return {
      ...common,
      destination_type: DESTINATION_TYPE.external,
      external_model_config: { model_provider_service: `\${databricks_ai_gateway_model_provider_service.${d.provider_service as string}.name}`, target: { model: d.model, native_api_types: d.native_api_types } as Obj },
    } as Obj;
  }
  if (d.pay_per_token !== undefined) return { ...common, destination_type: DESTINATION_TYPE.payPerToken, pay_per_token_config: { model: `models/${d.pay_per_token as string}` } } as Obj;
  return { ...common, destination_type: DESTINATION_TYPE.provisionedThroughput, provisioned_throughput_config: { model_serving_endpoint: `serving-endpoints/\${databricks_model_serving.${d.endpoint as string}.name}` } } as Obj;
}

function providerBlock(c: Obj): Obj {
  const secret = (v: Json | undefined) => (v === undefined ? undefined : { plaintext: v });
  const entra = c.entra as Obj | undefined;
  return {
    direct: {
      api_key: secret(c.api_key),
      base_url: c.base_url,
      organization: c.organization,
      region: c.region,
      project_id: c.project_id,
      service_credential: c.service_credential === undefined ? undefined : { name: `credentials/${c.service_credential as string}` },
      aws_access_key: c.access_key_id === undefined ? undefined : { access_key_id: c.access_key_id, secret_access_key: secret(c.secret_access_key) },
      entra_service_principal: entra && { client_id: entra.client_id, tenant_id: entra.tenant_id, client_secret: { plaintext: entra.client_secret } },
    } as Obj,
  };
}

/** The merged services of an environment (same four layers as endpoints, from service_defaults). */
function mergedServices(gateway: Obj, envFile: Obj): Array<[string, Obj]> {
  const envServices = (envFile.ai_gateway_services ?? {}) as Obj;
  const out: Array<[string, Obj]> = [];
  for (const [key, own] of Object.entries((gateway.ai_gateway_services ?? {}) as Obj)) {
    let s: Json | undefined;
    for (const layer of [gateway.service_defaults, envFile.service_defaults, own, envServices[key]]) if (layer !== undefined && layer !== null) s = merge(s, layer);
    if (isObj(s) && s.enabled !== false) out.push([key, s]);
  }
  return out;
}

/** Service resources and grants, by Terraform type. */
function renderServices(stack: string, envFile: Obj, services: Array<[string, Obj]>): Obj {
  const byType: Obj = {};
  const grants: Obj = {};
  for (const [key, s] of services) {
    const type = s.type as ServiceType;
    const id = (s.name as string | undefined) ?? key;
    const table = isObj(s.inference_table) ? { parent: `schemas/${s.inference_table.schema as string}`, table_name_prefix: s.inference_table.table_name_prefix } : undefined;
    let config: Obj;
    if (type === "model") {
      const fallbacks = (s.fallbacks ?? []) as Obj[];
      config = {
        routing: { destinations: (s.destinations as Obj[]).map(serviceDestination), fallback: fallbacks.length > 0 ? { destinations: fallbacks.map(serviceDestination) } : undefined, first_token_timeout: s.first_token_timeout } as Obj,
        rate_limits: serviceLimits(s.rate_limits),
        inference_table: table,
      } as Obj;
    } else if (type === "model_provider") {
      const provider = s.provider as ServiceProvider;
      config = {
        provider_type: PROVIDER_TYPE_VALUE[provider],
        [provider]: providerBlock(s[provider] as Obj),
        targets: (s.targets as Obj[] | undefined)?.map((t) => ({ model: t.model, native_api_types: t.native_api_types }) as Obj),
        allow_all_targets: s.allow_all_targets,
        rate_limits: serviceLimits(s.rate_limits),
        inference_table: table,
      } as Obj;
    } else {
      config = { source_connection: { name: `connections/${s.connection as string}` }, include_tool_selectors: s.include_tools, rate_limits: serviceLimits(s.rate_limits) } as Obj;
    }
    const resourceType = SERVICE_RESOURCE_TYPE[type];
    const resources = ((byType[resourceType] as Obj | undefined) ?? (byType[resourceType] = {})) as Obj;
    resources[key] = {
      "//": { metadata: { path: `${stack}/services/${key}`, uniqueId: key } },
      [ID_FIELD[type]]: id,
      parent: `schemas/${s.schema as string}`,
      comment: s.comment,
      config,
      lifecycle: envFile.protect === true ? { prevent_destroy: true } : undefined,
    } as Obj;
    if (Array.isArray(s.grants) && s.grants.length > 0) {
      grants[key] = {
        "//": { metadata: { path: `${stack}/service-grants/${key}`, uniqueId: key } },
        [SERVICE_GRANTS_ATTRIBUTE[type]]: `${s.schema as string}.${id}`,
        grant: (s.grants as Obj[]).map((g) => ({ principal: g.principal, privileges: g.privileges })),
        depends_on: [`${resourceType}.${key}`],
      };
    }
  }
  if (Object.keys(grants).length > 0) byType.databricks_grants = grants;
  return byType;
}

/** One environment's Terraform JSON (the whole cdk.tf.json document). */
export function renderStack(name: string, gateway: Obj, envFile: Obj): Obj {
  const stack = stackName(name);
  const defaults = [gateway.defaults, envFile.defaults];
  const envEndpoints = (envFile.endpoints ?? {}) as Obj;
  const serving: Obj = {};
  const permissions: Obj = {};
  const output: Obj = {};
  const outputIds: Obj = {};
  let protectedCount = 0;
  for (const [key, own] of Object.entries((gateway.endpoints ?? {}) as Obj)) {
    let e: Json | undefined;
    for (const layer of [...defaults, own, envEndpoints[key]]) if (layer !== undefined && layer !== null) e = merge(e, layer);
    if (!isObj(e) || e.enabled === false) continue;
    const r = renderEndpoint(envFile, stack, key, e);
    serving[key] = r.serving;
    if (r.permissions) permissions[key] = r.permissions;
    output[key] = {
      description: `Endpoint "${key}" in ${name}: bind apps to this name per environment`,
      value: {
        name: `\${databricks_model_serving.${key}.name}`,
        serving_endpoint_id: `\${databricks_model_serving.${key}.serving_endpoint_id}`,
        endpoint_url: `\${databricks_model_serving.${key}.endpoint_url}`,
      },
    };
    outputIds[key] = key;
    if (envFile.protect === true) protectedCount++;
  }
  const apps = renderApps(name, gateway, envFile, serving, permissions, output, outputIds);
  const { backend, ...fields } = (envFile.state ?? { backend: "local" }) as Obj;
  const backendConfig = renderBackend(backend as string, fields, stack);
  const overrides: Obj = { stack: ["terraform"] };
  if (protectedCount > 0) overrides.databricks_model_serving = new Array(protectedCount).fill("lifecycle");
  const resource: Obj = { databricks_model_serving: serving };
  if (Object.keys(permissions).length > 0) resource.databricks_permissions = permissions;
  if (Object.keys(apps).length > 0) resource.databricks_app = apps;
  const services = mergedServices(gateway, envFile);
  Object.assign(resource, renderServices(stack, envFile, services));
  const doc: Obj = {
    "//": {
      metadata: clean({ backend: backend as string, cloud: backend === "remote" ? "tfc" : undefined, overrides, stackName: stack, version: CDKTF_VERSION }),
      outputs: { [stack]: { outputs: outputIds } },
    },
    output,
    provider: { databricks: [{ host: (envFile.workspace as Obj).host }] },
    resource,
    terraform: {
      backend: { [backend as string]: backendConfig },
      required_providers: {
        databricks: { source: "databricks/databricks", version: providerConstraint({ provider: envFile.provider as EnvironmentConfig["provider"], ai_gateway_services: Object.fromEntries(services) as EnvironmentConfig["ai_gateway_services"] }) },
      },
    },
  };
  if (Object.keys(output).length === 0) delete doc.output;
  return doc;
}

/** The parser with no checks beyond YAML syntax. */
const LEAN = { uniqueKeys: false } as const;

/** Reads, merges and writes every environment of `configDir` to `<outdir>/stacks/gateway-<env>/cdk.tf.json`. */
export function floorSynth(configDir: string, outdir: string): void {
  const gateway = parse(fs.readFileSync(path.join(configDir, "gateway.yaml"), "utf8"), LEAN) as Obj;
  const envDir = path.join(configDir, "environments");
  for (const f of fs.readdirSync(envDir).filter((x) => /\.ya?ml$/.test(x)).sort()) {
    const name = f.replace(/\.ya?ml$/, "");
    const envFile = (parse(fs.readFileSync(path.join(envDir, f), "utf8"), LEAN) ?? {}) as Obj;
    const dir = path.join(outdir, "stacks", stackName(name));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(sortKeys(renderStack(name, gateway, envFile)), null, 2));
  }
}

if (require.main === module) {
  const arg = (flag: string): string => {
    const i = process.argv.indexOf(flag);
    if (i < 0 || !process.argv[i + 1]) throw new Error(`usage: floor.ts --config DIR --out DIR (missing ${flag})`);
    return process.argv[i + 1];
  };
  const started = process.hrtime.bigint();
  floorSynth(arg("--config"), arg("--out"));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ ms, maxRssKB: process.resourceUsage().maxRSS })}\n`);
}
