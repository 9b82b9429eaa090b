import { formatFactor, formatNumber } from "../../format";
import { serviceLimitId, serviceLimitSubject, unit } from "../describe";
import type { ServiceLimitView } from "../view";
import type { Finding, ServiceRule } from "./rule";

function dimensionChange(what: string, before: number | undefined, after: number | undefined): Finding | undefined {
  if (before === after) return undefined;
  if (before === undefined) return { class: "tightens", what, before: "no limit", after: formatNumber(after!) };
  if (after === undefined) return { class: "loosens", what, before: formatNumber(before), after: "no limit" };
  return { class: after > before ? "loosens" : "tightens", what, before: formatNumber(before), after: formatNumber(after), ...(before > 0 ? { detail: formatFactor(before, after) } : {}) };
}

export const serviceRateLimits: ServiceRule = {
  id: "service-rate-limits",
  what: "Request and token limits per scope and renewal period",
  why: "Limits cap cost and blast radius; they are matched by scope (key, principal, request tag) and renewal period, as Databricks applies them.",
  check(base, head) {
    const before = new Map<string, ServiceLimitView>(base.limits.map((l) => [serviceLimitId(l), l]));
    const after = new Map<string, ServiceLimitView>(head.limits.map((l) => [serviceLimitId(l), l]));
    const findings: Finding[] = [];
    for (const id of [...before.keys(), ...[...after.keys()].filter((k) => !before.has(k))]) {
      const b = before.get(id);
      const a = after.get(id);
      const l = (a ?? b)!;
      for (const dim of ["requests", "tokens"] as const) {
        const f = dimensionChange(`${serviceLimitSubject(l)} ${unit(dim, l.period)}`, b?.[dim], a?.[dim]);
        if (f) findings.push(f);
      }
    }
    return findings;
  },
};
