import { DEFAULT_RENEWAL_PERIOD } from "../../databricks";
import { limitId, limitSubject } from "../describe";
import type { RateLimitView } from "../endpoint-view";
import { formatCut, formatFactor, formatNumber, formatScalar } from "../format";
import type { EffectiveLimit } from "../types";
import { callerOfLimit, Dimension, effectiveLimit, Principal } from "../who-gets-what";
import type { EndpointRule, Finding } from "./rule";

const DIMENSIONS = [
  { field: "calls", unit: "QPM" },
  { field: "tokens", unit: "TPM" },
] as const;

/** The basis Who-gets-what gives a caller's own limit: not repeated in a sentence. */
function ownBasis(p: Principal): string {
  return p.kind === "anyone" ? "per user" : p.kind === "group" ? "shared by the group" : "own limit";
}

/** Undefined (no limit) is more than any number. */
function more(a: number | undefined, b: number | undefined): boolean {
  return b === undefined ? false : a === undefined ? true : a > b;
}

/** The limit as the caller lives it: `60 (per user)` when it is not the caller's own limit. */
function shown(limit: EffectiveLimit, own: string): string {
  if (limit.value === undefined) return "no limit";
  return limit.basis === own ? formatNumber(limit.value) : `${formatNumber(limit.value)} (${limit.basis})`;
}

/** `1,000 QPM, no TPM`: a configured limit as a whole (a custom limit replaces the default whole). */
function configuredLimit(l: RateLimitView): string {
  return DIMENSIONS.map(({ field, unit }) => (l[field] === undefined ? `no ${unit}` : `${formatNumber(l[field]!)} ${unit}`)).join(", ");
}

function factor(before: number | undefined, after: number | undefined): string | undefined {
  if (before === undefined || after === undefined || before === 0 || after === 0) return undefined;
  return after > before ? formatFactor(before, after) : formatCut(before, after);
}

/**
 * One dimension of one limit. The class and the values are the caller's effective limit before
 * and after (the computation of Who-gets-what): removing a service principal's own 1,000 QPM
 * puts it on the per-user 60, a cut, not a loosening. When the configured limit differs from what
 * the caller gets, the sentence says the configured change too.
 */
function dimensionChange(base: EndpointView, head: EndpointView, b: RateLimitView | undefined, a: RateLimitView | undefined, dim: Dimension, unit: string, index: number): Finding | undefined {
  const limit = (a ?? b)!;
  const what = `${limitSubject(limit)} ${unit}`;
  const field = index >= 0 ? ["ai_gateway", "rate_limits", index, dim] : ["ai_gateway", "rate_limits"];
  const cb = b?.[dim];
  const ca = a?.[dim];
  const p = callerOfLimit(limit);
  const own = p ? ownBasis(p) : "";
  const eb: EffectiveLimit = p ? effectiveLimit(base.rateLimits, p, dim) : { value: cb, basis: own };
  const ea: EffectiveLimit = p ? effectiveLimit(head.rateLimits, p, dim) : { value: ca, basis: own };
  if (cb === ca && eb.value === ea.value) return undefined;
  const configured = (v: number | undefined, present: boolean) => (v !== undefined ? formatNumber(v) : present ? "no limit" : "none");
  const name = p?.kind === "anyone" ? "the per-user limit" : p?.kind === "group" ? "the group limit" : "its own limit";
  const why =
    eb.value === cb && ea.value === ca
      ? undefined
      : !a
        ? `${name} (${configuredLimit(b!)}) is removed`
        : !b
          ? `${name} (${configuredLimit(a)}) is added`
          : `${name} ${configured(cb, true)} → ${configured(ca, true)}`;
  if (eb.value === ea.value) {
    return { class: "neutral", what, before: configured(cb, !!b), after: configured(ca, !!a), detail: `no effect: the caller still gets ${shown(ea, "")}`, field };
  }
  const detail = [factor(eb.value, ea.value), why].filter(Boolean).join(": ");
  return {
    class: more(ea.value, eb.value) ? "loosens" : "tightens",
    what,
    before: shown(eb, own),
    after: shown(ea, own),
    ...(detail ? { detail } : {}),
    field,
  };
}

type EndpointView = Parameters<EndpointRule["check"]>[0];

export const rateLimits: EndpointRule = {
  id: "rate-limits",
  what: "QPM and TPM limits per key and principal, as the callers get them",
  why: "Limits cap cost and blast radius. A custom limit replaces the per-user default whole and the endpoint limit caps everyone, so a change is worded by the caller's effective limit before and after (Databricks' precedence, as in Who-gets-what).",
  check(base, head) {
    const findings: Finding[] = [];
    const before = new Map<string, RateLimitView>(base.rateLimits.map((l) => [limitId(l), l]));
    const after = new Map<string, RateLimitView>(head.rateLimits.map((l) => [limitId(l), l]));
    const ids = [...before.keys(), ...[...after.keys()].filter((id) => !before.has(id))];
    for (const id of ids) {
      const b = before.get(id);
      const a = after.get(id);
      if (b && a && b.calls === a.calls && b.tokens === a.tokens && (b.renewalPeriod ?? DEFAULT_RENEWAL_PERIOD) === (a.renewalPeriod ?? DEFAULT_RENEWAL_PERIOD)) continue;
      const index = head.rateLimits.findIndex((l) => limitId(l) === id);
      for (const { field, unit } of DIMENSIONS) {
        const change = dimensionChange(base, head, b, a, field, unit, index);
        if (change) findings.push(change);
      }
      if (b && a && (b.renewalPeriod ?? DEFAULT_RENEWAL_PERIOD) !== (a.renewalPeriod ?? DEFAULT_RENEWAL_PERIOD)) {
        findings.push({ class: "neutral", what: `${limitSubject(a)} renewal_period`, before: formatScalar(b.renewalPeriod), after: formatScalar(a.renewalPeriod), field: ["ai_gateway", "rate_limits", index, "renewal_period"] });
      }
    }
    return findings;
  },
};
