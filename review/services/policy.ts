/**
 * The policy report and who-gets-what for services, in the endpoints' words: the same limit
 * subjects and units, and the same precedence (https://docs.databricks.com/aws/en/ai-gateway/rate-limits-beta):
 * a principal's own limit over group limits over the per-user default; a group limit is one
 * budget shared by its members; the service-wide limit caps everyone together; requests and
 * tokens, per minute and per hour, apply separately.
 */
import { DEFAULT_SERVICE_RENEWAL_PERIOD, SERVICE_RENEWAL_PERIODS } from "../../databricks/ai-gateway-services";
import { formatNumber } from "../format";
import { bypassNote, describeGrants, describeServiceLimit, describeServiceRouting, unit } from "./describe";
import type { ServiceLimitView, ServiceView } from "./view";

export interface ServicePolicyRow {
  readonly service: string;
  readonly kind: string;
  readonly name: string;
  /** Routing (model services), provider and credential (provider services), or the MCP connection. */
  readonly serves: string;
  readonly limits: string;
  readonly inferenceTable: string;
  readonly grants: string;
  /** The plain sentence that limits on a serving endpoint do not cover this service's traffic. */
  readonly note?: string;
}

export interface ServiceAccessRow {
  readonly service: string;
  /** `group analysts`, `user a@b.com`, `any other user`. */
  readonly principal: string;
  readonly access: string;
  readonly canQuery: boolean;
  /** `60 QPM (per user); 1,000 requests/hour (service-wide cap)`, `no limit`, or `—`. */
  readonly requests: string;
  readonly tokens: string;
}

function serves(v: ServiceView): string {
  if (v.kind === "model service") return describeServiceRouting(v);
  if (v.kind === "model provider service") {
    const targets = Array.isArray((v.resource.config as { targets?: unknown[] } | undefined)?.targets)
      ? ((v.resource.config as { targets: Array<{ model?: string }> }).targets.map((t) => t.model).join(", ") || "none")
      : "none";
    const all = (v.resource.config as { allow_all_targets?: unknown } | undefined)?.allow_all_targets === true;
    return `${v.provider ?? "?"} (${v.credential ?? "no credential"}); models: ${all ? "any" : targets}`;
  }
  const config = (v.resource.config ?? {}) as { source_connection?: { name?: string }; include_tool_selectors?: string[] };
  const tools = config.include_tool_selectors?.length ? config.include_tool_selectors.join(", ") : "all tools";
  return `${(config.source_connection?.name ?? "?").replace(/^connections\//, "connection ")}; ${tools}`;
}

export function servicePolicyRow(v: ServiceView): ServicePolicyRow {
  const note = bypassNote(v);
  return {
    service: v.key,
    kind: v.kind,
    name: v.fullName,
    serves: serves(v),
    limits: v.limits.map(describeServiceLimit).join("; ") || "none",
    inferenceTable: v.inferenceTable ?? "off",
    grants: describeGrants(v),
    ...(note ? { note } : {}),
  };
}

type Dim = "requests" | "tokens";

/** The limit that governs a principal in one dimension and period, with its basis. */
function effective(limits: readonly ServiceLimitView[], who: { key?: string; name?: string }, dim: Dim, period: string): { value?: number; basis: string } {
  const inPeriod = limits.filter((l) => l.period === period);
  const own = who.key ? inPeriod.find((l) => l.key === who.key && l.principal === who.name) : undefined;
  let result: { value?: number; basis: string } = own
    ? own[dim] === undefined
      ? { basis: "no limit" }
      : { value: own[dim], basis: who.key === "user_group" ? "shared by the group" : "own limit" }
    : (() => {
        const d = inPeriod.find((l) => l.key === "user_default");
        return d?.[dim] === undefined ? { basis: "no limit" } : { value: d[dim], basis: "per user" };
      })();
  const cap = inPeriod.find((l) => l.key === "service");
  if (cap?.[dim] !== undefined && (result.value === undefined || cap[dim]! < result.value)) result = { value: cap[dim], basis: "service-wide cap, shared by all callers" };
  return result;
}

function limitText(limits: readonly ServiceLimitView[], who: { key?: string; name?: string }, dim: Dim): string {
  const parts = SERVICE_RENEWAL_PERIODS
    .map((period) => ({ period, e: effective(limits, who, dim, period) }))
    .filter(({ period, e }) => e.value !== undefined || period === DEFAULT_SERVICE_RENEWAL_PERIOD)
    .map(({ period, e }) => (e.value === undefined ? "no limit" : `${formatNumber(e.value)} ${unit(dim, period)} (${e.basis})`));
  return parts.join("; ");
}

const KEY_OF: Record<string, string> = { group: "user_group", user: "user", "service principal": "service_principal" };

/** One row per principal named on the service (limits, then grants), then any other user. */
export function serviceWhoGetsWhat(v: ServiceView): ServiceAccessRow[] {
  const principals: Array<{ label: string; key?: string; name?: string }> = [];
  const seen = new Set<string>();
  const add = (label: string, key?: string, name?: string) => {
    if (seen.has(label)) return;
    seen.add(label);
    principals.push({ label, key, name });
  };
  for (const l of v.limits) {
    const kind = Object.entries(KEY_OF).find(([, k]) => k === l.key)?.[0];
    if (kind && l.principal !== undefined) add(`${kind} ${l.principal}`, l.key, l.principal);
  }
  for (const g of v.grants ?? []) {
    const limited = v.limits.find((l) => l.principal === g.principal && ["user_group", "user", "service_principal"].includes(l.key));
    add(limited ? `${Object.entries(KEY_OF).find(([, k]) => k === limited.key)![0]} ${g.principal}` : g.principal, limited?.key, g.principal);
  }
  const rows = principals.map((p) => {
    const grant = v.grants?.find((g) => g.principal === p.name);
    const access = !v.grants ? "not managed here" : grant ? grant.privileges.join(", ") : p.key === "user" || p.key === "service_principal" ? "no direct grant (may query through a group)" : "no access";
    const canQuery = !v.grants || (grant?.privileges.some((x) => x === "EXECUTE" || x === "ALL_PRIVILEGES") ?? false);
    const limited = canQuery || access.startsWith("no direct grant");
    return {
      service: v.key,
      principal: p.label,
      access,
      canQuery,
      requests: limited ? limitText(v.limits, p, "requests") : "—",
      tokens: limited ? limitText(v.limits, p, "tokens") : "—",
    };
  });
  const anyone = { service: v.key, principal: "any other user", access: v.grants ? "no access" : "not managed here", canQuery: !v.grants };
  rows.push({ ...anyone, requests: anyone.canQuery ? limitText(v.limits, {}, "requests") : "—", tokens: anyone.canQuery ? limitText(v.limits, {}, "tokens") : "—" });
  return rows;
}
