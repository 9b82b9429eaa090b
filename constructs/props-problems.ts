/**
 * Problems with a construct's props, as a TypeScript user sees them: a path in the props'
 * camelCase vocabulary (`aiGateway.rateLimits[1].principal`), a severity and a message.
 *
 * The checks themselves are the validation rules of config/rules/ (pure functions over the
 * endpoint in Databricks' snake_case REST vocabulary, no YAML): a construct maps its props to that
 * shape, runs them, and translates the paths back here. So a rule written once protects YAML
 * users (at file:line) and TypeScript users (at the construct path) alike.
 */
import { Annotations } from "cdktf";
import type { IConstruct } from "constructs";
import type { Finding } from "../config/errors";

export type PropsSeverity = "error" | "warning";

export interface PropsProblem {
  readonly severity: PropsSeverity;
  /** Where in the props, e.g. `aiGateway.rateLimits[1].principal`; `(props)` for the whole. */
  readonly path: string;
  /** What was expected, what was found, and how to fix it. */
  readonly message: string;
}

/**
 * Thrown by a construct whose props have errors: every error at once, each with its props path,
 * after the construct path (`gateway-dev/endpoints/chat: ...`).
 */
export class GatewayPropsError extends Error {
  /** The errors (warnings are cdktf Annotations instead). */
  readonly problems: readonly PropsProblem[];
  /** The construct path, e.g. `gateway-dev/endpoints/chat`. */
  readonly constructPath: string;

  constructor(constructPath: string, what: string, problems: readonly PropsProblem[]) {
    const n = problems.length;
    super(`${constructPath}: invalid ${what}, ${n} problem${n === 1 ? "" : "s"}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
    this.name = "GatewayPropsError";
    this.problems = problems;
    this.constructPath = constructPath;
  }
}

/** Throws one GatewayPropsError for all errors; otherwise adds each warning as a cdktf Annotation. */
export function reportProblems(scope: IConstruct, what: string, problems: readonly PropsProblem[]): void {
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new GatewayPropsError(scope.node.path, what, errors);
  for (const p of problems) Annotations.of(scope).addWarning(`${p.path}: ${p.message}`);
}

/**
 * For a construct that checks its props before it is added to the tree (a TerraformResource
 * subclass must call super first): throws one GatewayPropsError for all errors, naming
 * `constructPath` (`<scope path>/<id>`). Such checks have no warnings: those need the construct.
 */
export function throwPropsErrors(constructPath: string, what: string, problems: readonly PropsProblem[]): void {
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new GatewayPropsError(constructPath, what, errors);
}

/** An error at a props path. */
export function propsError(path: string, message: string): PropsProblem {
  return { severity: "error", path, message };
}

/** A finding of a config rule (snake_case path) as a props problem. */
export function toPropsProblem(f: Finding): PropsProblem {
  return { severity: f.severity, path: propsPath(f.path), message: f.message };
}

/** A path segment of the snake_case shape and the props field it maps to, where not just camelCase. */
const RENAMED: Readonly<Record<string, string>> = {
  import: "importExisting",
  ai21labs_config: "ai21LabsConfig",
  ai21labs_api_key: "ai21LabsApiKey",
};

/** Maps whose keys are the user's (entity names, variable names, tag keys): kept as written. */
const USER_KEYED = new Set(["split", "environment_vars", "tags"]);

const camelCase = (field: string) => RENAMED[field] ?? field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `["ai_gateway", "rate_limits", 1, "principal"]` → `aiGateway.rateLimits[1].principal`. */
export function propsPath(path: ReadonlyArray<string | number>): string {
  let out = "";
  path.forEach((seg, i) => {
    if (typeof seg === "number") {
      out += `[${seg}]`;
      return;
    }
    const name = i > 0 && USER_KEYED.has(String(path[i - 1])) ? seg : camelCase(seg);
    out += out === "" ? name : `.${name}`;
  });
  return out === "" ? "(props)" : out;
}
