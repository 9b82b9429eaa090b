import { changedFields } from "../../resources";
import { isSecretField } from "../../format";
import type { ServiceRule } from "./rule";

const HANDLED = /^config\.(rate_limits|routing|inference_table)$|^(parent|model_service_id|model_provider_service_id|mcp_service_id|lifecycle)$/;

export const serviceOther: ServiceRule = {
  id: "service-other",
  what: "Any other field of a service: provider connection, credential, targets, MCP connection or tools, comment",
  why: "Every change is named; credential values are never shown, and the provider type cannot change after creation.",
  check(base, head) {
    const fields = changedFields(base.resource, head.resource).filter((f) => !HANDLED.test(f) && !/^config\.(rate_limits|routing|inference_table)\./.test(f));
    if (fields.length === 0) return [];
    if (base.provider !== head.provider) {
      return [{ class: "not-applied", what: "provider", before: base.provider ?? "none", after: head.provider ?? "none", advice: "provider_type is immutable: the update is rejected; create a new provider service and move destinations to it" }];
    }
    const credential = fields.some((f) => isSecretField(f));
    return [
      {
        class: "neutral",
        what: credential ? "provider credential" : "settings",
        ...(credential ? { before: base.credential ?? "none", after: head.credential ?? "none" } : {}),
        detail: `fields: ${fields.slice(0, 5).join(", ")}${fields.length > 5 ? ` and ${fields.length - 5} more` : ""}`,
      },
    ];
  },
};
