import type { EndpointRule } from "./rule";

export const aiGatewayBlock: EndpointRule = {
  id: "ai-gateway-block",
  what: "The whole ai_gateway block removed",
  why: "Provider 1.99 is expected to crash when the whole block goes away; features must be turned off inside it.",
  check(base, head) {
    if (!base.hasAiGateway || head.hasAiGateway) return [];
    return [
      {
        class: "not-applied",
        what: "ai_gateway block",
        before: "present",
        after: "removed",
        advice: "provider 1.99 is expected to crash when the whole block is removed; keep the block and turn features off inside it (the changes below say which)",
      },
    ];
  },
};
