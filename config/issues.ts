/**
 * Turns zod issues on a located tree into problems a person can act on: what was expected, what
 * was found, where (file:line:col of the layer that set it) and how to fix it.
 */
import type { z } from "zod";
import { closestKey, ConfigProblem, describeValue, formatPath, PathSegment, Redacted } from "./errors";
import { findCredential, isCredentialName, mayCarryCredentials } from "../databricks/credentials";
import { child, LNode, locate, toPlain } from "./located";
import { PROVIDER } from "../databricks";

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/**
 * Keys that are not in the schema on purpose: each gets its own explanation instead of
 * "unknown key". Matched on the key name, wherever it appears.
 */
const REJECTED_KEYS: ReadonlyArray<[RegExp, (key: string) => string]> = [
  [
    /_plaintext$/,
    (key) =>
      `"${key}" is not allowed: a plaintext credential lands in Terraform state and plans (and drifts forever on ${PROVIDER}); use "${key.replace(/_plaintext$/, "")}" with a {{secrets/<scope>/<key>}} reference`,
  ],
  [
    /^(invalid_keywords|valid_topics)$/,
    (key) =>
      `"${key}" is deprecated by Databricks and not supported: use "pii" (NONE | BLOCK | MASK) and "safety" (true | false) instead`,
  ],
  [
    /^<<$/,
    () => `YAML merge keys ("<<") are not supported: repeat the keys, or put values shared by every endpoint in "defaults"`,
  ],
  [
    /^auto_capture_config$/,
    () =>
      `"auto_capture_config" (legacy inference tables) cannot be enabled since 2026-02-20: use ai_gateway.inference_table`,
  ],
];

/** Secret-bearing fields of state backends and the environment variable that carries each. */
const BACKEND_SECRET_ENV: Readonly<Record<string, string>> = {
  access_key: "AWS_ACCESS_KEY_ID (s3) or ARM_ACCESS_KEY (azurerm)",
  secret_key: "AWS_SECRET_ACCESS_KEY",
  token:
    "AWS_SESSION_TOKEN (s3) or TF_TOKEN_app_terraform_io (remote; for another hostname TF_TOKEN_<hostname with dots as underscores>)",
  sse_customer_key: "AWS_SSE_CUSTOMER_KEY",
  credentials: "GOOGLE_BACKEND_CREDENTIALS or GOOGLE_CREDENTIALS",
  access_token: "GOOGLE_OAUTH_ACCESS_TOKEN",
  encryption_key: "GOOGLE_ENCRYPTION_KEY",
  sas_token: "ARM_SAS_TOKEN",
  client_secret: "ARM_CLIENT_SECRET",
  client_certificate: "ARM_CLIENT_CERTIFICATE (or a file path in ARM_CLIENT_CERTIFICATE_PATH)",
  client_certificate_password: "ARM_CLIENT_CERTIFICATE_PASSWORD",
  oidc_token: "ARM_OIDC_TOKEN",
  oidc_request_token: "ACTIONS_ID_TOKEN_REQUEST_TOKEN (set by GitHub Actions)",
};

/** Credentials someone might try to put next to the workspace host. */
const WORKSPACE_SECRET_ENV: Readonly<Record<string, string>> = {
  token: "DATABRICKS_TOKEN",
  client_secret: "DATABRICKS_CLIENT_SECRET",
  client_id: "DATABRICKS_CLIENT_ID",
  password: "DATABRICKS_PASSWORD",
};

function rejectedKeyMessage(key: string, parentPath: readonly PathSegment[]): string | undefined {
  const parent = parentPath[parentPath.length - 1];
  if (parent === "state" && Object.hasOwn(BACKEND_SECRET_ENV, key)) {
    return `"${key}" is a credential and must not be written in config (it would be committed and land in the state backend block); set ${BACKEND_SECRET_ENV[key]} in the deploy job's environment instead`;
  }
  if (parent === "workspace" && Object.hasOwn(WORKSPACE_SECRET_ENV, key)) {
    return `"${key}" must not be written in config: credentials come from the environment at deploy time; set ${WORKSPACE_SECRET_ENV[key]} in the deploy job's secrets instead`;
  }
  if (key === "rate_limits" && parentPath.length === 2 && parentPath[0] === "endpoints") {
    return `the top-level "rate_limits" block is deprecated (sent on create only, never read back): put rate limits under ai_gateway.rate_limits`;
  }
  for (const [pattern, explain] of REJECTED_KEYS) if (pattern.test(key)) return explain(key);
  return undefined;
}

/** Blocks whose values are, or sit next to, credentials. */
const CREDENTIAL_BLOCK = /(_config|_auth|^workspace|^environment_vars)$/;

/**
 * Never repeat a credential in output, even a misplaced one: values of credential fields, values
 * inside credential-bearing blocks, and any scalar written where a map or list belongs (a pasted
 * key in place of `anthropic_config: {...}`) are described without their value.
 */
function redact(path: readonly PathSegment[], value: unknown, expected?: string): unknown {
  if (value === undefined || value === null || typeof value === "object") return value;
  const last = String(path[path.length - 1] ?? "");
  if (last === "host" && typeof value === "string" && !mayCarryCredentials(value)) return value;
  const sensitive =
    isCredentialName(last) ||
    (typeof value === "string" && findCredential(value, last) !== undefined) ||
    path.some((seg) => typeof seg === "string" && CREDENTIAL_BLOCK.test(seg)) ||
    (typeof value === "string" && (expected === "object" || expected === "array" || expected === "record"));
  return sensitive ? new Redacted(value) : value;
}

/** One problem per zod issue (several for an issue listing several unknown keys). */
export function issueToProblems(issue: Issue, root: LNode, schema: AnySchema): ConfigProblem[] {
  const path = issue.path as PathSegment[];
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => unknownKeyProblem(key, path, root, schema));
    case "invalid_union":
      return unionProblems(issue, root, schema);
    default: {
      const at = locate(root, path);
      const expected = issue.code === "invalid_type" ? issue.expected : undefined;
      const found = at.found ? redact(path, toPlain(at.node), expected) : undefined;
      return [
        {
          severity: "error",
          location: at.origin,
          path: formatPath(at.path),
          message: at.removed && found === undefined && issue.code === "invalid_type"
            ? `"${String(path[path.length - 1])}" is required (expected ${article(issue.expected)}), but null here removes it: set a value here, or remove this line if a layer below sets one`
            : issueMessage(issue, found, path),
        },
      ];
    }
  }
}

function unknownKeyProblem(key: string, path: PathSegment[], root: LNode, schema: AnySchema): ConfigProblem {
  const parent = locate(root, path);
  const entry = child(parent.node, key);
  const location = entry?.keyOrigin ?? parent.origin;
  const filePath = [...parent.path, key];
  const special = rejectedKeyMessage(key, path);
  let message = special;
  if (!message) {
    const known = knownKeys(schema, path, root);
    const guess = closestKey(key, known);
    message = guess
      ? `unknown key "${key}"; did you mean "${guess}"?`
      : `unknown key "${key}"; expected one of: ${known.join(", ")}`;
  }
  return { severity: "error", location, path: formatPath(filePath), message };
}

/**
 * A union failed: when the value has the shape of one option (a map for a map option, a list for
 * a list option), that option's own problems are the useful ones; otherwise name the options.
 */
function unionProblems(issue: Issue & { code: "invalid_union" }, root: LNode, schema: AnySchema): ConfigProblem[] {
  const path = issue.path as PathSegment[];
  const at = locate(root, path);
  const found = at.found ? redact(path, toPlain(at.node), "object") : undefined;
  const branches = (issue as { errors?: Issue[][] }).errors ?? [];
  const sameShape = branches.find(
    (issues) => issues.length > 0 && issues.every((i) => i.path.length > 0 || i.code === "unrecognized_keys"),
  );
  if (sameShape && found !== undefined) {
    return sameShape.flatMap((i) => issueToProblems({ ...i, path: [...path, ...i.path] } as Issue, root, schema));
  }
  const discriminator = (issue as { discriminator?: string }).discriminator ?? discriminatorOf(schemaAt(schema, path, root, false));
  if (discriminator) {
    // zod reports a bad discriminator at the union's path or at the discriminator key itself.
    if (path[path.length - 1] === discriminator) return unionProblems({ ...issue, path: path.slice(0, -1) }, root, schema);
    const options = unionOptions(schemaAt(schema, path, root, false))
      .map((o) => literalOf(shapeOf(o)?.[discriminator]))
      .filter((v): v is string => v !== undefined);
    const value = (found as Record<string, unknown> | undefined)?.[discriminator];
    const valueAt = locate(root, [...path, discriminator]);
    const guess = typeof value === "string" ? closestKey(value, options) : undefined;
    return [
      {
        severity: "error",
        location: valueAt.origin,
        path: formatPath(valueAt.found ? valueAt.path : [...at.path, discriminator]),
        message:
          `expected ${discriminator} to be one of ${options.join(" | ")}, got ${describeValue(value)}` +
          (guess ? `; did you mean "${guess}"?` : ""),
      },
    ];
  }
  const expected = unionOptions(schemaAt(schema, path, root, false)).map(describeSchema).join(" or ");
  return [
    {
      severity: "error",
      location: at.origin,
      path: formatPath(at.path),
      message: `expected ${expected}, got ${describeValue(found)}`,
    },
  ];
}

function issueMessage(issue: Issue, found: unknown, path: PathSegment[]): string {
  switch (issue.code) {
    case "invalid_type": {
      if (found === undefined) {
        const key = path[path.length - 1];
        return `required key "${String(key)}" is missing: add it (expected ${article(issue.expected)})`;
      }
      const hint =
        issue.expected === "string" && (typeof found === "number" || typeof found === "boolean")
          ? `: quote it ("${String(found)}") so YAML reads it as a string`
          : typeof found === "number" && !Number.isFinite(found)
            ? ": write a finite number"
            : issue.expected === "int" && typeof found === "number"
              ? ": use a whole number"
              : typeof found === "object" && found !== null && !Array.isArray(found) && issue.expected === "string" && !(found instanceof Redacted) && Object.getPrototypeOf(found) !== Object.prototype
                ? ": remove the YAML tag (config values are plain strings, numbers, booleans, lists and maps)"
                : "";
      return `expected ${article(issue.expected)}, got ${describeValue(found)}${hint}`;
    }
    case "invalid_value": {
      const options = issue.values.map((v) => String(v));
      const guess = typeof found === "string" ? closestKey(found, options) : undefined;
      const list = options.length === 1 ? JSON.stringify(options[0]) : `one of ${options.join(" | ")}`;
      return `expected ${list}, got ${describeValue(found)}` + (guess && guess !== found ? `; did you mean "${guess}"?` : "");
    }
    case "too_small":
      if (issue.origin === "array") return `expected at least ${issue.minimum} item(s), got ${describeValue(found)} with ${(found as unknown[]).length}`;
      if (issue.origin === "string") return `expected a non-empty string, got ${describeValue(found)}`;
      return `expected a number ${issue.inclusive ? ">=" : ">"} ${issue.minimum}, got ${describeValue(found)}`;
    case "too_big":
      return `expected a number ${issue.inclusive ? "<=" : "<"} ${issue.maximum}, got ${describeValue(found)}`;
    case "invalid_format":
      return `${issue.message.startsWith("Invalid") ? `expected ${issue.format}` : issue.message}, got ${describeValue(found)}`;
    case "invalid_key":
      return `invalid key ${describeValue(path[path.length - 1])}`;
    default:
      return issue.message;
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    int: "a whole number",
    number: "a number",
    string: "a string",
    boolean: "true or false",
    object: "a map",
    array: "a list",
    record: "a map",
  };
  return names[type] ?? type;
}

// ---- walking the zod schema (to list known keys) -----------------------------------------

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  values?: unknown[];
  in?: AnySchema;
}
const defOf = (s: AnySchema | undefined): Def | undefined => (s as { _zod?: { def: Def } } | undefined)?._zod?.def;

function unwrap(s: AnySchema | undefined): AnySchema | undefined {
  let d = defOf(s);
  while (d && (d.type === "optional" || d.type === "nullable" || d.type === "default" || d.type === "pipe")) {
    s = d.innerType ?? d.in;
    d = defOf(s);
  }
  return s;
}

function shapeOf(s: AnySchema | undefined): Record<string, AnySchema> | undefined {
  return defOf(unwrap(s))?.shape;
}

function unionOptions(s: AnySchema | undefined): AnySchema[] {
  const d = defOf(unwrap(s));
  return d?.type === "union" ? (d.options ?? []) : s ? [s] : [];
}

function discriminatorOf(s: AnySchema | undefined): string | undefined {
  return (defOf(unwrap(s)) as { discriminator?: string } | undefined)?.discriminator;
}

function literalOf(s: AnySchema | undefined): string | undefined {
  const d = defOf(unwrap(s));
  return d?.type === "literal" ? String(d.values?.[0]) : undefined;
}

function describeSchema(s: AnySchema): string {
  const d = defOf(unwrap(s));
  if (d?.type === "object") return `a map (${Object.keys(d.shape ?? {}).join(", ")})`;
  if (d?.type === "literal") return JSON.stringify(d.values?.[0]);
  return article(d?.type ?? "value");
}

/** The schema that applies at `path`; for unions, the option whose shape matches the value. */
function schemaAt(schema: AnySchema, path: readonly PathSegment[], root: LNode, pickLast = true): AnySchema | undefined {
  let s: AnySchema | undefined = schema;
  for (let i = 0; i < path.length && s; i++) {
    s = pickOption(s, locate(root, path.slice(0, i)).node);
    const d = defOf(unwrap(s));
    if (!d) return undefined;
    if (d.type === "object") s = d.shape?.[String(path[i])];
    else if (d.type === "array") s = d.element;
    else if (d.type === "record") s = d.valueType;
    else return undefined;
  }
  return s && (pickLast ? pickOption(s, locate(root, path).node) : s);
}

function pickOption(s: AnySchema, node: LNode): AnySchema {
  const options = unionOptions(s);
  if (options.length <= 1) return unwrap(s) ?? s;
  const value = toPlain(node);
  const wantsMap = node.kind === "map";
  const keys = wantsMap ? Object.keys(value as object) : [];
  let best = options[0];
  let bestScore = -1;
  for (const option of options) {
    const shape = shapeOf(option);
    if (!shape) continue;
    const score = keys.filter((k) => k in shape).length;
    const disc = Object.entries(shape).find(([, v]) => literalOf(v) !== undefined);
    const discMatches = disc && (value as Record<string, unknown>)[disc[0]] === literalOf(disc[1]);
    const total = score + (discMatches ? 100 : 0);
    if (total > bestScore) {
      best = option;
      bestScore = total;
    }
  }
  return unwrap(best) ?? best;
}

function knownKeys(schema: AnySchema, path: readonly PathSegment[], root: LNode): string[] {
  return Object.keys(shapeOf(schemaAt(schema, path, root)) ?? {});
}
