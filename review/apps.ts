/**
 * Apps, secret scopes and inference-table schemas in the review: what each app can query (and so
 * what its users can query through it), and every added or removed binding, scope, secret ACL,
 * schema and grant, read from the synthesized JSON like the endpoints are.
 *
 * Reviewed next to the registry of resource-type handlers (review/resources/): review.ts marks
 * every address `appAddresses` returns as claimed, so the generic "changed, fields" line does not
 * report the same resource again. databricks_grants on a schema are claimed here, on an AI Gateway
 * service by review/resources/ai-gateway-services.ts; other grants stay generic.
 */
import { compareStrings } from "./endpoint-view";
import { quote } from "./format";
import { changedFields, fieldList } from "./resources/generic";
import type { Change, ChangeClass, Finding } from "./types";

/** One app in the policy report: who can query what through it. */
export interface AppRow {
  readonly app: string;
  readonly name: string;
  /** Created by this stack, or existing and only granted access here. */
  readonly managed: boolean;
  /** `chat → dev-chat (CAN_QUERY)`, per alias. */
  readonly endpoints: string;
  /** Who can now query those endpoints through the app. */
  readonly reach: string;
}

interface AppBindingView {
  readonly endpoint: string;
  readonly permission: string;
}
interface AppView {
  readonly key: string;
  readonly name: string;
  readonly managed: boolean;
  readonly bindings: ReadonlyMap<string, AppBindingView>;
  /** The databricks_app resource, when this stack creates the app. */
  readonly resource?: Json;
}

type Json = Record<string, any>;

const MODEL_SERVING_NAME = /^\$\{databricks_model_serving(?:_provisioned_throughput)?\.([^.}]+)\.name\}$/;

/** An endpoint as the app resource names it: the endpoint key when it is a reference into this stack. */
function endpointLabel(name: unknown): string {
  const s = String(name);
  return MODEL_SERVING_NAME.exec(s)?.[1] ?? s;
}

/** Apps by key, from the `app_<key>` outputs (created and existing apps) and the databricks_app resources. */
export function appsOf(stack: unknown): Map<string, AppView> {
  const json = (stack ?? {}) as Json;
  const resources: Json = json.resource?.databricks_app ?? {};
  const outputs: Json = json.output ?? {};
  const apps = new Map<string, AppView>();
  for (const [id, output] of Object.entries(outputs)) {
    const value = (output as Json)?.value;
    if (!id.startsWith("app_") || typeof value !== "object" || value === null || !("managed" in value)) continue;
    const key = id.slice("app_".length);
    const resource: Json | undefined = resources[key];
    const bindings = new Map<string, AppBindingView>();
    if (resource) {
      for (const r of resource.resources ?? []) {
        if (r?.serving_endpoint) bindings.set(String(r.name), { endpoint: endpointLabel(r.serving_endpoint.name), permission: String(r.serving_endpoint.permission) });
      }
    } else {
      for (const [alias, endpoint] of Object.entries(value.endpoints ?? {})) bindings.set(alias, { endpoint: String(endpoint), permission: "CAN_QUERY" });
    }
    apps.set(key, { key, name: resource ? String(resource.name) : String(value.name), managed: resource !== undefined, bindings, ...(resource ? { resource } : {}) });
  }
  return apps;
}

export function appRows(stack: unknown): AppRow[] {
  return [...appsOf(stack).values()].map((a) => {
    const bindings = [...a.bindings];
    const querying = bindings.filter(([, b]) => b.permission === "CAN_QUERY" || b.permission === "CAN_MANAGE").map(([, b]) => b.endpoint);
    return {
      app: a.key,
      name: a.name,
      managed: a.managed,
      endpoints: bindings.map(([alias, b]) => `${alias} → ${b.endpoint} (${b.permission})`).join(", "),
      reach: querying.length
        ? `the app's service principal, so every user of the app, can query ${[...new Set(querying)].join(", ")}${a.managed ? "" : " (app not managed here: its users and resources are set where it is managed)"}`
        : "nothing: no binding can query",
    };
  });
}

const LEVEL_RANK: Record<string, number> = { CAN_VIEW: 1, CAN_QUERY: 2, CAN_MANAGE: 3, READ: 1, WRITE: 2, MANAGE: 3 };

function byLevel(before: string, after: string): ChangeClass {
  return (LEVEL_RANK[after] ?? 0) > (LEVEL_RANK[before] ?? 0) ? "loosens" : "tightens";
}

interface Located {
  readonly location: string;
  readonly rule: string;
  readonly finding: Finding;
}

function appFindings(base: Map<string, AppView>, head: Map<string, AppView>): Located[] {
  const out: Located[] = [];
  for (const key of [...new Set([...base.keys(), ...head.keys()])].sort(compareStrings)) {
    const b = base.get(key);
    const h = head.get(key);
    const location = `app ${key}`;
    if (h?.managed && !b?.managed) {
      out.push({
        location,
        rule: "app",
        finding: { class: "loosens", what: "app", before: b ? "not managed here" : "none", after: quote(h.name), advice: "a new Databricks App with its own service principal; every user of the app can call its endpoints through it: grant CAN_USE on the app only to those who may" },
      });
    } else if (b?.managed && !h?.managed) {
      out.push({
        location,
        rule: "app",
        finding: { class: "replaces", label: "destroys the app", what: "app", before: quote(b.name), after: h ? "not managed here" : "removed", advice: "Terraform destroys the app: its URL, service principal and deployments are gone" },
      });
    }
    if (b?.resource && h?.resource && b.name !== h.name) {
      out.push({
        location,
        rule: "app",
        finding: { class: "replaces", label: "replaces the app", what: "app name", before: quote(b.name), after: quote(h.name), advice: "an app name is fixed after creation (databricks/apps.ts): Terraform destroys the app and creates a new one, with a new URL and service principal" },
      });
    }
    if (b?.resource && h?.resource) out.push(...otherFields(location, "app", "app", b.resource, h.resource, ["resources", "name"]));
    const keys = [...new Set([...(b?.bindings.keys() ?? []), ...(h?.bindings.keys() ?? [])])].sort(compareStrings);
    for (const alias of keys) {
      const bb = b?.bindings.get(alias);
      const hb = h?.bindings.get(alias);
      const what = `binding ${quote(alias)}`;
      if (bb && hb && bb.endpoint === hb.endpoint && bb.permission === hb.permission) continue;
      if (!bb && hb) {
        out.push({ location, rule: "app-binding", finding: { class: "loosens", what, before: "none", after: `${hb.endpoint} (${hb.permission})`, detail: `the app, and so its users, can now ${hb.permission === "CAN_VIEW" ? "see" : "query"} ${hb.endpoint}` } });
      } else if (bb && !hb) {
        out.push({ location, rule: "app-binding", finding: { class: "tightens", what, before: `${bb.endpoint} (${bb.permission})`, after: "removed", detail: `calls through alias ${quote(alias)} fail once the app is redeployed without it` } });
      } else if (bb && hb) {
        const cls: ChangeClass = bb.endpoint !== hb.endpoint ? "loosens" : byLevel(bb.permission, hb.permission);
        out.push({ location, rule: "app-binding", finding: { class: cls, what, before: `${bb.endpoint} (${bb.permission})`, after: `${hb.endpoint} (${hb.permission})` } });
      }
    }
  }
  return out;
}

/**
 * The fields of a resource changed in place that the findings above do not word (`ignore`), as
 * one neutral "changed, fields: …" line, so a claimed resource is never silent.
 */
function otherFields(location: string, rule: string, what: string, b: Json, h: Json, ignore: readonly string[]): Located[] {
  const fields = changedFields(b, h).filter((f) => !ignore.some((i) => f === i || f.startsWith(`${i}.`)));
  return fields.length ? [{ location, rule, finding: { class: "neutral", what, detail: fieldList(fields) } }] : [];
}

/** `{ id: resource }` of one resource type. */
function resourcesOf(stack: unknown, type: string): Json {
  return ((stack ?? {}) as Json).resource?.[type] ?? {};
}

function keyed<T>(base: Json, head: Json, each: (id: string, b: T | undefined, h: T | undefined) => void): void {
  for (const id of [...new Set([...Object.keys(base), ...Object.keys(head)])].sort(compareStrings)) each(id, base[id], head[id]);
}

function scopeFindings(base: unknown, head: unknown): Located[] {
  const out: Located[] = [];
  keyed<Json>(resourcesOf(base, "databricks_secret_scope"), resourcesOf(head, "databricks_secret_scope"), (_id, b, h) => {
    if (!b && h) out.push({ location: `secret scope ${h.name}`, rule: "secret-scope", finding: { class: "neutral", what: "secret scope", before: "none", after: "created", advice: "put its secrets with `databricks secrets put-secret` (values never go through this repository)" } });
    if (b && h) out.push(...otherFields(`secret scope ${h.name}`, "secret-scope", "secret scope", b, h, []));
    if (b && !h) out.push({ location: `secret scope ${b.name}`, rule: "secret-scope", finding: { class: "replaces", label: "destroys the scope", what: "secret scope", before: "managed", after: "removed", advice: "Terraform deletes the scope and every secret in it: endpoints whose credentials reference it fail on their next update" } });
  });
  keyed<Json>(resourcesOf(base, "databricks_secret_acl"), resourcesOf(head, "databricks_secret_acl"), (_id, b, h) => {
    const acl = (h ?? b)!;
    const scope = String(acl.scope).replace(/^\$\{databricks_secret_scope\.([^.}]+)\.name\}$/, "$1");
    const what = `ACL of ${acl.principal}`;
    const location = `secret scope ${scope}`;
    if (!b && h) out.push({ location, rule: "secret-acl", finding: { class: "loosens", what, before: "none", after: h.permission, detail: h.permission === "READ" ? "can read every secret in the scope" : undefined } });
    else if (b && !h) out.push({ location, rule: "secret-acl", finding: { class: "tightens", what, before: b.permission, after: "removed" } });
    else if (b && h && b.permission !== h.permission) out.push({ location, rule: "secret-acl", finding: { class: byLevel(b.permission, h.permission), what, before: b.permission, after: h.permission } });
    if (b && h) out.push(...otherFields(location, "secret-acl", what, b, h, ["permission"]));
  });
  return out;
}

function schemaFindings(base: unknown, head: unknown): Located[] {
  const out: Located[] = [];
  const schemaName = (s: Json) => `${s.catalog_name}.${s.name}`;
  const baseSchemas = resourcesOf(base, "databricks_schema");
  const headSchemas = resourcesOf(head, "databricks_schema");
  keyed<Json>(baseSchemas, headSchemas, (_id, b, h) => {
    if (!b && h) out.push({ location: `schema ${schemaName(h)}`, rule: "schema", finding: { class: "neutral", what: "inference-table schema", before: "none", after: "created" } });
    if (b && h) out.push(...otherFields(`schema ${schemaName(h)}`, "schema", "inference-table schema", b, h, []));
    if (b && !h) out.push({ location: `schema ${schemaName(b)}`, rule: "schema", finding: { class: "replaces", label: "destroys the schema", what: "inference-table schema", before: "managed", after: "removed", advice: "Terraform drops the schema (it fails while inference tables are in it)" } });
  });
  // databricks_grants also holds other securables' grants (AI Gateway services): only schemas here.
  const onSchemas = (grants: Json): Json => Object.fromEntries(Object.entries(grants).filter(([, g]) => typeof (g as Json)?.schema === "string"));
  keyed<Json>(onSchemas(resourcesOf(base, "databricks_grants")), onSchemas(resourcesOf(head, "databricks_grants")), (id, b, h) => {
    const schema = headSchemas[id] ?? baseSchemas[id];
    const location = `schema ${schema ? schemaName(schema) : id}`;
    const grants = (g: Json | undefined) => new Map<string, string[]>((g?.grant ?? []).map((x: Json) => [String(x.principal), (x.privileges ?? []).map(String)]));
    const bg = grants(b);
    const hg = grants(h);
    if (b && h) out.push(...otherFields(location, "schema-grants", "grants", b, h, ["grant"]));
    for (const principal of [...new Set([...bg.keys(), ...hg.keys()])].sort(compareStrings)) {
      const before = bg.get(principal) ?? [];
      const after = hg.get(principal) ?? [];
      const added = after.filter((p) => !before.includes(p));
      const removed = before.filter((p) => !after.includes(p));
      const what = `grants of ${principal}`;
      const show = (ps: string[]) => (ps.length ? ps.join(", ") : "none");
      if (added.length) out.push({ location, rule: "schema-grants", finding: { class: "loosens", what, before: show(before), after: show(after), detail: `adds ${added.join(", ")}` } });
      else if (removed.length) out.push({ location, rule: "schema-grants", finding: { class: "tightens", what, before: show(before), after: show(after), detail: `removes ${removed.join(", ")}` } });
    }
  });
  return out;
}

const OWN_TYPES = ["databricks_secret_scope", "databricks_secret_acl", "databricks_schema"] as const;

/**
 * Terraform addresses this module reviews: every app with its `app_<key>` output (a databricks_app
 * without one is not read here, so it keeps the generic line), secret scope, secret ACL and schema, and the
 * databricks_grants on a schema.
 */
export function appAddresses(stack: unknown): string[] {
  const out: string[] = [...appsOf(stack).values()].filter((a) => a.managed).map((a) => `databricks_app.${a.key}`);
  for (const type of OWN_TYPES) out.push(...Object.keys(resourcesOf(stack, type)).map((k) => `${type}.${k}`));
  for (const [id, g] of Object.entries(resourcesOf(stack, "databricks_grants"))) if (typeof (g as Json)?.schema === "string") out.push(`databricks_grants.${id}`);
  return out;
}

/** Every change to the apps and surroundings of one environment, as review Changes. */
export function surroundingChanges(
  environment: string,
  base: unknown,
  head: unknown,
  toChange: (environment: string, location: string, rule: string, finding: Finding) => Change,
): Change[] {
  return [...appFindings(appsOf(base), appsOf(head)), ...scopeFindings(base, head), ...schemaFindings(base, head)].map((l) => toChange(environment, l.location, l.rule, l.finding));
}

/**
 * The stack without the bindings of its `app_<key>` outputs (`value.endpoints`): the app findings
 * word them, so the generic output line must not repeat them; other output fields stay compared.
 */
export function withoutAppBindings(stack: unknown): unknown {
  const json = (stack ?? {}) as Json;
  if (typeof json.output !== "object" || json.output === null) return stack;
  const output: Json = {};
  for (const [id, o] of Object.entries(json.output as Json)) {
    const value = (o as Json)?.value;
    if (id.startsWith("app_") && typeof value === "object" && value !== null && "managed" in value) {
      const { endpoints: _endpoints, ...rest } = value;
      output[id] = { ...(o as Json), value: rest };
    } else output[id] = o;
  }
  return { ...json, output };
}
