/** How commands print problems: one line each, then a count. */
import type { ConfigProblem } from "../config/errors";
export { formatProblem } from "../config/errors";

export function summarizeProblems(problems: readonly ConfigProblem[]): string {
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  return `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}

/** Errors fail a command; with --strict, warnings do too. */
export function hasErrorsOrStrict(problems: readonly ConfigProblem[], strict: boolean): boolean {
  return problems.some((p) => p.severity === "error" || strict);
}
