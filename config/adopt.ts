/**
 * Adoption: the JSON that `databricks serving-endpoints get NAME -o json` (or `list -o json`)
 * prints, the REST `ServingEndpointDetailed` shape, mapped to one endpoint of our YAML. Pure: no
 * files, no cdktf. cli/import.ts reads the input and merges the result into the config files.
 *
 * The mapping keeps what the API echoes and provider 1.99 reads back, so the adopted endpoint
 * plans with no changes: same fields, no server defaults written that the API would not return.
 * Whatever cannot be carried over is a note in the summary, with the reason.
 *
 * Bad input is an AdoptError with the JSON path (cli/import.ts turns it into line:col): unknown
 * fields, plaintext credentials, values of the wrong type. Nothing of a credential is echoed.
 */
import {
  ADMINS_GROUP,
  EXTERNAL_PROVIDERS,
  findCredential,
  isSystemEndpointName,
  NOT_FOR_EXTERNAL_MODELS,
  PERMISSION_IDENTITY_FIELDS,
  PERMISSION_LEVELS,
  PROVIDER_CONFIG_KEY,
  PROVIDER_CREDENTIAL_FIELDS,
  redactCredentials,
  SECRET_REFERENCE_PATTERN,
  SYSTEM_ENDPOINT_PREFIX,
} from "../databricks";
import { ENDPOINT_KEY_PATTERN, ExternalModel } from "./schema";

export type JsonPath = ReadonlyArray<string | number>;

/** Invalid input: what and where (a path into the input JSON). */
export class AdoptError extends Error {
  constructor(
    readonly path: JsonPath,
    message: string,
  ) {
    super(message);
  }
}

/** Invalid permissions input; its path starts at the root of the permissions JSON. */
export class AdoptPermissionsError extends AdoptError {}

/** One endpoint adopted: its key, its YAML (plain data, in a readable key order), and what was left out. */
export interface AdoptedEndpoint {
  readonly key: string;
  /** The name in the workspace, as the input gave it. */
  readonly workspaceName: string;
  /** The REST `id` (the permissions object id), when the input had it. */
  readonly id?: string;
  readonly endpoint: Record<string, unknown>;
  readonly notes: readonly string[];
}

export interface AdoptOptions {
  /** The environment's naming: stripped from the name to give the key. */
  readonly naming?: { readonly prefix?: string; readonly suffix?: string };
  /**
   * The effective `defaults` of the environment (gateway.yaml's, then the environment's). Every
   * default the endpoint does not have is written as `null`, so the adopted endpoint stays as it
   * is in the workspace; the notes say which.
   */
  readonly defaults?: Record<string, unknown>;
  /** The JSON of `databricks permissions get serving-endpoints ID`, for this endpoint. */
  readonly permissions?: unknown;
  /** Use this key instead of the one derived from the name. */
  readonly key?: string;
  /**
   * `provisioned_throughput`: adopt into databricks_model_serving_provisioned_throughput (the REST
   * shape does not say which resource created an endpoint). @default "serving"
   */
  readonly kind?: "serving" | "provisioned_throughput";
}

// ---- the REST shape: known fields ---------------------------------------------------------

/** A field's shape: a nested object, a list of one, a string-keyed map, a scalar, or output-only (skipped). */
type Shape = { readonly [field: string]: Shape | "scalar" | "output" | "map" | readonly [Shape | "scalar"] };

const RATE_LIMIT: Shape = { calls: "scalar", tokens: "scalar", key: "scalar", principal: "scalar", renewal_period: "scalar" };
const GUARDRAIL: Shape = { safety: "scalar", pii: { behavior: "scalar" }, invalid_keywords: ["scalar"], valid_topics: ["scalar"] };
const AI_GATEWAY: Shape = {
  usage_tracking_config: { enabled: "scalar" },
  inference_table_config: { catalog_name: "scalar", schema_name: "scalar", table_name_prefix: "scalar", enabled: "scalar" },
  rate_limits: [RATE_LIMIT],
  guardrails: { input: GUARDRAIL, output: GUARDRAIL },
  fallback_config: { enabled: "scalar" },
};

/** Config block fields of external models, from our schema (the `*_plaintext` twins are refused). */
function externalModelShape(): Shape {
  const shape: Record<string, Shape[string]> = { provider: "scalar", name: "scalar", task: "scalar" };
  for (const block of Object.values(PROVIDER_CONFIG_KEY) as string[]) {
    const inner = (ExternalModel.shape as unknown as Record<string, { unwrap(): { shape: Record<string, unknown> } }>)[block].unwrap().shape;
    const fields: Record<string, Shape[string]> = {};
    for (const field of Object.keys(inner)) fields[field] = "scalar";
    if (block === "custom_provider_config") {
      fields.api_key_auth = { key: "scalar", value: "scalar" };
      fields.bearer_token_auth = { token: "scalar" };
    }
    shape[block] = fields;
  }
  return shape;
}

const SERVED_ENTITY: Shape = {
  name: "scalar",
  entity_name: "scalar",
  entity_version: "scalar",
  workload_size: "scalar",
  workload_type: "scalar",
  scale_to_zero_enabled: "scalar",
  min_provisioned_throughput: "scalar",
  max_provisioned_throughput: "scalar",
  min_provisioned_concurrency: "scalar",
  max_provisioned_concurrency: "scalar",
  provisioned_model_units: "scalar",
  environment_vars: "map",
  instance_profile_arn: "scalar",
  external_model: externalModelShape(),
  foundation_model: "output",
  burst_scaling_enabled: "scalar",
  state: "output",
  creator: "output",
  creation_timestamp: "output",
};

const ENDPOINT: Shape = {
  name: "scalar",
  id: "scalar",
  description: "scalar",
  task: "scalar",
  budget_policy_id: "scalar",
  route_optimized: "scalar",
  email_notifications: { on_update_failure: ["scalar"], on_update_success: ["scalar"] },
  tags: [{ key: "scalar", value: "scalar" }],
  ai_gateway: AI_GATEWAY,
  rate_limits: [RATE_LIMIT],
  config: {
    served_entities: [SERVED_ENTITY],
    served_models: "output",
    traffic_config: { routes: [{ served_model_name: "scalar", served_entity_name: "scalar", traffic_percentage: "scalar" }] },
    auto_capture_config: "output",
    config_version: "output",
  },
  creator: "output",
  creation_timestamp: "output",
  last_updated_timestamp: "output",
  state: "output",
  pending_config: "output",
  permission_level: "output",
  endpoint_url: "output",
  data_plane_info: "output",
  usage_policy_id: "output",
};

const PERMISSIONS: Shape = {
  object_id: "scalar",
  object_type: "scalar",
  access_control_list: [
    {
      user_name: "scalar",
      group_name: "scalar",
      service_principal_name: "scalar",
      display_name: "output",
      all_permissions: [{ permission_level: "scalar", inherited: "scalar", inherited_from_object: ["scalar"] }],
    },
  ],
};

const GET_HINT = "Is this the JSON of `databricks serving-endpoints get NAME -o json`?";
const PERMISSIONS_HINT = "Is this the JSON of `databricks permissions get serving-endpoints ENDPOINT_ID`?";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * A JSON key as it may be shown in a message or path. A key is where a value pasted in the wrong
 * place lands, so it is judged as a value under a credential name: a known credential shape is
 * redacted to its prefix (`sk-…`), a long random-looking string to "…".
 */
export function shownKey(key: string): string {
  if (findCredential(key, "api_key") === undefined) return key;
  const redacted = redactCredentials(key);
  return redacted !== key ? redacted : "…";
}

/** Throws on the first field the shape does not know, on a `*_plaintext` credential, on a wrong container type. */
export function checkShape(value: unknown, shape: Shape, path: JsonPath, what: string, hint = GET_HINT): void {
  if (!isObject(value)) throw new AdoptError(path, `expected ${what} (a JSON object), got ${describe(value)}`);
  for (const [field, v] of Object.entries(value)) {
    const at = [...path, field];
    if (/_plaintext$/.test(field)) {
      throw new AdoptError(at, `"${shownKey(field)}" is a plaintext credential: it would land in Terraform state and plans; store it with \`databricks secrets put-secret <scope> <key>\`, set the endpoint to the {{secrets/<scope>/<key>}} reference, and export the JSON again`);
    }
    const sub = shape[field];
    if (sub === undefined) {
      const known = Object.keys(shape).join(", ");
      throw new AdoptError(at, `unknown field "${shownKey(field)}" in ${what}; expected one of: ${known}. ${hint}`);
    }
    if (sub === "output" || sub === "scalar" || v === null || v === undefined) {
      if (sub === "scalar" && v !== null && typeof v === "object") throw new AdoptError(at, `expected a single value for "${field}", got ${describe(v)}`);
      continue;
    }
    if (sub === "map") {
      if (!isObject(v)) throw new AdoptError(at, `expected an object for "${field}", got ${describe(v)}`);
      continue;
    }
    if (Array.isArray(sub)) {
      if (!Array.isArray(v)) throw new AdoptError(at, `expected a list for "${field}", got ${describe(v)}`);
      const item = sub[0];
      v.forEach((x, i) => {
        if (item === "scalar") {
          if (x !== null && typeof x === "object") throw new AdoptError([...at, i], `expected a single value, got ${describe(x)}`);
        } else checkShape(x, item as Shape, [...at, i], `"${field}[${i}]"`, hint);
      });
      continue;
    }
    checkShape(v, sub as Shape, at, `"${field}"`, hint);
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** Fields whose value is a credential (last segment): the API returns them as {{secrets/…}} references. */
const SECRET_FIELDS = new Set(EXTERNAL_PROVIDERS.flatMap((p) => PROVIDER_CREDENTIAL_FIELDS[p].map((f) => f.split(".").pop()!)));

function checkSecrets(config: Record<string, unknown>, path: JsonPath): void {
  for (const [field, v] of Object.entries(config)) {
    if (isObject(v)) checkSecrets(v, [...path, field]);
    else if (SECRET_FIELDS.has(field) && v !== undefined && v !== null && !(typeof v === "string" && SECRET_REFERENCE_PATTERN.test(v))) {
      throw new AdoptError(
        [...path, field],
        `"${field}" holds a literal credential (value not shown), not a {{secrets/<scope>/<key>}} reference: store it with \`databricks secrets put-secret <scope> <key>\` and reference it, then export again`,
      );
    }
  }
}

// ---- mapping ------------------------------------------------------------------------------

/** The endpoints in the input: one `get` object, a `list` array, or `{ "endpoints": [...] }` (the REST list response). */
export function endpointsOf(input: unknown): Array<{ value: unknown; path: JsonPath }> {
  if (Array.isArray(input)) return input.map((value, i) => ({ value, path: [i] }));
  if (isObject(input) && Object.keys(input).length === 1 && Array.isArray(input.endpoints)) {
    return input.endpoints.map((value, i) => ({ value, path: ["endpoints", i] }));
  }
  return [{ value: input, path: [] }];
}

/** The endpoint key for a workspace name: the environment's naming stripped (not from databricks-* names). */
export function keyFor(name: string, naming: AdoptOptions["naming"]): { key: string; name?: string; problem?: string } {
  if (isSystemEndpointName(name)) {
    const short = name.slice(SYSTEM_ENDPOINT_PREFIX.length);
    return ENDPOINT_KEY_PATTERN.test(short) ? { key: short, name } : { key: `_${short}`, name };
  }
  const prefix = naming?.prefix ?? "";
  const suffix = naming?.suffix ?? "";
  if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length <= prefix.length + suffix.length) {
    return {
      key: "",
      problem: `"${name}" does not carry this environment's naming (prefix "${prefix}", suffix "${suffix}"), so no endpoint key gives this name here: import it into an environment whose naming it matches, or rename it in the workspace`,
    };
  }
  const base = name.slice(prefix.length, name.length - suffix.length);
  return ENDPOINT_KEY_PATTERN.test(base) ? { key: base } : { key: `_${base}`, name: base };
}

export function adoptEndpoint(raw: unknown, path: JsonPath, options: AdoptOptions = {}): AdoptedEndpoint {
  checkShape(raw, ENDPOINT, path, "the endpoint");
  const e = raw as Record<string, any>;
  if (typeof e.name !== "string" || e.name === "") throw new AdoptError(path, `the endpoint has no "name": expected the JSON of \`databricks serving-endpoints get NAME -o json\``);
  const notes: string[] = [];
  const named = keyFor(e.name, options.naming);
  if (named.problem) throw new AdoptError([...path, "name"], named.problem);
  const key = options.key ?? named.key;
  if (!ENDPOINT_KEY_PATTERN.test(key)) throw new AdoptError([...path, "name"], `"${key}" is not a valid endpoint key ([A-Za-z_][A-Za-z0-9_-]*): pass --key`);
  const system = isSystemEndpointName(e.name);
  const out: Record<string, unknown> = {};
  const pt = options.kind === "provisioned_throughput";
  if (pt) {
    if (system) throw new AdoptError([...path, "name"], `"${e.name}" is a Databricks-hosted pay-per-token endpoint, not a provisioned-throughput one: import it without --kind`);
    out.kind = "provisioned_throughput";
  }
  if (named.name !== undefined || (options.key !== undefined && options.key !== named.key)) out.name = named.name ?? strip(e.name, options.naming);
  if (typeof e.description === "string" && e.description !== "") {
    if (pt) notes.push(`${e.name}: description is not carried over: databricks_model_serving_provisioned_throughput has no description`);
    else out.description = e.description;
  }

  const entities: any[] = e.config?.served_entities ?? [];
  if (system) {
    notes.push(`${e.name}: a Databricks-hosted endpoint: its served models stay with Databricks (no served_entities; Terraform manages ai_gateway, tags and permissions)`);
  } else if (e.config?.served_models?.length > 0 && entities.length === 0) {
    throw new AdoptError([...path, "config", "served_models"], `this endpoint still uses the legacy served_models: move it to served_entities in the workspace (same models), then export again`);
  } else if (entities.length === 0) {
    notes.push(`${e.name}: no served entities in the input (the summary of \`list\`?): adopted without served_entities, so its config stays with the workspace; use \`get\` to manage them`);
  } else {
    const task = entities.find((s) => s.external_model?.task)?.external_model.task;
    if (task !== undefined) out.task = task;
    out.served_entities = entities.map((s, i) => servedEntity(s, [...path, "config", "served_entities", i], notes, e.name));
    if (pt) {
      const bad = entities.findIndex((s) => !s.provisioned_model_units || s.external_model);
      if (bad >= 0) throw new AdoptError([...path, "config", "served_entities", bad], `not a provisioned-throughput entity (it needs provisioned_model_units and no external model): import this endpoint without --kind`);
    }
    const routing = routingOf(entities, e.config?.traffic_config, e.ai_gateway?.fallback_config, notes, e.name);
    if (routing) out.routing = routing;
  }
  if (e.config?.auto_capture_config) {
    notes.push(`${e.name}: config.auto_capture_config (legacy inference tables) is not carried over: it can no longer be enabled and the stack never writes it; use ai_gateway.inference_table`);
  }
  if (Array.isArray(e.rate_limits) && e.rate_limits.length > 0) {
    notes.push(`${e.name}: the deprecated top-level rate_limits are not carried over (provider 1.99 sends them only on create): set them under ai_gateway.rate_limits`);
  }
  const gateway = aiGatewayOf(e.ai_gateway, notes, e.name);
  if (gateway) out.ai_gateway = gateway;
  if (options.permissions !== undefined) {
    let permissions: Array<Record<string, string>>;
    try {
      permissions = permissionsOf(options.permissions, notes, e.name);
    } catch (x) {
      throw x instanceof AdoptError ? new AdoptPermissionsError(x.path, x.message) : x;
    }
    if (permissions.length > 0) out.permissions = permissions;
  }
  if (Array.isArray(e.tags) && e.tags.length > 0) {
    out.tags = Object.fromEntries(e.tags.map((t: { key: string; value?: string }) => [t.key, t.value ?? ""]));
  }
  if (typeof e.budget_policy_id === "string" && e.budget_policy_id !== "") out.budget_policy_id = e.budget_policy_id;
  const mail = e.email_notifications;
  if (mail && (mail.on_update_failure?.length || mail.on_update_success?.length)) {
    out.email_notifications = {
      ...(mail.on_update_failure?.length && { on_update_failure: mail.on_update_failure }),
      ...(mail.on_update_success?.length && { on_update_success: mail.on_update_success }),
    };
  }
  if (e.route_optimized === true && !pt) out.route_optimized = true;
  if (out.description !== undefined || out.budget_policy_id !== undefined || out.email_notifications !== undefined) {
    notes.push(`${e.name}: description, budget_policy_id and email_notifications are carried over as they are; provider 1.99 sets them only when it creates an endpoint, so change them in the workspace, not here`);
  }
  overrideDefaults(options.defaults ?? {}, out, [], notes, e.name, new Set(["description", "task", "served_entities", "routing", "name"]));
  return { key, workspaceName: e.name, id: typeof e.id === "string" ? e.id : undefined, endpoint: out, notes };
}

function strip(name: string, naming: AdoptOptions["naming"]): string {
  return name.slice((naming?.prefix ?? "").length, name.length - (naming?.suffix ?? "").length);
}

/** A served entity as written in YAML: the fields the API echoes, false/zero left out (provider 1.99 never sends them). */
function servedEntity(s: Record<string, any>, path: JsonPath, notes: string[], endpoint: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name: s.name };
  if (s.external_model) {
    const { task: _task, ...model } = s.external_model;
    checkSecrets(model, [...path, "external_model"]);
    out.external_model = dropEmpty(model);
    return out;
  }
  if (s.foundation_model && s.entity_name === undefined) {
    throw new AdoptError([...path, "foundation_model"], `a pay-per-token foundation model served by Databricks: only a databricks-* endpoint serves these, and it is adopted without served_entities`);
  }
  // The scalar fields of a custom or foundation model entity; environment_vars (a map) follows.
  for (const field of NOT_FOR_EXTERNAL_MODELS) {
    if (field === "environment_vars") continue;
    const v = s[field];
    if (v === undefined || v === null || v === false || v === 0 || v === "") continue;
    out[field] = field === "entity_version" ? String(v) : v;
  }
  if (s.environment_vars && Object.keys(s.environment_vars).length > 0) out.environment_vars = s.environment_vars;
  if (s.burst_scaling_enabled !== undefined) notes.push(`${endpoint}: served entity "${s.name}": burst_scaling_enabled is not in provider 1.99 and is not carried over`);
  return out;
}

/** traffic_config + fallback_config → our routing; undefined for one entity with all traffic (the server's default). */
function routingOf(entities: any[], traffic: any, fallback: any, notes: string[], endpoint: string): Record<string, unknown> | undefined {
  const names: string[] = entities.map((s) => s.name);
  const percent = new Map<string, number>();
  for (const r of traffic?.routes ?? []) percent.set(r.served_entity_name ?? r.served_model_name, r.traffic_percentage ?? 0);
  const failover = fallback?.enabled === true;
  if (fallback?.enabled === false) {
    notes.push(`${endpoint}: ai_gateway.fallback_config.enabled is false; the stack writes fallback_config only to enable it, so the next plan removes the disabled block (no effect on traffic)`);
  }
  const primaryOnly = names.every((n, i) => (percent.get(n) ?? 0) === (i === 0 ? 100 : 0));
  if (names.length === 1 && !failover) return undefined;
  if (failover && primaryOnly && names.length > 1) return { fallback: names };
  return { split: Object.fromEntries(names.map((n) => [n, percent.get(n) ?? 0])), ...(failover && { fallback: true }) };
}

function aiGatewayOf(g: any, notes: string[], endpoint: string): Record<string, unknown> | undefined {
  if (!g) return undefined;
  const out: Record<string, unknown> = {};
  if (g.usage_tracking_config && typeof g.usage_tracking_config.enabled === "boolean") out.usage_tracking = g.usage_tracking_config.enabled;
  const t = g.inference_table_config;
  if (t && (t.catalog_name || t.schema_name || t.table_name_prefix || t.enabled !== undefined)) {
    out.inference_table = dropEmpty({
      catalog_name: t.catalog_name,
      schema_name: t.schema_name,
      table_name_prefix: t.table_name_prefix,
      ...(t.enabled === false && { enabled: false }),
    });
  }
  if (Array.isArray(g.rate_limits) && g.rate_limits.length > 0) {
    out.rate_limits = g.rate_limits.map((l: any) =>
      dropEmpty({ key: l.key ?? "endpoint", principal: l.principal, calls: l.calls || undefined, tokens: l.tokens || undefined }),
    );
  }
  if (g.guardrails) {
    const guardrails: Record<string, unknown> = {};
    for (const direction of ["input", "output"] as const) {
      const d = g.guardrails[direction];
      if (!d) continue;
      if (d.invalid_keywords?.length || d.valid_topics?.length) {
        notes.push(`${endpoint}: guardrails.${direction}.invalid_keywords / valid_topics are deprecated and not carried over (use pii and safety); the next deploy removes them`);
      }
      const policy = dropEmpty({ safety: d.safety, pii: d.pii?.behavior });
      if (Object.keys(policy).length > 0) guardrails[direction] = policy;
    }
    if (Object.keys(guardrails).length > 0) out.guardrails = guardrails;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Permission levels the stack sets, weakest first (an entry keeps its strongest). */
const LEVEL_RANK: readonly string[] = PERMISSION_LEVELS;

/** Direct grants of the ACL, one level per identity; inherited grants and `admins` stay with the workspace. */
function permissionsOf(raw: unknown, notes: string[], endpoint: string): Array<Record<string, string>> {
  checkShape(raw, PERMISSIONS, [], "the permissions", PERMISSIONS_HINT);
  const acl: any[] = (raw as any).access_control_list ?? [];
  const out: Array<Record<string, string>> = [];
  acl.forEach((entry, i) => {
    const ids = PERMISSION_IDENTITY_FIELDS.filter((k) => typeof entry[k] === "string");
    if (ids.length !== 1) throw new AdoptError(["access_control_list", i], `an ACL entry names exactly one of ${PERMISSION_IDENTITY_FIELDS.slice(0, -1).join(", ")} or ${PERMISSION_IDENTITY_FIELDS[PERMISSION_IDENTITY_FIELDS.length - 1]}, found ${ids.length}`);
    const id = ids[0];
    if (id === "group_name" && entry.group_name === ADMINS_GROUP) {
      notes.push(`${endpoint}: the ${ADMINS_GROUP} group keeps CAN_MANAGE by itself; not listed`);
      return;
    }
    const direct: string[] = (entry.all_permissions ?? []).filter((p: any) => p.inherited !== true).map((p: any) => p.permission_level);
    const levels = direct.filter((l) => LEVEL_RANK.includes(l));
    for (const l of direct.filter((l) => !LEVEL_RANK.includes(l))) notes.push(`${endpoint}: ${id} ${entry[id]}: level ${l} is not one the stack sets (${PERMISSION_LEVELS.join(", ")}); left out`);
    if (levels.length === 0) {
      if ((entry.all_permissions ?? []).length > 0) notes.push(`${endpoint}: ${id} ${entry[id]} has only inherited access (from the workspace); not listed`);
      return;
    }
    const level = levels.sort((a, b) => LEVEL_RANK.indexOf(b) - LEVEL_RANK.indexOf(a))[0];
    out.push({ [id]: entry[id], level });
  });
  if (out.length > 0) {
    notes.push(`${endpoint}: permissions are authoritative once deployed (anyone not listed loses access); the first deploy creates databricks_permissions with these grants`);
  }
  return out;
}

/**
 * Every default the endpoint does not set becomes `null` in its YAML, so the merge does not add
 * policy the workspace does not have (maps merge key by key; lists replace whole).
 */
function overrideDefaults(defaults: Record<string, unknown>, out: Record<string, unknown>, path: string[], notes: string[], endpoint: string, skip: Set<string>): void {
  for (const [k, dv] of Object.entries(defaults)) {
    if (dv === null || dv === undefined || (path.length === 0 && skip.has(k))) continue;
    const here = [...path, k].join(".");
    if (!(k in out)) {
      out[k] = null;
      notes.push(`${endpoint}: ${here}: the default is not applied (the endpoint has none; null keeps it so): remove the null to adopt the default on a later deploy`);
    } else if (isObject(dv) && isObject(out[k])) {
      overrideDefaults(dv, out[k] as Record<string, unknown>, [...path, k], notes, endpoint, skip);
    }
  }
}

function dropEmpty(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ""));
}

/**
 * Where in the input JSON (relative to the endpoint at `endpointPath`) a field of the YAML entry
 * adoptEndpoint writes came from: `rest` is the path under `endpoints.<key>` (dotted, `[i]` for
 * list items, as ConfigProblem.path gives it). The inverse of the mapping above, as far as it
 * goes; a field with no JSON counterpart (a written `null` default, `enabled`) maps to the
 * nearest ancestor that has one, at worst the endpoint itself.
 */
export function inputPathOf(rest: string, endpointPath: JsonPath): JsonPath {
  const segs: Array<string | number> = [];
  for (const m of rest.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segs.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  const [head, ...tail] = segs;
  const at = (...p: Array<string | number>) => [...endpointPath, ...p];
  switch (head) {
    case "served_entities":
      return at("config", "served_entities", ...tail);
    case "task":
      return at("config", "served_entities");
    case "routing":
      return at("config", "traffic_config");
    case "ai_gateway": {
      const [field, ...more] = tail;
      if (field === "usage_tracking") return at("ai_gateway", "usage_tracking_config", "enabled");
      if (field === "inference_table") return at("ai_gateway", "inference_table_config", ...more);
      if (field === "guardrails" && more[1] === "pii") return at("ai_gateway", "guardrails", more[0], "pii", "behavior");
      return field === undefined ? at("ai_gateway") : at("ai_gateway", field, ...more);
    }
    case "tags":
      return at("tags");
    case "name":
    case "description":
    case "budget_policy_id":
    case "email_notifications":
    case "route_optimized":
      return at(...segs);
    default:
      return at();
  }
}
