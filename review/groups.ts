/**
 * Identical changes grouped: "input guardrail safety on → off" on ten endpoints in two
 * environments is one line to approve, not ten. Changes are identical when everything but their
 * place (environment, endpoint, sign-off, source) is equal.
 */
import { compareStrings } from "./endpoint-view";
import { Change, CHANGE_CLASSES } from "./types";

export interface ChangeGroup {
  /** In review order: environment, then endpoint key. */
  readonly changes: readonly Change[];
  /** The shared finding (the first change). */
  readonly first: Change;
}

function groupKey(c: Change): string {
  // Changes of an environment itself, or of a resource other than an endpoint, stay on their own.
  const place = c.endpoint === undefined ? `${c.environment}\u0000${c.resource ?? ""}` : "";
  return JSON.stringify([place, c.class, c.rule, c.what, c.before, c.after, c.detail, c.advice]);
}

/** Groups identical changes; most severe first, changes of environments first, then first seen. */
export function groupChanges(changes: readonly Change[]): ChangeGroup[] {
  const groups = new Map<string, Change[]>();
  for (const c of changes) {
    const key = groupKey(c);
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  const rank = new Map(CHANGE_CLASSES.map((c, i) => [c, i]));
  const level = (c: Change) => (c.endpoint === undefined && c.resource === undefined ? 0 : 1);
  return [...groups.values()]
    .map((list, i) => ({ list, i }))
    .sort((a, b) => level(a.list[0]) - level(b.list[0]) || rank.get(a.list[0].class)! - rank.get(b.list[0].class)! || a.i - b.i)
    .map(({ list }) => ({ first: list[0], changes: list }));
}

/** Distinct values in first-seen order. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** Environments of a group, sorted. */
export function environmentsOf(group: ChangeGroup): string[] {
  return distinct(group.changes.map((c) => c.environment)).sort(compareStrings);
}
