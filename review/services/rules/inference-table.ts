import type { ServiceRule } from "./rule";

export const serviceInferenceTable: ServiceRule = {
  id: "service-inference-table",
  what: "Payload logging of a service switched on, off or moved",
  why: "The table's schema and prefix are set at create time and immutable: a change is rejected by the service.",
  check(base, head) {
    const b = base.inferenceTable;
    const a = head.inferenceTable;
    if (b === a) return [];
    if (!b) return [{ class: "tightens", what: "inference table", before: "off", after: a! }];
    if (!a) return [{ class: "loosens", what: "inference table", before: b, after: "off", detail: "payloads are no longer logged" }];
    return [{ class: "not-applied", what: "inference table", before: b, after: a, advice: "the table's schema and prefix cannot change on an existing service (the update is rejected): keep the old location, or remove the table in one deploy and add the new one in the next" }];
  },
};
