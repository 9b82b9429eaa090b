/**
 * Changes between the base and head of one environment: endpoints added, removed or re-keyed, and
 * per endpoint every rule's findings, each worded as one sentence with its class.
 */
import { compareStrings, EndpointEntry, EndpointView } from "./endpoint-view";
import { jsonEqual, quote } from "./format";
import { ENDPOINT_RULES, Finding, REPLACEMENT_ADVICE } from "./rules";
import { Change, CLASS_LABEL } from "./types";

/** Why a change needs an explicit sign-off (exit 2). */
export function needsSignOff(finding: Pick<Finding, "class">, protectedEnvironment: boolean): boolean {
  return finding.class === "replaces" || finding.class === "not-applied" || (finding.class === "loosens" && protectedEnvironment);
}

/** `prod/chat: per-user QPM 60 → 600, 10× — loosens.` */
export function sentence(environment: string, endpoint: string, f: Finding): string {
  const values = f.before !== undefined || f.after !== undefined ? ` ${f.before ?? "not set"} → ${f.after ?? "not set"}` : " changed";
  const detail = f.detail ? `, ${f.detail}` : "";
  const advice = f.advice ? `: ${f.advice}` : "";
  return `${environment}/${endpoint}: ${f.what}${values}${detail} — ${CLASS_LABEL[f.class]}${advice}.`;
}

function toChange(environment: string, endpoint: string, rule: string, f: Finding, protectedEnvironment: boolean): Change {
  return {
    environment,
    endpoint,
    rule,
    class: f.class,
    what: f.what,
    ...(f.before !== undefined ? { before: f.before } : {}),
    ...(f.after !== undefined ? { after: f.after } : {}),
    ...(f.detail !== undefined ? { detail: f.detail } : {}),
    ...(f.advice !== undefined ? { advice: f.advice } : {}),
    signOff: needsSignOff(f, protectedEnvironment),
    sentence: sentence(environment, endpoint, f),
  };
}

/** The endpoint is destroyed and created again by this change. */
function isReplaced(base: EndpointView, head: EndpointView): boolean {
  return base.name !== head.name || (base.resource.route_optimized === true) !== (head.resource.route_optimized === true);
}

/** Every rule on one endpoint present in base and head. */
export function endpointFindings(base: EndpointView, head: EndpointView, replaced = isReplaced(base, head)): Array<{ rule: string; finding: Finding }> {
  const out: Array<{ rule: string; finding: Finding }> = [];
  for (const rule of ENDPOINT_RULES) {
    for (let finding of rule.check(base, head, { replaced })) {
      // Terraform refuses to replace a resource whose new config keeps prevent_destroy.
      if (finding.class === "replaces" && head.preventDestroy) {
        finding = { ...finding, advice: `${finding.advice}; lifecycle.prevent_destroy will fail this deploy` };
      }
      out.push({ rule: rule.id, finding });
    }
  }
  return out;
}

/** prevent_destroy lives in the resource block: removing the block removes the protection. */
function removalAdvice(base: EndpointView): string {
  const protection = base.preventDestroy ? "; lifecycle.prevent_destroy does not stop this, since it goes away with the resource block" : "";
  return `Terraform destroys it: callers get errors, and its serving_endpoint_id and grants are gone${protection}`;
}

const ADDED_ADVICE = "a new serving endpoint is created; its name and route_optimized cannot change later without replacing it";

export function environmentChanges(
  environment: string,
  base: ReadonlyMap<string, EndpointEntry>,
  head: ReadonlyMap<string, EndpointEntry>,
  protectedEnvironment: boolean,
): Change[] {
  const changes: Change[] = [];
  const push = (endpoint: string, rule: string, f: Finding) => changes.push(toChange(environment, endpoint, rule, f, protectedEnvironment));

  // A key that disappears while a new key takes over its endpoint name is a re-key, not two
  // unrelated changes: Terraform addresses derive from the key.
  const removedByName = new Map<string, EndpointEntry>();
  for (const [key, entry] of base) if (!head.has(key)) removedByName.set(entry.name, entry);
  const rekeyedFrom = new Map<string, EndpointEntry>();
  const rekeyed = new Set<string>();
  for (const [key, entry] of head) {
    const old = base.has(key) ? undefined : removedByName.get(entry.name);
    if (old && !rekeyed.has(old.key)) {
      rekeyed.add(old.key);
      rekeyedFrom.set(key, old);
    }
  }

  const keys = [...new Set([...base.keys(), ...head.keys()])].sort(compareStrings);
  for (const key of keys) {
    const b = base.get(key);
    const h = head.get(key);
    const old = rekeyedFrom.get(key);
    if (b && h) {
      if (jsonEqual(b.resource, h.resource) && jsonEqual(b.acl, h.acl)) continue;
      for (const { rule, finding } of endpointFindings(b.view, h.view)) push(key, rule, finding);
    } else if (h && old) {
      push(key, "endpoint-key", {
        class: "replaces",
        what: "endpoint key",
        before: quote(old.key),
        after: quote(key),
        advice: `${REPLACEMENT_ADVICE}, and the create can fail while the old endpoint still holds the name ${quote(h.name)}; keep the key, since Terraform addresses derive from it`,
      });
      for (const { rule, finding } of endpointFindings(old.view, h.view, true)) push(key, rule, finding);
    } else if (b && !rekeyed.has(key)) {
      push(key, "endpoint", { class: "replaces", what: "endpoint", before: quote(b.name), after: "removed", advice: removalAdvice(b.view) });
    } else if (h) {
      push(key, "endpoint", { class: "replaces", what: "endpoint", before: "none", after: quote(h.name), advice: ADDED_ADVICE });
    }
  }
  return changes;
}
