/**
 * `provider.version`: the Terraform version constraint for databricks/databricks in one
 * environment. Checked here rather than at `terraform init` (in CI, after the merge), because a
 * constraint that does not parse, excludes the version the bindings describe, or lets a new major
 * version in only shows up at deploy time.
 *
 * Syntax as Terraform takes it (checked against `terraform init` 1.11): comma-separated terms,
 * each an optional operator (`=`, `!=`, `>`, `>=`, `<`, `<=`, `~>`) and a version of one to three
 * numeric parts with an optional `-prerelease` and `+build`; no `v` prefix, no wildcards.
 * https://developer.hashicorp.com/terraform/language/expressions/version-constraints
 */
import { SERVICE_BINDINGS_PROVIDER, SERVICE_GRANTS_MIN_PROVIDER, SERVICES_MIN_PROVIDER } from "../databricks/ai-gateway-services";
import type { Finding } from "./errors";
import type { EnvironmentConfig } from "./schema";
import { BINDINGS_PROVIDER_VERSION, DEFAULT_PROVIDER_CONSTRAINT, minorVersion } from "../databricks";

/** The bindings' major version and the next one, which a constraint should keep out. */
const MAJOR = Number(BINDINGS_PROVIDER_VERSION.split(".")[0]);
const NEXT_MAJOR = MAJOR + 1;

/** The provider version an environment needs for its standalone AI Gateway services, if any. */
export function serviceProviderFloor(env: Pick<EnvironmentConfig, "ai_gateway_services">): string | undefined {
  const services = Object.values(env.ai_gateway_services ?? {});
  if (services.length === 0) return undefined;
  return services.some((s) => (s.grants ?? []).length > 0) ? SERVICE_GRANTS_MIN_PROVIDER : SERVICES_MIN_PROVIDER;
}

/**
 * The constraint a stack writes: `provider.version`, else {@link DEFAULT_PROVIDER_CONSTRAINT},
 * whose floor rises to the first release with the environment's AI Gateway services.
 */
export function providerConstraint(env: Pick<EnvironmentConfig, "provider" | "ai_gateway_services">): string {
  if (env.provider?.version !== undefined) return env.provider.version;
  const floor = serviceProviderFloor(env);
  return floor === undefined ? DEFAULT_PROVIDER_CONSTRAINT : `>= ${floor}, < 2.0.0`;
}

/**
 * Why a service field missing from provider {@link SERVICE_BINDINGS_PROVIDER}'s schema would fail
 * `terraform plan` in this environment, and how to fix it; undefined when the environment's
 * constraint excludes every release up to that minor version (patch releases add no fields).
 */
export function newerFieldProblem(env: Pick<EnvironmentConfig, "provider" | "ai_gateway_services">, field: string, removal: string): string | undefined {
  const constraint = providerConstraint(env);
  const [major, minor] = SERVICE_BINDINGS_PROVIDER.split(".").map(Number);
  if (!admitsReleaseBelow(constraint, `${major}.${minor + 1}.0`)) return undefined;
  const which = env.provider?.version === undefined ? `the default provider constraint "${constraint}"` : `provider.version "${constraint}"`;
  return `${field} is not in the schema of databricks provider ${minorVersion(SERVICE_BINDINGS_PROVIDER)} or older, which ${which} allows, so terraform plan would fail: raise provider.version's lower bound above ${minorVersion(SERVICE_BINDINGS_PROVIDER)} to a release that has it, or ${removal}`;
}

type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~>";

/** One term of a constraint; `parts` holds only the numeric parts that were written (1 to 3). */
export interface ConstraintTerm {
  readonly operator: Operator;
  readonly parts: readonly number[];
  readonly prerelease?: string;
}

export type ParsedConstraint = { ok: true; terms: ConstraintTerm[] } | { ok: false; reason: string };

const TERM = /^(=|!=|>=|<=|>|<|~>)?\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses a Terraform version constraint; never throws. */
export function parseConstraint(constraint: string): ParsedConstraint {
  if (constraint.trim() === "") return { ok: false, reason: "it is empty" };
  const terms: ConstraintTerm[] = [];
  for (const raw of constraint.split(",")) {
    const text = raw.trim();
    if (text === "") return { ok: false, reason: "it has an empty term between commas" };
    if (/^[=!<>~]*\s*v\d/.test(text)) return { ok: false, reason: `"${text}": drop the "v" prefix` };
    const m = TERM.exec(text);
    if (!m) {
      const hint = /\s\d/.test(text.replace(/^(=|!=|>=|<=|>|<|~>)\s*/, ""))
        ? ": separate terms with commas"
        : /[*x^]/.test(text)
          ? ": wildcards and ^ are not Terraform syntax; use ~> or a range"
          : "";
      return { ok: false, reason: `"${text}" is not an operator and a version${hint}` };
    }
    const parts = [m[2], m[3], m[4]].filter((p): p is string => p !== undefined).map(Number);
    terms.push({ operator: (m[1] as Operator | undefined) ?? "=", parts, prerelease: m[5] });
  }
  return { ok: true, terms };
}

type Version = readonly [number, number, number];

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

const full = (parts: readonly number[]): Version => [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];

/** The first version a `~>` term no longer allows: only the last written part may grow. */
function pessimisticLimit(parts: readonly number[]): Version {
  if (parts.length === 3) return [parts[0], parts[1] + 1, 0];
  return [parts[0] + 1, 0, 0];
}

/** Whether a release version (no prerelease) satisfies one term. */
function termAllows(term: ConstraintTerm, v: Version): boolean {
  // Terraform matches a prerelease only by an exact `=` term; a release never matches one.
  if (term.prerelease !== undefined) return term.operator === "!=";
  const c = full(term.parts);
  // `=` and `!=` compare only the parts written: `= 1.99` matches every 1.99.x.
  const samePrefix = term.parts.every((p, i) => v[i] === p);
  switch (term.operator) {
    case "=":
      return samePrefix;
    case "!=":
      return !samePrefix;
    case ">":
      return compare(v, c) > 0;
    case ">=":
      return compare(v, c) >= 0;
    case "<":
      return compare(v, c) < 0;
    case "<=":
      return compare(v, c) <= 0;
    case "~>":
      return compare(v, c) >= 0 && compare(v, pessimisticLimit(term.parts)) < 0;
  }
}

/** Whether a release version such as "1.99.0" satisfies every term of a parsed constraint. */
export function allows(terms: readonly ConstraintTerm[], version: string): boolean {
  const v = full(version.split(".").map(Number));
  return terms.every((t) => termAllows(t, v));
}

/**
 * Whether a constraint admits some 1.x release below `version`, trying every 1.minor.patch
 * with patch < 20. An unparseable constraint admits nothing here: it
 * is reported by {@link checkProviderVersion}.
 */
export function admitsReleaseBelow(constraint: string, version: string): boolean {
  const parsed = parseConstraint(constraint);
  if (!parsed.ok) return false;
  const [, minor, patch] = version.split(".").map(Number);
  for (let m = 0; m <= minor; m++) {
    for (let p = 0; p < 20; p++) {
      if (m === minor && p >= patch) break;
      if (allows(parsed.terms, `1.${m}.${p}`)) return true;
    }
  }
  return false;
}

/** Whether some term keeps every allowed version below 2.0.0 (so no major upgrade slips in). */
function boundedBelowNextMajor(terms: readonly ConstraintTerm[]): boolean {
  const nextMajor: Version = [NEXT_MAJOR, 0, 0];
  return terms.some((t) => {
    const c = full(t.parts);
    switch (t.operator) {
      case "<":
        return compare(c, nextMajor) <= 0;
      case "<=":
        return compare(c, nextMajor) < 0;
      case "=":
        return t.parts[0] < NEXT_MAJOR;
      case "~>":
        return compare(pessimisticLimit(t.parts), nextMajor) <= 0;
      default:
        return false;
    }
  });
}

/**
 * Findings for one environment's `provider.version` (none when it is not set: the default is
 * {@link DEFAULT_PROVIDER_CONSTRAINT}). An unparseable constraint is an error; one that excludes
 * the bindings' version or admits 2.x is a warning, since either may be deliberate.
 */
export function checkProviderVersion(env: EnvironmentConfig): Finding[] {
  const constraint = env.provider?.version;
  if (constraint === undefined) return [];
  const path = ["provider", "version"];
  const parsed = parseConstraint(constraint);
  if (!parsed.ok) {
    return [
      {
        severity: "error",
        path,
        message: `expected a Terraform version constraint such as "${DEFAULT_PROVIDER_CONSTRAINT}" or "~> ${minorVersion(BINDINGS_PROVIDER_VERSION)}", got "${constraint}": ${parsed.reason}`,
      },
    ];
  }
  const findings: Finding[] = [];
  // With AI Gateway services the stack needs a newer provider than the bindings' on purpose
  // (config/rules/service-provider-version.ts checks that floor instead).
  if (serviceProviderFloor(env) === undefined && !allows(parsed.terms, BINDINGS_PROVIDER_VERSION)) {
    findings.push({
      severity: "warning",
      path,
      message: `"${constraint}" excludes ${BINDINGS_PROVIDER_VERSION}, the databricks provider version the bindings (@cdktf/provider-databricks) were generated from: Terraform may reject or silently ignore fields the stack writes; include ${BINDINGS_PROVIDER_VERSION} or upgrade @cdktf/provider-databricks to bindings of the version you need`,
    });
  }
  if (!boundedBelowNextMajor(parsed.terms)) {
    findings.push({
      severity: "warning",
      path,
      message: `"${constraint}" allows databricks provider ${NEXT_MAJOR}.x, where fields the stack writes may be renamed or removed: add an upper bound such as "< ${NEXT_MAJOR}.0.0"`,
    });
  }
  return findings;
}
