import { quote } from "../format";
import type { EndpointRule, Finding } from "./rule";

export const tags: EndpointRule = {
  id: "tags",
  what: "Endpoint tags",
  why: "Tags drive cost attribution in billing logs; they are updated in place.",
  check(base, head) {
    const findings: Finding[] = [];
    const before = new Map(base.tags);
    const after = new Map(head.tags);
    for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const b = before.get(key);
      const a = after.get(key);
      if (b === a) continue;
      findings.push({ class: "neutral", what: `tag ${key}`, before: b === undefined ? "not set" : quote(b), after: a === undefined ? "not set" : quote(a), field: a === undefined ? ["tags"] : ["tags", key] });
    }
    return findings;
  },
};
