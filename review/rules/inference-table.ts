import { inferenceTableName } from "../describe";
import type { EndpointRule } from "./rule";
import { PROVIDER, PROVIDER_CAPITALIZED } from "../../databricks";

const DISABLE_HOW = "disable it in the Serving UI or with PUT /api/2.0/serving-endpoints/{name}/ai-gateway";

/** A re-created endpoint gets the head's table from its create request: nothing to do in two steps. */
const FIELD = ["ai_gateway", "inference_table"];

const RECREATED = "applied because the endpoint is re-created";

export const inferenceTable: EndpointRule = {
  id: "inference-table",
  what: "Inference table switched on, off or moved",
  why: `${PROVIDER_CAPITALIZED} does not disable a table from config (terraform-provider-databricks#5504), and a new location needs two applies; both apply at once when the endpoint is re-created.`,
  check(base, head, context) {
    const b = base.inferenceTable?.enabled ? base.inferenceTable : undefined;
    const a = head.inferenceTable?.enabled ? head.inferenceTable : undefined;
    if (!b && !a) return [];
    if (!b && a) return [{ class: "tightens", what: "inference table", before: "off", after: inferenceTableName(a, head.name), field: FIELD }];
    if (b && !a) {
      if (context.replaced) {
        return [{ class: "loosens", what: "inference table", before: inferenceTableName(b, base.name), after: "off", detail: `${RECREATED}: payloads are no longer logged`, field: FIELD }];
      }
      return [
        {
          class: "not-applied",
          what: "inference table",
          before: inferenceTableName(b, base.name),
          after: "off",
          field: FIELD,
          advice: `${PROVIDER} does not disable an existing inference table from config (enabled = false is dropped, terraform-provider-databricks#5504); ${DISABLE_HOW} (this also loosens policy: payloads are no longer logged)`,
        },
      ];
    }
    const before = inferenceTableName(b!, base.name);
    const after = inferenceTableName(a!, head.name);
    if (b!.catalog === a!.catalog && b!.schema === a!.schema && b!.prefix === a!.prefix) return [];
    if (context.replaced) return [{ class: "neutral", what: "inference table", before, after, detail: RECREATED, field: FIELD }];
    return [
      {
        class: "not-applied",
        what: "inference table",
        before,
        after,
        field: FIELD,
        advice: `a new catalog, schema or prefix needs two deploys: first ${DISABLE_HOW} and deploy, then set the new location`,
      },
    ];
  },
};
