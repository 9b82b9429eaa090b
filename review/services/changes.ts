/** Changes of the standalone AI Gateway services of one environment, as review Changes. */
import { needsSignOff, phrase } from "../changes";
import { jsonEqual, quote } from "../format";
import { CLASS_LABEL, Change, Finding } from "../types";
import { bypassNote } from "./describe";
import { SERVICE_REPLACEMENT_ADVICE, SERVICE_RULES } from "./rules";
import type { ServiceView } from "./view";

/** Where a service change is reported: `ai_gateway_services.<key>`, the config path of the service. */
export function serviceLocation(key: string): string {
  return `ai_gateway_services.${key}`;
}

/** A change of a service (not an endpoint), by its location. */
export function isServiceChange(c: { readonly endpoint?: string }): boolean {
  return c.endpoint?.startsWith("ai_gateway_services.") === true;
}

/** The class label as a service change reads it: a one-way door replaces the service. */
export function serviceLabel(label: string): string {
  return label === CLASS_LABEL.replaces ? "replaces the service" : label;
}

function toChange(environment: string, key: string, rule: string, f: Finding, protectedEnvironment: boolean): Change {
  const where = serviceLocation(key);
  return {
    environment,
    endpoint: where,
    rule,
    ...f,
    signOff: needsSignOff(f, protectedEnvironment),
    sentence: phrase(`${environment}/${where}`, f, { where: (x) => x, text: (x) => x, label: serviceLabel }),
  };
}

function who(v: ServiceView): string {
  const query = (v.grants ?? []).filter((g) => g.privileges.some((p) => p === "EXECUTE" || p === "ALL_PRIVILEGES")).map((g) => g.principal);
  return v.grants ? (query.length ? `EXECUTE: ${query.join(", ")}` : "nobody has EXECUTE") : "grants not managed here";
}

export function serviceChanges(environment: string, base: ReadonlyMap<string, ServiceView>, head: ReadonlyMap<string, ServiceView>, protectedEnvironment: boolean): Change[] {
  const changes: Change[] = [];
  const keys = [...new Set([...base.keys(), ...head.keys()])].sort();
  for (const key of keys) {
    const b = base.get(key);
    const h = head.get(key);
    const push = (rule: string, f: Finding) => changes.push(toChange(environment, key, rule, f, protectedEnvironment));
    if (b && h) {
      if (jsonEqual(b.resource, h.resource) && jsonEqual(b.grants, h.grants)) continue;
      for (const rule of SERVICE_RULES) for (const f of rule.check(b, h)) push(rule.id, f);
    } else if (h) {
      const note = bypassNote(h);
      push("service", { class: "replaces", what: h.kind, before: "none", after: quote(h.fullName), detail: who(h), advice: `a new ${h.kind} is created; its schema and name cannot change later without replacing it${note ? `; ${note}` : ""}` });
    } else if (b) {
      const protection = b.preventDestroy ? "; lifecycle.prevent_destroy does not stop this, since it goes away with the resource block" : "";
      push("service", { class: "replaces", what: b.kind, before: quote(b.fullName), after: "removed", advice: `${SERVICE_REPLACEMENT_ADVICE.replace(" and creates it again", "")}${protection}` });
    }
  }
  return changes;
}
