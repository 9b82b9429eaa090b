import { PROVIDER } from "../../databricks";
import { warning, type EndpointRule } from "./rule";

export const usageTracking: EndpointRule = {
  id: "usage-tracking",
  what: "usage_tracking: false is flagged",
  why: "The provider drops false booleans from requests, so it may not switch tracking off on an existing endpoint.",
  check(endpoint, at) {
    return endpoint.ai_gateway?.usage_tracking === false
      ? [warning([...at, "ai_gateway", "usage_tracking"], `${PROVIDER} drops false booleans: "usage_tracking: false" may not switch off usage tracking on an existing endpoint; check it after deploy`)]
      : [];
  },
};
