/** How commands print problems: one line each, then a count. */
import type { ConfigProblem } from "../config/errors";
export { formatProblem } from "../config/errors";

/** Where a command prints: process.stdout/stderr, or a buffer in tests. */
export interface Writable {
  write(text: string): unknown;
}

export function summarizeProblems(problems: readonly ConfigProblem[]): string {
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  return `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}

/** Errors fail a command; with --strict, warnings do too. */
export function hasErrorsOrStrict(problems: readonly ConfigProblem[], strict: boolean): boolean {
  return problems.some((p) => p.severity === "error" || strict);
}

/** A GitHub Actions workflow command, so CI shows the problem on the line in the PR diff. */
export function githubAnnotation(p: ConfigProblem): string {
  const escape = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const level = p.severity === "error" ? "error" : "warning";
  return `::${level} file=${p.location.file},line=${p.location.line},col=${p.location.col}::${escape(`${p.path}: ${p.message}`)}`;
}
