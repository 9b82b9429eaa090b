/**
 * Problems found in config: one shape for every error and warning, so every command prints
 * them the same way: `file:line:col path: message`.
 */

export type Severity = "error" | "warning";

/** Where a value was written: the file of the layer that set it, 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface ConfigProblem {
  readonly severity: Severity;
  readonly location: SourceLocation;
  /** Path of the value in the file it was written in, e.g. `endpoints.chat.ai_gateway.rate_limits[1].calls`. */
  readonly path: string;
  /** What was expected, what was found, and how to fix it. */
  readonly message: string;
}

export type PathSegment = string | number;

/**
 * A finding of a semantic check, relative to the effective environment; the loader turns its
 * path into the file:line:col of the layer that set the value.
 */
export interface Finding {
  readonly severity: Severity;
  readonly path: ReadonlyArray<PathSegment>;
  readonly message: string;
  /** Report at the key rather than the value (for example a duplicate map key). */
  readonly atKey?: boolean;
}

/** `["endpoints", "chat", "rate_limits", 1]` → `endpoints.chat.rate_limits[1]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out === "" ? "(top level)" : out;
}

export function formatProblem(p: ConfigProblem): string {
  const where = `${p.location.file}:${p.location.line}:${p.location.col}`;
  const tag = p.severity === "warning" ? "warning: " : "";
  return `${where} ${p.path}: ${tag}${p.message}`;
}

/** Sorted by file, line, column, then message; duplicates (same place, same message) dropped. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  const unique: ConfigProblem[] = [];
  for (const p of problems) {
    const id = `${p.severity}\0${formatProblem(p)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    unique.push(p);
  }
  return unique.sort(
    (a, b) =>
      cmp(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.col - b.location.col ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A value shown only by its type: `a literal string (value not shown)`. */
export class Redacted {
  constructor(readonly value: unknown) {}
  toString(): string {
    return `a literal ${typeof this.value} (value not shown)`;
  }
}

/** A short, quoted rendering of a found value for messages: `"abc"`, `42`, `a list`, `a map`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value instanceof Redacted) return String(value);
  if (value === null) return "null";
  if (typeof value === "number" && !Number.isFinite(value)) {
    return Number.isNaN(value) ? ".nan (not a number)" : value > 0 ? ".inf (infinity)" : "-.inf (minus infinity)";
  }
  // YAML tags the config format has no use for, named as YAML names them.
  if (value instanceof Uint8Array) return "binary data (a !!binary value)";
  if (value instanceof Date) return "a timestamp (a !!timestamp value)";
  if (value instanceof Set) return "a set (a !!set value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  return `${typeof value} ${String(value)}`;
}

/** The known key closest to `key` (Levenshtein distance at most a third of its length, min 2). */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = levenshtein(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.ceil(key.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}
