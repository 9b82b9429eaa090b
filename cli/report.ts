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

/**
 * A GitHub Actions workflow command, so CI shows the problem on the line in the PR diff. Escaped
 * as the workflow-command spec says (actions/toolkit `command.ts`): in the message `%`, CR and LF;
 * in property values also `:` and `,`, so a file name cannot end the property or add another.
 * Messages never hold a credential (config/scrub.ts); file names are scrubbed too.
 */
export function githubAnnotation(p: ConfigProblem): string {
  const level = p.severity === "error" ? "error" : "warning";
  const file = escapeProperty(p.location.file);
  return `::${level} file=${file},line=${p.location.line},col=${p.location.col}::${escapeData(`${p.path}: ${p.message}`)}`;
}

/** The message of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A property value (`file=`, `title=`) of a workflow command. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
