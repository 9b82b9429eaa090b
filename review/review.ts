/** The whole review: per environment, the policy report, who gets what, and the changes. */
import { appAddresses, appRows, surroundingChanges, withoutAppBindings } from "./apps";
import { environmentChanges, stackChanges, toChange } from "./changes";
import { compareStrings, EndpointEntry, endpointAddresses, endpointEntriesOf } from "./endpoint-view";
import { resourceFindings, serviceAddresses, stackSettingFindings } from "./resources";
import { jsonEqual } from "./format";
import { policyReport, policyRow } from "./policy-report";
import { AccessRow, Change, CHANGE_CLASSES, EnvironmentReview, Notice, PolicyRow, Review, SynthesizedStacks } from "./types";
import { whoGetsWhat } from "./who-gets-what";
import { serviceChanges } from "./services/changes";
import { servicePolicyRow, serviceWhoGetsWhat } from "./services/policy";
import { servicesOf, ServiceView } from "./services/view";

export interface ReviewOptions {
  /**
   * Environment names in the order to list them (the CLI gives the deploy order, as every command
   * lists them); environments not in it follow, by name.
   * @default - by name
   */
  readonly order?: readonly string[];
  /** @default "base" */
  readonly baseLabel?: string;
  /** @default "head" */
  readonly headLabel?: string;
  /** @default - none */
  readonly notices?: readonly Notice[];
  /**
   * Where a change is set in the config (`config/gateway.yaml:42`), given its environment,
   * endpoint (if any) and `field` (see Finding). The review itself reads only synthesized JSON;
   * the CLI, which has the head config's located trees, supplies this.
   * @default - changes carry no source
   */
  readonly locate?: (environment: string, endpoint: string | undefined, field: Change["field"]) => string | undefined;
}

function anyProtected(endpoints: ReadonlyMap<string, EndpointEntry>): boolean {
  for (const entry of endpoints.values()) if (entry.preventDestroy) return true;
  return false;
}

function environmentReview(name: string, base: unknown, head: unknown): EnvironmentReview {
  const baseEndpoints = base === undefined ? new Map<string, EndpointEntry>() : endpointEntriesOf(base);
  const headEndpoints = head === undefined ? new Map<string, EndpointEntry>() : endpointEntriesOf(head);
  const baseServices = base === undefined ? new Map<string, ServiceView>() : servicesOf(base);
  const headServices = head === undefined ? new Map<string, ServiceView>() : servicesOf(head);
  const servicesProtected = [...baseServices.values(), ...headServices.values()].some((s) => s.preventDestroy);
  const isProtected = anyProtected(baseEndpoints) || anyProtected(headEndpoints) || servicesProtected;
  const status = base === undefined ? "added" : head === undefined ? "removed" : "present";
  const shown = [...(status === "removed" ? baseEndpoints : headEndpoints).values()].map((e) => e.view);
  const apps = appRows(status === "removed" ? base : head);
  // Most endpoints do not change: compare each raw pair once, for the changes and the reports.
  const unchanged = new Set<string>();
  for (const [key, h] of headEndpoints) {
    const b = baseEndpoints.get(key);
    if (b && jsonEqual(b.resource, h.resource) && jsonEqual(b.acl, h.acl)) unchanged.add(key);
  }
  const compared = status === "present" ? compareReports(baseEndpoints, headEndpoints, unchanged) : { policy: policyReport(shown), access: shown.flatMap(whoGetsWhat) };
  const shownServices = status === "removed" ? baseServices : headServices;
  return {
    name,
    status,
    protected: isProtected,
    endpointCount: shown.length,
    policy: compared.policy,
    access: compared.access,
    ...(apps.length > 0 ? { apps } : {}),
    // A removed environment's endpoints are not destroyed (its stack is no longer deployed at all):
    // one sentence for the stack says so, none per endpoint.
    changes: bySeverity([
      ...stackChanges(name, status, shown.length),
      ...(status === "removed" ? [] : environmentChanges(name, baseEndpoints, headEndpoints, isProtected, unchanged)),
      ...(status === "removed" ? [] : otherChanges(name, base, head, status, isProtected)),
      ...(status === "removed" ? [] : surroundingChanges(name, base, head, (env, where, rule, f) => toChange(env, undefined, rule, f, isProtected, where))),
      ...(status === "removed" ? [] : serviceChanges(name, baseServices, headServices, isProtected)),
    ]),
    services: [...shownServices.values()].map(servicePolicyRow),
    serviceAccess: [...shownServices.values()].flatMap(serviceWhoGetsWhat),
  };
}

/**
 * The head's policy rows and who-gets-what rows, each marked with what differs from the base
 * (endpoints whose resources are equal are not compared again); rows of removed endpoints last.
 */
function compareReports(
  base: ReadonlyMap<string, EndpointEntry>,
  head: ReadonlyMap<string, EndpointEntry>,
  unchanged: ReadonlySet<string>,
): { policy: PolicyRow[]; access: AccessRow[] } {
  const policy: PolicyRow[] = [];
  const access: AccessRow[] = [];
  for (const [key, h] of head) {
    const b = base.get(key);
    const row = policyRow(h.view);
    const rows = whoGetsWhat(h.view);
    if (!b) {
      policy.push({ ...row, status: "new" });
      access.push(...rows.map((r) => ({ ...r, changed: true })));
      continue;
    }
    if (unchanged.has(key)) {
      policy.push(row);
      access.push(...rows);
      continue;
    }
    const old = policyRow(b.view);
    const changed = (Object.keys(row) as (keyof PolicyRow)[]).filter((k) => row[k] !== old[k]);
    policy.push(changed.length ? { ...row, changed } : row);
    const before = new Map(whoGetsWhat(b.view).map((r) => [r.principal, r]));
    for (const r of rows) {
      const o = before.get(r.principal);
      const same = o && o.access === r.access && o.qpm.value === r.qpm.value && o.qpm.basis === r.qpm.basis && o.tpm.value === r.tpm.value && o.tpm.basis === r.tpm.basis;
      access.push(same ? r : { ...r, changed: true });
    }
  }
  for (const [key, b] of base) if (!head.has(key)) policy.push({ ...policyRow(b.view), status: "removed" });
  return { policy, access };
}

/**
 * Everything the endpoint view does not read: other resources (review/resources/ handlers, or
 * the generic "changed, fields: …" line) and, for an environment present in both, the backend,
 * provider constraint, providers, data sources and outputs.
 */
function otherChanges(name: string, base: unknown, head: unknown, status: "added" | "present", isProtected: boolean): Change[] {
  const claimed = new Set([...endpointAddresses(base), ...endpointAddresses(head), ...serviceAddresses(base), ...serviceAddresses(head), ...appAddresses(base), ...appAddresses(head)]);
  const settings = status === "present" ? stackSettingFindings(withoutAppBindings(base), withoutAppBindings(head)).map((f) => toChange(name, undefined, "stack", f, isProtected)) : [];
  const resources = resourceFindings(base, head, claimed).map(({ address, rule, finding }) => toChange(name, undefined, rule, finding, isProtected, address));
  return [...settings, ...resources];
}

/**
 * The environment's own change first (it frames the rest), then most severe first, so a reviewer
 * reads one-way doors before tag edits; stable otherwise.
 */
function bySeverity(changes: Change[]): Change[] {
  const rank = new Map(CHANGE_CLASSES.map((c, i) => [c, i]));
  const level = (c: Change) => (c.endpoint === undefined && c.resource === undefined ? 0 : 1);
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => level(a.c) - level(b.c) || rank.get(a.c.class)! - rank.get(b.c.class)! || a.i - b.i)
    .map(({ c }) => c);
}

/** Compares two sets of synthesized stacks. Pure: no I/O, no clock, same input → same output. */
export function reviewStacks(base: SynthesizedStacks, head: SynthesizedStacks, options: ReviewOptions = {}): Review {
  const names = inOrder([...new Set([...Object.keys(base), ...Object.keys(head)])], options.order ?? []);
  const locate = options.locate;
  const environments = names.map((name) => {
    const e = environmentReview(name, base[name], head[name]);
    if (!locate || e.status === "removed") return e;
    return {
      ...e,
      changes: e.changes.map((c) => {
        if (c.resource !== undefined) return c;
        const source = locate(c.environment, c.endpoint, c.field);
        return source === undefined ? c : { ...c, source };
      }),
    };
  });
  return {
    baseLabel: options.baseLabel ?? "base",
    headLabel: options.headLabel ?? "head",
    environments,
    changes: environments.flatMap((e) => e.changes),
    notices: [...(options.notices ?? [])],
  };
}

/** `names` in the given order, then the rest by name. */
function inOrder(names: readonly string[], order: readonly string[]): string[] {
  const rank = (n: string) => (order.includes(n) ? order.indexOf(n) : order.length);
  return [...names].sort((a, b) => rank(a) - rank(b) || compareStrings(a, b));
}

/** 2 when any change (or notice) needs an explicit sign-off, else 0. */
export function exitCodeFor(review: Review): 0 | 2 {
  return review.changes.some((c) => c.signOff) || review.notices.some((n) => n.signOff) ? 2 : 0;
}
