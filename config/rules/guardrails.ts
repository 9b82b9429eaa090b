import { entityKind, PROVIDER } from "../../databricks";
import { warning, type EndpointRule, type Finding, type Path } from "./rule";

export const guardrails: EndpointRule = {
  id: "guardrails",
  what: "Guardrails are set only on LLM endpoints, and not with an output pii behaviour the provider does not confirm",
  why: "Guardrails apply to external and foundation models; the provider documents only BLOCK for output PII.",
  check(endpoint, at) {
    const guardrails = endpoint.ai_gateway?.guardrails;
    if (!guardrails) return [];
    const gAt: Path = [...at, "ai_gateway", "guardrails"];
    const findings: Finding[] = [];
    if (guardrails.output?.pii === "MASK") {
      findings.push(warning([...gAt, "output", "pii"], `pii: MASK on output is not confirmed for ${PROVIDER} (its docs name only BLOCK); check the endpoint after deploy, or use BLOCK`));
    }
    const kinds = new Set((endpoint.served_entities ?? []).map(entityKind));
    if (kinds.has("custom model")) {
      findings.push(warning(gAt, `guardrails apply to LLM endpoints (external and foundation models); this endpoint serves custom models: set "guardrails: null" for it`));
    }
    return findings;
  },
};
