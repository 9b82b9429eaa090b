import { limitId, limitSubject } from "../describe";
import type { RateLimitView } from "../endpoint-view";
import { formatFactor, formatNumber, formatScalar } from "../format";
import type { EndpointRule, Finding } from "./rule";

const DIMENSIONS = [
  { field: "calls", unit: "QPM" },
  { field: "tokens", unit: "TPM" },
] as const;

/** One dimension of one limit: a raised or removed limit loosens, a lowered or added one tightens. */
function dimensionChange(subject: string, unit: string, before: number | undefined, after: number | undefined): Finding | undefined {
  if (before === after) return undefined;
  const what = `${subject} ${unit}`;
  if (before === undefined) return { class: "tightens", what, before: "no limit", after: formatNumber(after!) };
  if (after === undefined) return { class: "loosens", what, before: formatNumber(before), after: "no limit" };
  return {
    class: after > before ? "loosens" : "tightens",
    what,
    before: formatNumber(before),
    after: formatNumber(after),
    detail: formatFactor(before, after),
  };
}

export const rateLimits: EndpointRule = {
  id: "rate-limits",
  what: "QPM and TPM limits per key and principal",
  why: "Limits cap cost and blast radius; they are matched by key and principal, as Databricks applies them.",
  check(base, head) {
    const findings: Finding[] = [];
    const before = new Map<string, RateLimitView>(base.rateLimits.map((l) => [limitId(l), l]));
    const after = new Map<string, RateLimitView>(head.rateLimits.map((l) => [limitId(l), l]));
    const ids = [...before.keys(), ...[...after.keys()].filter((id) => !before.has(id))];
    for (const id of ids) {
      const b = before.get(id);
      const a = after.get(id);
      const subject = limitSubject((a ?? b)!);
      for (const { field, unit } of DIMENSIONS) {
        const change = dimensionChange(subject, unit, b?.[field], a?.[field]);
        if (change) findings.push(change);
      }
      if (b && a && (b.renewalPeriod ?? "minute") !== (a.renewalPeriod ?? "minute")) {
        findings.push({ class: "neutral", what: `${subject} renewal_period`, before: formatScalar(b.renewalPeriod), after: formatScalar(a.renewalPeriod) });
      }
    }
    return findings;
  },
};
