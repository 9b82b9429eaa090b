import type { EndpointRule } from "./rule";
import { onOff } from "./rule";
import { PROVIDER } from "../../databricks";

const FIELD = ["ai_gateway", "usage_tracking"];

export const usageTracking: EndpointRule = {
  id: "usage-tracking",
  what: "Usage tracking switched on or off",
  why: `Usage tracking feeds system.serving.endpoint_usage; ${PROVIDER} drops false booleans, so switching it off may not apply, except on a re-created endpoint.`,
  check(base, head, context) {
    const before = base.usageTracking === true;
    const after = head.usageTracking === true;
    if (before === after) return [];
    if (after) return [{ class: "tightens", what: "usage tracking", before: onOff(before), after: "on", field: FIELD }];
    const shown = head.usageTracking === undefined ? "not managed" : "off";
    if (context.replaced) {
      // The create request of the new endpoint has no usage tracking: nothing to turn off.
      return [{ class: "loosens", what: "usage tracking", before: "on", after: shown, detail: "applied because the endpoint is re-created: usage is no longer recorded", field: FIELD }];
    }
    return [
      {
        class: "not-applied",
        what: "usage tracking",
        before: "on",
        after: shown,
        field: FIELD,
        advice:
          `${PROVIDER} drops false booleans from requests, so usage tracking likely stays on; turn it off in the Serving UI or with PUT /api/2.0/serving-endpoints/{name}/ai-gateway (this also loosens policy: usage is no longer recorded)`,
      },
    ];
  },
};
