/**
 * The last step before any problem is printed: no message, path or file name repeats a
 * credential, and a place reported as holding one gets only that report (the schema's "expected a
 * secret reference" or "unknown key" at the same place would only say less, and might echo it).
 */
import { redact, redactCredentials } from "../databricks/credentials";
import type { ConfigProblem } from "./errors";

const CREDENTIAL_REPORT = / looks like .* a credential must never be written in config/;

export function scrubCredentials(problems: readonly ConfigProblem[], credentials: readonly string[]): ConfigProblem[] {
  // Longest first, so a value is replaced whole before a part of it is.
  const exact = [...new Set(credentials)].filter((c) => c.length > 0).sort((a, b) => b.length - a.length);
  const scrub = (text: string): string => {
    let out = text;
    for (const c of exact) if (out.includes(c)) out = out.split(c).join(redact(c));
    return redactCredentials(out);
  };
  const at = (p: ConfigProblem) => `${p.location.file}:${p.location.line}:${p.location.col}`;
  const reported = new Set(problems.filter((p) => CREDENTIAL_REPORT.test(p.message)).map(at));
  return problems
    .filter((p) => CREDENTIAL_REPORT.test(p.message) || !reported.has(at(p)))
    .map((p) => ({
      ...p,
      location: { ...p.location, file: scrub(p.location.file) },
      path: scrub(p.path),
      message: scrub(p.message),
    }));
}
