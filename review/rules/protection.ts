import type { EndpointRule } from "./rule";
import { onOff } from "./rule";

/** `protect:` of the environment file. */
const PROTECT = ["$environment", "protect"];

export const protection: EndpointRule = {
  id: "protection",
  what: "lifecycle.prevent_destroy on the endpoint",
  why: "It is what stops a deploy from destroying or replacing a production endpoint.",
  check(base, head) {
    if (base.preventDestroy === head.preventDestroy) return [];
    return [
      head.preventDestroy
        ? { class: "tightens", what: "lifecycle.prevent_destroy", before: "off", after: "on", field: PROTECT }
        : {
            class: "loosens",
            what: "lifecycle.prevent_destroy",
            before: onOff(base.preventDestroy),
            after: "off",
            detail: "a deploy may now destroy or replace the endpoint",
            field: PROTECT,
          },
    ];
  },
};
