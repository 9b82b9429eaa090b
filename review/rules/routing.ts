import { describeSplit, fallbackChain, sameRoutes } from "../describe";
import type { EndpointRule, Finding } from "./rule";

export const routing: EndpointRule = {
  id: "routing",
  what: "Traffic split and fallback chain",
  why: "Fallback keeps an endpoint answering on 429 or 5xx; removing it loosens availability guarantees. The split decides where traffic goes first, with or without fallback.",
  check(base, head) {
    const findings: Finding[] = [];
    if (base.fallback && !head.fallback) {
      findings.push({ class: "loosens", what: "fallback", before: fallbackChain(base), after: "off", detail: "requests fail on 429 or 5xx instead of failing over", field: ["routing", "fallback"] });
    } else if (!base.fallback && head.fallback) {
      findings.push({ class: "tightens", what: "fallback", before: "off", after: fallbackChain(head), field: ["routing", "fallback"] });
    } else if (base.fallback && head.fallback && fallbackChain(base) !== fallbackChain(head)) {
      findings.push({ class: "neutral", what: "fallback order", before: fallbackChain(base), after: fallbackChain(head), field: ["routing"] });
    }
    // Compared with fallback on too: a split with fallback sends traffic by percentage first, so
    // fallback [a, b] (a 100 %) → split a 70 %, b 30 % moves 30 % of the traffic.
    if (!sameRoutes(base, head)) {
      const split = (v: typeof base) => (v.routes && v.routes.length > 0 ? describeSplit(v) : "server default");
      findings.push({ class: "neutral", what: "traffic split", before: split(base), after: split(head), field: ["routing"] });
    }
    return findings;
  },
};
