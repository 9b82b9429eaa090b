/** The whole review: per environment, the policy report, who gets what, and the changes. */
import { environmentChanges, stackChanges } from "./changes";
import { compareStrings, EndpointEntry, endpointEntriesOf } from "./endpoint-view";
import { policyReport } from "./policy-report";
import { Change, CHANGE_CLASSES, EnvironmentReview, Notice, Review, SynthesizedStacks } from "./types";
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
  const shownServices = status === "removed" ? baseServices : headServices;
  return {
    name,
    status,
    protected: isProtected,
    endpointCount: shown.length,
    policy: policyReport(shown),
    access: shown.flatMap(whoGetsWhat),
    // A removed environment's endpoints are not destroyed (its stack is no longer deployed at all):
    // one sentence for the stack says so, none per endpoint.
    changes: bySeverity([
      ...stackChanges(name, status, shown.length),
      ...(status === "removed" ? [] : environmentChanges(name, baseEndpoints, headEndpoints, isProtected)),
      ...(status === "removed" ? [] : serviceChanges(name, baseServices, headServices, isProtected)),
    ]),
    services: [...shownServices.values()].map(servicePolicyRow),
    serviceAccess: [...shownServices.values()].flatMap(serviceWhoGetsWhat),
  };
}

/**
 * The environment's own change first (it frames the rest), then most severe first, so a reviewer
 * reads one-way doors before tag edits; stable otherwise.
 */
function bySeverity(changes: Change[]): Change[] {
  const rank = new Map(CHANGE_CLASSES.map((c, i) => [c, i]));
  const level = (c: Change) => (c.endpoint === undefined ? 0 : 1);
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => level(a.c) - level(b.c) || rank.get(a.c.class)! - rank.get(b.c.class)! || a.i - b.i)
    .map(({ c }) => c);
}

/** Compares two sets of synthesized stacks. Pure: no I/O, no clock, same input → same output. */
export function reviewStacks(base: SynthesizedStacks, head: SynthesizedStacks, options: ReviewOptions = {}): Review {
  const names = inOrder([...new Set([...Object.keys(base), ...Object.keys(head)])], options.order ?? []);
  const environments = names.map((name) => environmentReview(name, base[name], head[name]));
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
