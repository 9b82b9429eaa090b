import type { GuardrailView } from "../endpoint-view";
import type { EndpointRule, Finding } from "./rule";
import { onOff } from "./rule";

/** How much a PII behavior protects: BLOCK rejects, MASK redacts, NONE (or not set) passes. */
const PII_STRENGTH: Record<string, number> = { NONE: 0, MASK: 1, BLOCK: 2 };

function strength(pii: string | undefined): number {
  return pii === undefined ? 0 : (PII_STRENGTH[pii] ?? 0);
}

function direction(name: "input" | "output", b: GuardrailView, a: GuardrailView): Finding[] {
  const findings: Finding[] = [];
  if (b.safety !== a.safety) {
    findings.push({ class: a.safety ? "tightens" : "loosens", what: `${name} guardrail safety`, before: onOff(b.safety), after: onOff(a.safety), field: ["ai_gateway", "guardrails", name, "safety"] });
  }
  if (b.pii !== a.pii) {
    const diff = strength(a.pii) - strength(b.pii);
    findings.push({
      class: diff > 0 ? "tightens" : diff < 0 ? "loosens" : "neutral",
      what: `${name} guardrail PII`,
      before: b.pii ?? "not set",
      after: a.pii ?? "not set",
      field: ["ai_gateway", "guardrails", name, "pii"],
    });
  }
  return findings;
}

export const guardrails: EndpointRule = {
  id: "guardrails",
  what: "Safety and PII guardrails per direction",
  why: "Guardrails are the content policy of the gateway: weakening one needs a reviewer's eyes.",
  check(base, head) {
    return [
      ...direction("input", base.guardrails.input, head.guardrails.input),
      ...direction("output", base.guardrails.output, head.guardrails.output),
    ];
  },
};
