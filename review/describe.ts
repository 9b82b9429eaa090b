/** Short descriptions of endpoint parts, shared by the policy report and the change sentences. */
import { bool } from "./endpoint-view";
import type { AclEntry, EndpointView, GuardrailView, InferenceTableView, RateLimitView, ServedEntityView } from "./endpoint-view";
import { formatNumber } from "./format";

/** Who a rate limit applies to: `per-user`, `group analysts`, `endpoint-wide`, ... */
export function limitSubject(limit: Pick<RateLimitView, "key" | "principal">): string {
  switch (limit.key) {
    case "endpoint":
      return "endpoint-wide";
    case "user":
      return limit.principal === undefined ? "per-user" : `user ${limit.principal}`;
    case "user_group":
      return `group ${limit.principal ?? "(no principal)"}`;
    case "service_principal":
      return `service principal ${limit.principal ?? "(no principal)"}`;
    default:
      return limit.principal === undefined ? limit.key : `${limit.key} ${limit.principal}`;
  }
}

/** Identity of a limit: one per key and principal (the validator forbids duplicates). */
export function limitId(limit: Pick<RateLimitView, "key" | "principal">): string {
  return `${limit.key}\u0000${limit.principal ?? ""}`;
}

export function describeLimit(limit: RateLimitView): string {
  const parts: string[] = [];
  if (limit.calls !== undefined) parts.push(`${formatNumber(limit.calls)} QPM`);
  if (limit.tokens !== undefined) parts.push(`${formatNumber(limit.tokens)} TPM`);
  return `${limitSubject(limit)} ${parts.join(" + ") || "(no calls or tokens)"}`;
}

export function describeEntity(e: ServedEntityView): string {
  const r = e.raw;
  if (e.kind === "external model") {
    const model = r.external_model as Record<string, unknown>;
    return `${e.name}: ${String(model.provider ?? "?")} ${String(model.name ?? "?")}`;
  }
  const version = r.entity_version !== undefined ? ` v${String(r.entity_version)}` : "";
  const sizing: string[] = [];
  if (r.min_provisioned_throughput !== undefined || r.max_provisioned_throughput !== undefined) {
    sizing.push(`${formatNumber(Number(r.min_provisioned_throughput ?? 0))}–${formatNumber(Number(r.max_provisioned_throughput ?? 0))} tokens/s`);
  }
  if (r.provisioned_model_units !== undefined) sizing.push(`${formatNumber(Number(r.provisioned_model_units))} model units`);
  if (typeof r.workload_size === "string") sizing.push(r.workload_size);
  if (typeof r.workload_type === "string") sizing.push(r.workload_type);
  if (bool(r.scale_to_zero_enabled) === true) sizing.push("scales to zero");
  return `${e.name}: ${String(r.entity_name ?? "?")}${version}${sizing.length ? ` (${sizing.join(", ")})` : ""}`;
}

/** Entity names in failover order: served-entity order is the order Databricks fails over in. */
export function fallbackChain(view: EndpointView): string {
  // Not "a → b": sentences already use → for old → new.
  return view.servedEntities.map((e) => e.name).join(", then ");
}

/**
 * Split and fallback chain. A plain fallback list synthesizes "first entity 100 %, the rest 0 %",
 * which the chain already says; any other split is shown next to the chain.
 */
export function describeRouting(view: EndpointView): string {
  const split = view.routes && view.routes.length > 1 ? `split ${describeSplit(view)}` : undefined;
  if (view.fallback) return split && !isChainSplit(view) ? `${split}; fallback ${fallbackChain(view)}` : `fallback ${fallbackChain(view)}`;
  if (split) return split;
  return view.servedEntities.length === 1 ? "single entity" : "server default";
}

export function describeSplit(view: EndpointView): string {
  return (view.routes ?? []).map((r) => `${r.entity} ${r.percentage} %`).join(", ");
}

/** Routes as a fallback list writes them: the first served entity 100 %, every other 0 %. */
function isChainSplit(view: EndpointView): boolean {
  const first = view.servedEntities[0]?.name;
  return (view.routes ?? []).every((r) => r.percentage === (r.entity === first ? 100 : 0));
}

/** The same percentage per entity, whatever the order of the routes (order does not route). */
export function sameRoutes(a: EndpointView, b: EndpointView): boolean {
  const key = (v: EndpointView) =>
    (v.routes ?? [])
      .map((r) => `${r.entity}\u0000${r.percentage}`)
      .sort()
      .join("\u0001");
  return key(a) === key(b);
}

/** `catalog.schema.prefix_payload`; the prefix defaults to the endpoint name. */
export function inferenceTableName(table: InferenceTableView, endpointName: string): string {
  return `${table.catalog}.${table.schema}.${table.prefix ?? endpointName}_payload`;
}

export function describeInferenceTable(view: EndpointView): string {
  const t = view.inferenceTable;
  if (!t) return "off";
  return `${t.enabled ? "" : "disabled: "}${inferenceTableName(t, view.name)}`;
}

export function describeGuardrail(g: GuardrailView): string {
  const parts: string[] = [];
  if (g.safety) parts.push("safety");
  if (g.pii !== undefined) parts.push(`PII ${g.pii}`);
  return parts.join(", ") || "none";
}

export function describeGuardrails(view: EndpointView): string {
  return `in: ${describeGuardrail(view.guardrails.input)}; out: ${describeGuardrail(view.guardrails.output)}`;
}

export function describeUsageTracking(view: EndpointView): string {
  return view.usageTracking === undefined ? "not managed" : view.usageTracking ? "on" : "off";
}

/** A created app's service principal, as the endpoint ACL references it. */
const APP_SERVICE_PRINCIPAL = /^\$\{databricks_app\.([^.}]+)\.service_principal_client_id\}$/;

export function identityLabel(entry: Pick<AclEntry, "kind" | "name">): string {
  const app = APP_SERVICE_PRINCIPAL.exec(entry.name)?.[1];
  if (app !== undefined) return `app ${app}'s service principal`;
  return `${entry.kind} ${entry.name}`;
}

export function describeAcl(view: EndpointView): string {
  if (!view.acl) return "not managed";
  return view.acl.map((a) => `${identityLabel(a)} ${a.level}`).join(", ") || "nobody";
}

export function describeTags(view: EndpointView): string {
  return view.tags.map(([k, v]) => `${k}=${v}`).join(", ") || "none";
}
