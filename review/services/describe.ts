/** Short descriptions of service parts, shared by the policy report and the change sentences. */
import { DEFAULT_RENEWAL_PERIOD } from "../../databricks";
import { formatNumber } from "../format";
import type { DestinationView, ServiceLimitView, ServiceView } from "./view";

/** Who a limit applies to, in the endpoint report's words: `per-user`, `group analysts`, `service-wide`. */
export function serviceLimitSubject(l: Pick<ServiceLimitView, "key" | "principal" | "requestTag">): string {
  switch (l.key) {
    case "service":
      return "service-wide";
    case "user_default":
      return "per-user";
    case "user":
      return `user ${l.principal ?? "(no principal)"}`;
    case "user_group":
      return `group ${l.principal ?? "(no principal)"}`;
    case "service_principal":
      return `service principal ${l.principal ?? "(no principal)"}`;
    case "request_tag":
      return `request tag ${l.requestTag ?? "(no tag)"}`;
    default:
      return l.principal === undefined ? l.key : `${l.key} ${l.principal}`;
  }
}

/** `QPM` / `TPM` in the endpoints' renewal period (a minute), `requests/hour` / `tokens/hour` per hour. */
export function unit(dimension: "requests" | "tokens", period: string): string {
  if (period === DEFAULT_RENEWAL_PERIOD) return dimension === "requests" ? "QPM" : "TPM";
  return `${dimension}/${period}`;
}

export function serviceLimitId(l: ServiceLimitView): string {
  return [l.key, l.principal ?? "", l.requestTag ?? "", l.period].join("\u0000");
}

export function describeServiceLimit(l: ServiceLimitView): string {
  const parts: string[] = [];
  if (l.requests !== undefined) parts.push(`${formatNumber(l.requests)} ${unit("requests", l.period)}`);
  if (l.tokens !== undefined) parts.push(`${formatNumber(l.tokens)} ${unit("tokens", l.period)}`);
  return `${serviceLimitSubject(l)} ${parts.join(" + ") || "(no requests or tokens)"}`;
}

export function describeDestination(d: DestinationView): string {
  return `${d.name} → ${d.target}${d.percentage !== undefined ? ` (${d.percentage} %)` : ""}`;
}

/** Routing in one line: the split, then the fallback chain. */
export function describeServiceRouting(v: ServiceView): string {
  if (v.destinations.length === 0) return "—";
  const primary = v.destinations.map(describeDestination).join("; ");
  return v.fallbacks.length === 0 ? primary : `${primary}; fallback ${v.fallbacks.map((d) => `${d.name} → ${d.target}`).join(", then ")}`;
}

export function describeGrants(v: ServiceView): string {
  if (!v.grants) return "not managed here";
  return v.grants.map((g) => `${g.principal}: ${g.privileges.join(", ")}`).join("; ") || "none";
}

/**
 * The plain warning for a model service that routes to one of the stack's serving endpoints: the
 * endpoint's own AI Gateway limits do not govern traffic that comes through the service.
 */
export function bypassNote(v: ServiceView): string | undefined {
  const endpoints = [...v.destinations, ...v.fallbacks].map((d) => d.endpoint).filter((e): e is string => e !== undefined);
  if (endpoints.length === 0) return undefined;
  return `limits on serving endpoint ${[...new Set(endpoints)].join(", ")} do not cover traffic through this service: only this service's own limits apply to it`;
}
