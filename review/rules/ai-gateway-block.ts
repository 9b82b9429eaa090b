import type { EndpointRule } from "./rule";
import { PROVIDER, PROVIDER_CAPITALIZED } from "../../databricks";

export const aiGatewayBlock: EndpointRule = {
  id: "ai-gateway-block",
  what: "The whole ai_gateway block removed",
  why: `${PROVIDER_CAPITALIZED} is expected to crash when the whole block goes away from an existing endpoint; features must be turned off inside it. A re-created endpoint is simply created without it.`,
  check(base, head, context) {
    if (!base.hasAiGateway || head.hasAiGateway) return [];
    if (context.replaced) {
      return [{ class: "neutral", what: "ai_gateway block", before: "present", after: "removed", detail: "applied because the endpoint is re-created", field: ["ai_gateway"] }];
    }
    return [
      {
        class: "not-applied",
        what: "ai_gateway block",
        before: "present",
        after: "removed",
        field: ["ai_gateway"],
        advice: `${PROVIDER} is expected to crash when the whole block is removed; keep the block and turn features off inside it (the changes below say which)`,
      },
    ];
  },
};
