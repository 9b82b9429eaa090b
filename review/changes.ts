/**
 * Changes between the base and head of one environment: endpoints added, removed or re-keyed, and
 * per endpoint every rule's findings, each worded as one sentence with its class; and the
 * environment itself added or removed.
 */
import { bool, compareStrings, EndpointEntry, EndpointView } from "./endpoint-view";
import { jsonEqual, quote } from "./format";
import { changedFields, fieldList } from "./resources";
import { ENDPOINT_RULES, Finding, REPLACEMENT_ADVICE } from "./rules";
import { Change, CLASS_LABEL } from "./types";
import { grantsOf } from "./who-gets-what";
import { REPLACING_FIELDS, stackName, type ReplacingField } from "../databricks";

/**
 * Why a change needs an explicit sign-off (exit 2): a one-way door, a change the deploy does not
 * carry out, or new access (a weaker policy or a new endpoint) in a protected environment.
 */
export function needsSignOff(finding: Pick<Finding, "class">, protectedEnvironment: boolean): boolean {
  return finding.class === "replaces" || finding.class === "not-applied" || ((finding.class === "loosens" || finding.class === "creates") && protectedEnvironment);
}

/** How the parts of a change are written: plain in `sentence`, Markdown in the PR comment. */
export interface Wording {
  /** `prod/chat`, or `prod` for a change of the environment itself. */
  readonly where: (location: string) => string;
  /** What changed, the values, the detail and the advice. */
  readonly text: (value: string) => string;
  /** The class label. */
  readonly label: (label: string) => string;
}

const PLAIN: Wording = { where: (s) => s, text: (s) => s, label: (s) => s };

/**
 * `prod/chat` (an endpoint), `prod/databricks_grants.x` (another resource), or `prod` for a
 * change of the environment itself.
 */
export function changeLocation(environment: string, endpoint: string | undefined, resource?: string): string {
  const subject = endpoint ?? resource;
  return subject === undefined ? environment : `${environment}/${subject}`;
}

/** `per-user QPM 60 → 600, 10× — loosens` (no place, no full stop), in the given wording. */
export function findingText(f: Finding, w: Wording = PLAIN): string {
  const values = f.before !== undefined || f.after !== undefined ? ` ${w.text(f.before ?? "not set")} → ${w.text(f.after ?? "not set")}` : " changed";
  const detail = f.detail ? `, ${w.text(f.detail)}` : "";
  const advice = f.advice ? `: ${w.text(f.advice)}` : "";
  return `${w.text(f.what)}${values}${detail} — ${w.label(f.label ?? CLASS_LABEL[f.class])}${advice}`;
}

/** `prod/chat: per-user QPM 60 → 600, 10× — loosens.`, in the given wording. */
export function phrase(location: string, f: Finding, w: Wording = PLAIN): string {
  return `${w.where(location)}: ${findingText(f, w)}.`;
}

/** `prod/chat: per-user QPM 60 → 600, 10× — loosens.` (`prod: ...` without an endpoint). */
export function sentence(environment: string, endpoint: string | undefined, f: Finding, resource?: string): string {
  return phrase(changeLocation(environment, endpoint, resource), f);
}

export function toChange(environment: string, endpoint: string | undefined, rule: string, f: Finding, protectedEnvironment: boolean, resource?: string): Change {
  return {
    environment,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(resource !== undefined ? { resource } : {}),
    rule,
    class: f.class,
    what: f.what,
    ...(f.before !== undefined ? { before: f.before } : {}),
    ...(f.after !== undefined ? { after: f.after } : {}),
    ...(f.detail !== undefined ? { detail: f.detail } : {}),
    ...(f.advice !== undefined ? { advice: f.advice } : {}),
    ...(f.label !== undefined ? { label: f.label } : {}),
    ...(f.field !== undefined ? { field: f.field } : {}),
    signOff: needsSignOff(f, protectedEnvironment),
    sentence: sentence(environment, endpoint, f, resource),
  };
}

/** The endpoint is destroyed and created again by this change. */
function isReplaced(base: EndpointView, head: EndpointView): boolean {
  return REPLACING_FIELDS.some((field) => replacingValue(base, field) !== replacingValue(head, field));
}

/** A replacing field's value as the provider compares it (absent route_optimized is false). */
function replacingValue(view: EndpointView, field: ReplacingField): string | boolean {
  return field === "name" ? view.name : bool(view.resource[field]) === true;
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

/** A new endpoint: created, not replaced; what it grants is what a reviewer approves. */
function creation(view: EndpointView): Finding {
  return {
    class: "creates",
    what: "endpoint",
    before: "none",
    after: quote(view.name),
    advice: `${grantsOf(view)}; its name and route_optimized cannot change later without replacing it`,
    field: [],
  };
}

/** An import block adopts a running endpoint: nothing is created, the config is applied to it. */
function adoptedAdvice(h: EndpointEntry): string {
  const acl = h.acl ? "; its databricks_permissions replaces the endpoint's grants with the listed ones" : "";
  return `Terraform imports the endpoint that runs under this name (nothing is created) and applies this config to it: the plan shows any difference${acl}`;
}

export function environmentChanges(
  environment: string,
  base: ReadonlyMap<string, EndpointEntry>,
  head: ReadonlyMap<string, EndpointEntry>,
  protectedEnvironment: boolean,
  /** Keys whose resources and ACL are known to be equal in base and head. */
  unchanged?: ReadonlySet<string>,
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
      if (unchanged ? unchanged.has(key) : jsonEqual(b.resource, h.resource) && jsonEqual(b.acl, h.acl)) continue;
      const findings = endpointFindings(b.view, h.view);
      for (const { rule, finding } of findings) push(key, rule, finding);
      // No rule describes this difference: say so, so that "No changes" is never wrong (but
      // cdktf's `//` metadata, which is not deployed, is no difference).
      const rest = findings.length === 0 ? unexplained(b, h) : undefined;
      if (rest) push(key, "unexplained", rest);
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
      push(key, "endpoint", { class: "replaces", what: "endpoint", before: quote(b.name), after: "removed", advice: removalAdvice(b.view), field: [] });
    } else if (h?.imported) {
      push(key, "endpoint", { class: "neutral", what: "endpoint", before: "not managed", after: `adopted ${quote(h.name)}`, advice: adoptedAdvice(h), field: [] });
    } else if (h) {
      push(key, "endpoint", creation(h.view));
    }
  }
  return changes;
}

/** A neutral change for an endpoint whose resources differ in a way no rule words. */
function unexplained(base: EndpointEntry, head: EndpointEntry): Finding | undefined {
  const fields = changedFields(base.resource, head.resource);
  if (!jsonEqual(base.acl, head.acl)) fields.push("databricks_permissions access_control");
  if (fields.length === 0) return undefined;
  return { class: "neutral", what: "endpoint", detail: fieldList(fields), field: [] };
}

function endpointCount(n: number): string {
  return `${n} endpoint${n === 1 ? "" : "s"}`;
}

/**
 * The environment itself added or removed. Each environment is its own stack (`gateway-<env>`)
 * with its own deploy job: a removed environment is simply no longer synthesized, so no deploy
 * destroys anything, and a new one is deployed only once a deploy job exists for it.
 */
export function stackChanges(environment: string, status: "added" | "removed" | "present", endpoints: number): Change[] {
  const stack = stackName(environment);
  if (status === "removed") {
    return [
      toChange(environment, undefined, "environment", {
        class: "not-applied",
        what: `stack ${stack}`,
        before: `deployed (${endpointCount(endpoints)})`,
        after: "no longer synthesized",
        advice: `no deploy touches ${stack} any more, so its endpoints keep running unmanaged, with its state left in its backend; to delete them, run cdktf destroy ${stack} from the base commit with that environment's credentials; either way remove the ${environment} job (and its workflow_dispatch choice) from .github/workflows/deploy.yml, where it would fail, and fix the needs: of the job after it`,
      }, false),
    ];
  }
  if (status === "added") {
    return [
      toChange(environment, undefined, "environment", {
        class: "neutral",
        what: `stack ${stack}`,
        before: "none",
        after: `new (${endpointCount(endpoints)})`,
        advice: `new stack ${stack}: add its deploy job (and workflow_dispatch choice) to .github/workflows/deploy.yml and the GitHub environments ${environment} and ${environment}-drift with their secrets; until then no deploy creates these endpoints`,
      }, false),
    ];
  }
  return [];
}
