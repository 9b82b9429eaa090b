/**
 * Reads the endpoints of one synthesized stack (`cdk.tf.json`) into a normalized view the rules
 * compare: `resource.databricks_model_serving`, `resource.databricks_model_serving_provisioned_throughput`
 * and the `resource.databricks_permissions` that govern one (see `endpointAddresses`). Every other
 * resource and block is reviewed by review/resources/, by field name: provider and backend values
 * never reach a review.
 *
 * Absent and "off" are normalized here once (no guardrail block = safety off, PII not set), so
 * every rule compares meaning, not JSON shape.
 */

import { entityKind, type EntityKind } from "../databricks";

export type Json = unknown;
type Obj = Record<string, unknown>;

export type { PiiBehavior } from "../databricks";

export interface RateLimitView {
  /** `endpoint` when absent, as Databricks defaults it. */
  readonly key: string;
  readonly principal?: string;
  readonly calls?: number;
  readonly tokens?: number;
  readonly renewalPeriod?: string;
}

export interface GuardrailView {
  readonly safety: boolean;
  /** Undefined when not set (behaves as NONE). */
  readonly pii?: string;
}

export interface InferenceTableView {
  readonly catalog: string;
  readonly schema: string;
  /** Undefined: the server uses the endpoint name. */
  readonly prefix?: string;
  readonly enabled: boolean;
}

export interface ServedEntityView {
  readonly name: string;
  readonly kind: EntityKind;
  /** The served entity block as synthesized (read by rules; never printed whole). */
  readonly raw: Obj;
}

export type IdentityKind = "group" | "user" | "service principal";

export interface AclEntry {
  readonly kind: IdentityKind;
  readonly name: string;
  readonly level: string;
}

export interface EndpointView {
  /** Terraform logical id (the endpoint key). */
  readonly key: string;
  readonly name: string;
  readonly servedEntities: readonly ServedEntityView[];
  /** `traffic_config.routes`; undefined when the server defaults traffic. */
  readonly routes?: ReadonlyArray<{ readonly entity: string; readonly percentage: number }>;
  readonly fallback: boolean;
  readonly hasAiGateway: boolean;
  /** Undefined when not managed. */
  readonly usageTracking?: boolean;
  /** Undefined when no `inference_table_config` block. */
  readonly inferenceTable?: InferenceTableView;
  readonly rateLimits: readonly RateLimitView[];
  readonly guardrails: { readonly input: GuardrailView; readonly output: GuardrailView };
  /** Undefined when no `databricks_permissions` resource manages the ACL. */
  readonly acl?: readonly AclEntry[];
  /** Sorted by key. */
  readonly tags: ReadonlyArray<readonly [string, string]>;
  readonly preventDestroy: boolean;
  /** The endpoint resource as synthesized (read by rules; never printed whole). */
  readonly resource: Obj;
  /** Its Terraform type: a change of type destroys one endpoint and creates another. */
  readonly resourceType: EndpointResourceType;
}

/** The Terraform resource types that are serving endpoints, by logical id = endpoint key. */
export const ENDPOINT_RESOURCE_TYPES = ["databricks_model_serving", "databricks_model_serving_provisioned_throughput"] as const;
export type EndpointResourceType = (typeof ENDPOINT_RESOURCE_TYPES)[number];

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/** Terraform booleans may be written as strings in hand-written JSON. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/**
 * The endpoint key a permissions resource governs: from its `serving_endpoint_id` reference
 * (`${databricks_model_serving.K.serving_endpoint_id}` or `.id`), else its own logical id.
 */
function permissionsTarget(logicalId: string, resource: Obj): string {
  const ref = str(resource.serving_endpoint_id);
  const match = ref && /^\$\{databricks_model_serving(?:_provisioned_throughput)?\.([^.}]+)\.(?:serving_endpoint_id|id)\}$/.exec(ref);
  return match ? match[1] : logicalId;
}

function guardrail(v: unknown): GuardrailView {
  const g = obj(v);
  return { safety: bool(g.safety) === true, pii: str(obj(g.pii).behavior) };
}

function aclOf(resource: Obj): AclEntry[] {
  const entries: AclEntry[] = [];
  for (const item of arr(resource.access_control)) {
    const a = obj(item);
    const level = str(a.permission_level) ?? "(no level)";
    if (str(a.group_name) !== undefined) entries.push({ kind: "group", name: a.group_name as string, level });
    else if (str(a.user_name) !== undefined) entries.push({ kind: "user", name: a.user_name as string, level });
    else if (str(a.service_principal_name) !== undefined) {
      entries.push({ kind: "service principal", name: a.service_principal_name as string, level });
    }
  }
  return entries;
}

function endpointView(key: string, resource: Obj, acl: AclEntry[] | undefined, resourceType: EndpointResourceType): EndpointView {
  const config = obj(resource.config);
  const gateway = obj(resource.ai_gateway);
  const table = isObj(gateway.inference_table_config) ? gateway.inference_table_config : undefined;
  const routes = isObj(config.traffic_config)
    ? arr(config.traffic_config.routes).map((r) => ({
        entity: str(obj(r).served_entity_name) ?? str(obj(r).served_model_name) ?? "?",
        percentage: num(obj(r).traffic_percentage) ?? 0,
      }))
    : undefined;
  const entities = [...arr(config.served_entities), ...arr(config.served_models)].map((e) => {
    const raw = obj(e);
    return { name: str(raw.name) ?? "?", kind: entityKind(raw), raw };
  });
  return {
    key,
    name: str(resource.name) ?? key,
    servedEntities: entities,
    routes,
    fallback: bool(obj(gateway.fallback_config).enabled) === true,
    hasAiGateway: isObj(resource.ai_gateway),
    usageTracking: isObj(gateway.usage_tracking_config) ? bool(gateway.usage_tracking_config.enabled) : undefined,
    inferenceTable: table && {
      catalog: str(table.catalog_name) ?? "",
      schema: str(table.schema_name) ?? "",
      prefix: str(table.table_name_prefix),
      // The provider's default when the block is present.
      enabled: bool(table.enabled) ?? true,
    },
    rateLimits: arr(gateway.rate_limits).map((l) => {
      const r = obj(l);
      return {
        key: str(r.key) ?? "endpoint",
        principal: str(r.principal),
        calls: num(r.calls),
        tokens: num(r.tokens),
        renewalPeriod: str(r.renewal_period),
      };
    }),
    guardrails: { input: guardrail(obj(gateway.guardrails).input), output: guardrail(obj(gateway.guardrails).output) },
    acl,
    tags: arr(resource.tags)
      .map((t) => [str(obj(t).key) ?? "", String(obj(t).value ?? "")] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    preventDestroy: bool(obj(resource.lifecycle).prevent_destroy) === true,
    resource,
    resourceType,
  };
}

/**
 * One endpoint as found in a stack, with its view built on first use: a review compares raw
 * resources first and builds views only for endpoints that changed (and for the report).
 */
export class EndpointEntry {
  private cached?: EndpointView;

  constructor(
    readonly key: string,
    readonly resource: Obj,
    readonly acl: AclEntry[] | undefined,
    readonly resourceType: EndpointResourceType = "databricks_model_serving",
    /** The stack imports it (`import` block): it runs already and is adopted, not created. */
    readonly imported = false,
  ) {}

  get name(): string {
    return str(this.resource.name) ?? this.key;
  }

  get preventDestroy(): boolean {
    return bool(obj(this.resource.lifecycle).prevent_destroy) === true;
  }

  get view(): EndpointView {
    return (this.cached ??= endpointView(this.key, this.resource, this.acl, this.resourceType));
  }
}

const aclCache = new WeakMap<Obj, { acls: Map<string, AclEntry[]>; addresses: string[] }>();

/** Endpoint permissions by the endpoint key they govern, with their addresses (read once per stack). */
function endpointAcls(resources: Obj): { acls: Map<string, AclEntry[]>; addresses: string[] } {
  const cached = aclCache.get(resources);
  if (cached) return cached;
  const result = readEndpointAcls(resources);
  aclCache.set(resources, result);
  return result;
}

function isEndpointKey(resources: Obj, key: string): boolean {
  return ENDPOINT_RESOURCE_TYPES.some((type) => isObj(obj(resources[type])[key]));
}

function readEndpointAcls(resources: Obj): { acls: Map<string, AclEntry[]>; addresses: string[] } {
  const acls = new Map<string, AclEntry[]>();
  const addresses: string[] = [];
  for (const [id, r] of Object.entries(obj(resources.databricks_permissions))) {
    const resource = obj(r);
    // Permissions of other object types (clusters, jobs, apps), or of an endpoint this stack does
    // not define, are not endpoint ACLs: review/resources/ reviews them.
    if (resource.serving_endpoint_id === undefined) continue;
    const target = permissionsTarget(id, resource);
    if (!isEndpointKey(resources, target)) continue;
    addresses.push(`databricks_permissions.${id}`);
    const list = acls.get(target);
    if (list) list.push(...aclOf(resource));
    else acls.set(target, aclOf(resource));
  }
  return { acls, addresses };
}

/** Endpoints of one synthesized stack by key, sorted by key, views not yet built. */
export function endpointEntriesOf(stack: unknown): Map<string, EndpointEntry> {
  const resources = obj(obj(stack).resource);
  const { acls } = endpointAcls(resources);
  const imports = new Set(arr(obj(stack).import).map((i) => str(obj(i).to)));
  // The stack gives every endpoint key one resource, of one of the endpoint types.
  const found: Array<[string, EndpointEntry]> = [];
  for (const type of ENDPOINT_RESOURCE_TYPES) {
    for (const [key, r] of Object.entries(obj(resources[type]))) found.push([key, new EndpointEntry(key, obj(r), acls.get(key), type, imports.has(`${type}.${key}`))]);
  }
  return new Map(found.sort((a, b) => compareStrings(a[0], b[0])));
}

/** Terraform addresses the endpoint view reads: every endpoint (of each endpoint type) and its permissions. */
export function endpointAddresses(stack: unknown): string[] {
  const resources = obj(obj(stack).resource);
  const endpoints = ENDPOINT_RESOURCE_TYPES.flatMap((type) => Object.keys(obj(resources[type])).map((k) => `${type}.${k}`));
  return [...endpoints, ...endpointAcls(resources).addresses];
}

/** Endpoints of one synthesized stack by key, sorted by key. */
export function endpointsOf(stack: unknown): Map<string, EndpointView> {
  const views = new Map<string, EndpointView>();
  for (const [key, entry] of endpointEntriesOf(stack)) views.set(key, entry.view);
  return views;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
