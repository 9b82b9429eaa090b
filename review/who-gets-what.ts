/**
 * Who gets what: the effective queries and tokens per minute of each principal named on an
 * endpoint (in its limits or its ACL), and of "any other user", under Databricks' precedence
 * (https://docs.databricks.com/aws/en/ai-gateway/rate-limits-beta, "Details and behavior"):
 * - rate limits apply only to callers who may query the endpoint (CAN_QUERY or CAN_MANAGE);
 * - the endpoint limit is a global cap shared by every caller;
 * - a custom limit (a user's, a service principal's, or a group's) overrides the default per-user
 *   limit; a user's or service principal's own limit takes priority over group limits;
 * - a group limit is one budget shared by all members;
 * - QPM and TPM are enforced separately, so whichever runs out first stops the caller.
 * Group membership is not in the Terraform, so a group row is "a member of this group who has no
 * limit of their own".
 */
import { identityLabel } from "./describe";
import type { AclEntry, EndpointView, IdentityKind, RateLimitView } from "./endpoint-view";
import { formatNumber } from "./format";
import type { AccessRow, EffectiveLimit } from "./types";

export type Dimension = "calls" | "tokens";

/** A caller: a named group, user or service principal, or `anyone` (under the per-user default). */
export interface Principal {
  readonly kind: IdentityKind | "anyone";
  readonly name: string;
}

const QUERY_LEVELS = new Set(["CAN_QUERY", "CAN_MANAGE"]);

/** The rate-limit key that names a principal of this kind. */
const LIMIT_KEY: Record<IdentityKind, string> = { group: "user_group", user: "user", "service principal": "service_principal" };
const KIND_OF_KEY: Record<string, IdentityKind | undefined> = { user_group: "group", user: "user", service_principal: "service principal" };

/**
 * The callers a limit governs: its principal, `anyone` for the default per-user limit, undefined
 * for the endpoint limit (everyone together) or an unknown key.
 */
export function callerOfLimit(limit: Pick<RateLimitView, "key" | "principal">): Principal | undefined {
  if (limit.key === "user" && limit.principal === undefined) return { kind: "anyone", name: "per-user" };
  const kind = KIND_OF_KEY[limit.key];
  return kind && limit.principal !== undefined ? { kind, name: limit.principal } : undefined;
}

/** Principals in the order the endpoint names them: limits first, then the ACL. */
function principalsOf(view: EndpointView): Principal[] {
  const seen = new Set<string>();
  const out: Principal[] = [];
  const add = (kind: IdentityKind, name: string) => {
    const id = `${kind}\u0000${name}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ kind, name });
  };
  for (const l of view.rateLimits) {
    const kind = KIND_OF_KEY[l.key];
    if (kind && l.principal !== undefined) add(kind, l.principal);
  }
  for (const a of view.acl ?? []) add(a.kind, a.name);
  return out;
}

/**
 * What the ACL grants `p`. `limited`: the limits apply when the principal queries, which it can
 * (`canQuery`) or may through a group the Terraform does not show members of.
 */
function access(view: EndpointView, p: Principal): { text: string; canQuery: boolean; limited: boolean } {
  if (!view.acl) return { text: "not managed here", canQuery: true, limited: true };
  // Every workspace user is in the built-in `users` group: its grant is what "anyone" gets.
  const entry: AclEntry | undefined =
    p.kind === "anyone"
      ? view.acl.find((a) => a.kind === "group" && a.name === "users")
      : view.acl.find((a) => a.kind === p.kind && a.name === p.name);
  if (!entry) {
    // A user or service principal named in a limit is often granted access through a group.
    if (p.kind === "user" || p.kind === "service principal") return { text: "no direct grant (may query through a group)", canQuery: false, limited: true };
    return { text: "no access", canQuery: false, limited: false };
  }
  if (QUERY_LEVELS.has(entry.level)) return { text: entry.level, canQuery: true, limited: true };
  return { text: `${entry.level} (cannot query)`, canQuery: false, limited: false };
}

function stricter(a: EffectiveLimit, b: EffectiveLimit): EffectiveLimit {
  if (a.value === undefined) return b;
  if (b.value === undefined) return a;
  return b.value < a.value ? b : a;
}

/** The limit that governs principal `p` in one dimension, before the endpoint cap. */
function ownOrDefault(limits: readonly RateLimitView[], p: Principal, dim: Dimension): EffectiveLimit {
  if (p.kind !== "anyone") {
    const key = LIMIT_KEY[p.kind];
    const custom = limits.find((l) => l.key === key && l.principal === p.name);
    if (custom) {
      // A custom limit replaces the default one whole: a dimension it leaves out is unlimited.
      const basis = p.kind === "group" ? "shared by the group" : "own limit";
      return custom[dim] === undefined ? { basis: "no limit" } : { value: custom[dim], basis };
    }
  }
  const perUser = limits.find((l) => l.key === "user" && l.principal === undefined);
  return perUser?.[dim] === undefined ? { basis: "no limit" } : { value: perUser[dim], basis: "per user" };
}

/**
 * The effective limit of caller `p` in one dimension, from the limits alone (whether `p` may
 * query is `access`'s business): the one computation behind Who-gets-what and the sentences of
 * the rate-limits rule.
 */
export function effectiveLimit(limits: readonly RateLimitView[], p: Principal, dim: Dimension): EffectiveLimit {
  let result = ownOrDefault(limits, p, dim);
  for (const l of limits) {
    if (l.key === "endpoint" && l[dim] !== undefined) {
      result = stricter(result, { value: l[dim], basis: "endpoint cap, shared by all callers" });
    }
  }
  return result;
}

/** The "limit" of a principal that cannot query at all. */
export const CANNOT_QUERY: EffectiveLimit = { value: 0, basis: "cannot query" };

function row(view: EndpointView, p: Principal): AccessRow {
  const a = access(view, p);
  return {
    endpoint: view.key,
    principal: p.kind === "anyone" ? p.name : identityLabel(p as AclEntry),
    access: a.text,
    canQuery: a.canQuery,
    qpm: a.limited ? effectiveLimit(view.rateLimits, p, "calls") : CANNOT_QUERY,
    tpm: a.limited ? effectiveLimit(view.rateLimits, p, "tokens") : CANNOT_QUERY,
  };
}

/** One row per principal named on the endpoint, then one for any other user. */
export function whoGetsWhat(view: EndpointView): AccessRow[] {
  return [...principalsOf(view).map((p) => row(view, p)), row(view, { kind: "anyone", name: "any other user" })];
}

/** `600 QPM (shared by the group)`, `no QPM limit`. */
function limitPhrase(limit: EffectiveLimit, unit: string): string {
  return limit.value === undefined ? `no ${unit} limit` : `${formatNumber(limit.value)} ${unit} (${limit.basis})`;
}

/**
 * What an endpoint grants, for the sentence of a new endpoint: who can query it, at what
 * effective limits, and what anyone else gets.
 */
export function grantsOf(view: EndpointView): string {
  const rows = whoGetsWhat(view);
  const other = rows[rows.length - 1];
  const limits = (r: AccessRow) => `${limitPhrase(r.qpm, "QPM")}, ${limitPhrase(r.tpm, "TPM")}`;
  if (!view.acl) return `permissions not managed here: whoever the workspace lets query gets ${limits(other)}`;
  const callers = rows.slice(0, -1).filter((r) => r.canQuery).map((r) => `${r.principal} ${r.access} at ${limits(r)}`);
  const anyone = other.canQuery ? `any other user at ${limits(other)}` : "nobody else";
  return callers.length === 0 && !other.canQuery ? "nobody can query it yet (no CAN_QUERY or CAN_MANAGE grant)" : `who can query: ${[...callers, anyone].join("; ")}`;
}
