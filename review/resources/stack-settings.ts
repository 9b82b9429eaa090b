/**
 * The parts of a stack that are not resources: the backend, `required_providers` and the rest of
 * the `terraform` block, provider blocks, data sources, outputs, variables, locals, modules.
 * Values are never shown (a backend or provider block holds hosts, buckets and tokens), except
 * the provider version constraint, which is public and is what a reviewer must see.
 */
import { compareStrings, isObj } from "../endpoint-view";
import { quote, stableJson } from "../format";
import type { Finding } from "../types";
import { genericFindings } from "./generic";
import type { Obj } from "./handler";

function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

function keysOf(a: Obj, b: Obj): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== "//").sort(compareStrings);
}

const BACKEND_ADVICE =
  "cdktf deploy does not move state between backends: migrate it first (terraform init -migrate-state in the stack directory), or the next deploy finds no state and tries to create every endpoint again";

function backendFindings(base: unknown, head: unknown): Finding[] {
  // `state:` of the environment file is where a YAML config sets the backend.
  return genericFindings("backend", base, head, "state goes back to the local default").map((f) => ({ ...f, advice: BACKEND_ADVICE, field: ["$environment", "state"] }));
}

/** `required_providers`: the version of each provider in words, other fields by name. */
function requiredProviderFindings(base: Obj, head: Obj): Finding[] {
  const findings: Finding[] = [];
  for (const name of keysOf(base, head)) {
    const b = obj(base[name]);
    const h = obj(head[name]);
    if (stableJson(b) === stableJson(h)) continue;
    if (b.version !== h.version && typeof (b.version ?? "") === "string" && typeof (h.version ?? "") === "string") {
      const shown = (v: unknown) => (v === undefined ? "not set" : quote(String(v)));
      findings.push({ class: "neutral", what: `required_providers ${name} version`, before: shown(b.version), after: shown(h.version), detail: "the deploy initializes the new provider version; read its changelog" });
    }
    const rest = (o: Obj) => ({ ...o, version: undefined });
    findings.push(...genericFindings(`required_providers ${name}`, base[name] === undefined ? undefined : rest(b), head[name] === undefined ? undefined : rest(h)));
  }
  return findings;
}

/** `{ name: block }` sections (output, variable, provider, module, ...): each name compared. */
function namedFindings(section: string, base: Obj, head: Obj): Finding[] {
  return keysOf(base, head).flatMap((name) => genericFindings(`${section} ${name}`, base[name], head[name], "removed from the stack"));
}

/** Addresses of resources that exist in only one of the stacks (created or removed). */
function createdOrRemoved(base: Obj, head: Obj): string[] {
  const out: string[] = [];
  const b = obj(base.resource);
  const h = obj(head.resource);
  for (const type of keysOf(b, h)) {
    for (const name of keysOf(obj(b[type]), obj(h[type]))) {
      if ((obj(b[type])[name] === undefined) !== (obj(h[type])[name] === undefined)) out.push(`${type}.${name}`);
    }
  }
  return out;
}

/**
 * An output created or removed with the resource it refers to (an endpoint's name, id and URL)
 * adds nothing to that resource's own change.
 */
function followsResource(value: unknown, addresses: readonly string[]): boolean {
  const json = stableJson(value ?? null);
  return addresses.some((a) => json.includes(`\${${a}.`) || json.includes(`\${${a}}`));
}

/** Every finding about a stack's settings, in a fixed order. */
export function stackSettingFindings(baseStack: unknown, headStack: unknown): Finding[] {
  const base = obj(baseStack);
  const head = obj(headStack);
  const bt = obj(base.terraform);
  const ht = obj(head.terraform);
  const findings: Finding[] = [...backendFindings(bt.backend, ht.backend), ...requiredProviderFindings(obj(bt.required_providers), obj(ht.required_providers))];
  for (const key of keysOf(bt, ht)) {
    if (key === "backend" || key === "required_providers") continue;
    findings.push(...genericFindings(`terraform ${key}`, bt[key], ht[key], "removed from the stack"));
  }
  for (const section of keysOf(base, head)) {
    if (section === "terraform" || section === "resource") continue;
    if (section === "data") {
      // data.<type>.<name>
      const bd = obj(base.data);
      const hd = obj(head.data);
      for (const type of keysOf(bd, hd)) findings.push(...namedFindings(`data ${type}`, obj(bd[type]), obj(hd[type])));
      continue;
    }
    const b = base[section];
    const h = head[section];
    if (section === "output") {
      const moved = createdOrRemoved(base, head);
      const keep = (o: Obj) => Object.fromEntries(Object.entries(o).filter(([, v]) => !followsResource(v, moved)));
      findings.push(...namedFindings(section, keep(obj(b)), keep(obj(h))));
    } else if (isObj(b) || isObj(h)) findings.push(...namedFindings(section, obj(b), obj(h)));
    else findings.push(...genericFindings(section, b, h, "removed from the stack"));
  }
  return findings;
}
