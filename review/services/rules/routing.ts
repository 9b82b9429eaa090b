import { bypassNote, describeServiceRouting } from "../describe";
import type { ServiceRule } from "./rule";

export const serviceRouting: ServiceRule = {
  id: "service-routing",
  what: "Destinations, traffic split and fallbacks of a model service",
  why: "Routing decides which provider or model serves each request; a destination that is a serving endpoint is reached without that endpoint's own limits.",
  check(base, head) {
    const b = describeServiceRouting(base);
    const a = describeServiceRouting(head);
    if (b === a) return [];
    const note = bypassNote(head);
    return [{ class: "neutral", what: "routing", before: b, after: a, ...(note && bypassNote(base) !== note ? { detail: note } : {}) }];
  },
};
