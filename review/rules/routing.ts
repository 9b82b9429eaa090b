import { describeSplit, fallbackChain } from "../describe";
import type { EndpointRule, Finding } from "./rule";

export const routing: EndpointRule = {
  id: "routing",
  what: "Traffic split and fallback chain",
  why: "Fallback keeps an endpoint answering on 429 or 5xx; removing it loosens availability guarantees.",
  check(base, head) {
    const findings: Finding[] = [];
    if (base.fallback && !head.fallback) {
      findings.push({ class: "loosens", what: "fallback", before: fallbackChain(base), after: "off", detail: "requests fail on 429 or 5xx instead of failing over" });
    } else if (!base.fallback && head.fallback) {
      findings.push({ class: "tightens", what: "fallback", before: "off", after: fallbackChain(head) });
    } else if (base.fallback && head.fallback && fallbackChain(base) !== fallbackChain(head)) {
      findings.push({ class: "neutral", what: "fallback order", before: fallbackChain(base), after: fallbackChain(head) });
    }
    // Under fallback the routes only say "first entity 100 %", which the chain above covers.
    const split = (v: typeof base) => (v.routes && v.routes.length > 0 ? describeSplit(v) : "server default");
    if (!(base.fallback && head.fallback) && split(base) !== split(head)) {
      findings.push({ class: "neutral", what: "traffic split", before: split(base), after: split(head) });
    }
    return findings;
  },
};
