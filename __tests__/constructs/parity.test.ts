/**
 * Parity: every rejected-config case about endpoint content (__tests__/config/rejected-cases.ts)
 * is rejected by the constructs too, when the same config reaches them as props through
 * GatewayStack's config → props mapping without the YAML validator in front: one
 * GatewayPropsError naming the endpoint's construct path, with a problem at the props path of
 * every error the YAML path reports for that endpoint.
 *
 * A case is included unless listed below with the reason it cannot reach a construct. A new
 * rejected case is therefore included by default: it fails here until the constructs reject it
 * too, or it is listed with its reason.
 */
import { Testing } from "cdktf";
import { effectiveEnvironment } from "../../config/load";
import { parseYamlFile, toPlain } from "../../config/located";
import type { EnvironmentConfig } from "../../config/schema";
import { GatewayPropsError, propsPath } from "../../constructs";
import { GatewayStack } from "../../stacks/gateway-stack";
import { CASES, type RejectedCase } from "../config/rejected-cases";

const YAML_ONLY = "YAML syntax, file names or how layers merge: no props exist to construct";
const ENVIRONMENT = "environment settings (workspace, state, provider, deploy): GatewayStack's own input, not a construct's props";
const UNREPRESENTABLE = "unrepresentable in the props' TypeScript types (tsc refuses it before any construct runs)";

/** Cases that cannot reach a construct as props, with the reason. */
const EXCLUDED: Readonly<Record<string, string>> = {
  "yaml syntax error": YAML_ONLY,
  "duplicate yaml key": YAML_ONLY,
  "keys equal once read as text": YAML_ONLY,
  "an empty key": YAML_ONLY,
  "a __proto__ key": YAML_ONLY,
  "an alias that contains itself": YAML_ONLY,
  "aliases that expand exponentially (billion laughs)": YAML_ONLY,
  "a YAML merge key": YAML_ONLY,
  "unknown top-level key in gateway.yaml": YAML_ONLY,
  "unknown top-level key in environment file": YAML_ONLY,
  "invalid environment file name": YAML_ONLY,
  "environment overrides an undefined endpoint": YAML_ONLY,
  "defaults error reported once for every endpoint": YAML_ONLY,
  "invalid endpoint key": `${YAML_ONLY} (the construct side checks its id: see validation.test.ts)`,
  "workspace host not https": ENVIRONMENT,
  "workspace host not a URL at all (found by the fuzz test: it used to throw)": ENVIRONMENT,
  "workspace host with embedded credentials": ENVIRONMENT,
  "workspace host with a token in the query": ENVIRONMENT,
  "a token pasted as the workspace is not echoed": ENVIRONMENT,
  "workspace token in config": ENVIRONMENT,
  "missing workspace": ENVIRONMENT,
  "deploy.order not a non-negative integer": ENVIRONMENT,
  "provider version constraint that Terraform cannot parse": ENVIRONMENT,
  "state backend unknown": ENVIRONMENT,
  "state backend secret": ENVIRONMENT,
  "state s3 missing bucket": ENVIRONMENT,
  "unknown key with suggestion": UNREPRESENTABLE,
  "unknown key without suggestion": UNREPRESENTABLE,
  "wrong type: map for list": UNREPRESENTABLE,
  "wrong type: number for string tag": UNREPRESENTABLE,
  "wrong type: boolean": UNREPRESENTABLE,
  "rate limit key not in enum": UNREPRESENTABLE,
  "renewal period other than minute": UNREPRESENTABLE,
  "pii behavior not in enum": UNREPRESENTABLE,
  "permission level not in enum": UNREPRESENTABLE,
  "unknown provider": UNREPRESENTABLE,
  "deprecated invalid_keywords": UNREPRESENTABLE,
  "deprecated valid_topics": UNREPRESENTABLE,
  "deprecated top-level rate_limits": UNREPRESENTABLE,
  "plaintext credential": `${UNREPRESENTABLE}: the props have no *Plaintext fields`,
  "a credential pasted where a config block belongs is not echoed": UNREPRESENTABLE,
  "inference table as true": UNREPRESENTABLE,
  "served_entities missing": UNREPRESENTABLE,
  "entity without version": UNREPRESENTABLE,
  "provider without its config block": UNREPRESENTABLE,
  "provider config block does not match provider": `${UNREPRESENTABLE}: the provider and its config block are one union member`,
  "bedrock config missing required fields": UNREPRESENTABLE,
  "Terraform template sequences in values and keys":
    "in TypeScript `${...}` in a string is how cdktf writes a Terraform expression (tokens, Fn.*), so a construct cannot tell it from a mistake; YAML values are literal, so the YAML path refuses it",
  "cdktf token syntax in a value": "same: a cdktf token is legitimate construct input",
  "10,000 nested flow lists": YAML_ONLY,
  "10,000 nested list entries on one line": YAML_ONLY,
  "a !!binary value is named as binary data, not a map": YAML_ONLY,
  "a 3,000-level nested block mapping": YAML_ONLY,
  "a YAML merge key under tags, at the << line, and the rest still checked": YAML_ONLY,
  "a Databricks token pasted as the workspace host": ENVIRONMENT,
  "a short token pasted as the workspace host is not echoed": ENVIRONMENT,
  "an s3 endpoint with a user name only": ENVIRONMENT,
  "an s3 endpoint with user and password": ENVIRONMENT,
  "workspace host empty": ENVIRONMENT,
  "workspace host https:// without a host name": ENVIRONMENT,
  "workspace host with a space": ENVIRONMENT,
  "workspace host without a scheme": ENVIRONMENT,
  "workspace.host: null is reported once, at its line": ENVIRONMENT,
  "a token pasted as an unknown key is not echoed": UNREPRESENTABLE,
  "a malformed list token in a description (crashed synth)": "a cdktf token is legitimate construct input",
  "a number written as text that is an encoded cdktf token": "a cdktf token is legitimate construct input",
  "cdktf list and map token markers and map-token strings": "a cdktf token is legitimate construct input",
};

/** The merged, unvalidated config of environment `dev`, as the loader builds it before validation. */
function unvalidatedDev(c: RejectedCase): EnvironmentConfig {
  const gateway = parseYamlFile("gateway.yaml", c.files["gateway.yaml"]);
  const env = parseYamlFile("environments/dev.yaml", c.files["environments/dev.yaml"]);
  expect([...gateway.problems, ...env.problems]).toEqual([]);
  // Deliberately unvalidated: the point is what the constructs do without the YAML validator.
  return toPlain(effectiveEnvironment("dev", gateway.root, env.root)) as EnvironmentConfig;
}

/** `endpoints.chat.ai_gateway.rate_limits[1]` → ["endpoints", "chat", "ai_gateway", "rate_limits", 1]. */
function segments(path: string): Array<string | number> {
  return (path.match(/\[\d+\]|[^.[\]]+/g) ?? []).map((s) => (s.startsWith("[") ? Number(s.slice(1, -1)) : s));
}

/** A redacted credential key (`tags.AKIA…`) is reported by the construct at its map (`tags`). */
function redactedKeyToMap(path: Array<string | number>): Array<string | number> {
  const i = path.findIndex((s) => typeof s === "string" && s.includes("…"));
  return i < 0 ? path : path.slice(0, i);
}

const included = CASES.filter((c) => !(c.name in EXCLUDED));

test("every exclusion names an existing case, and most content cases are included", () => {
  const names = new Set(CASES.map((c) => c.name));
  expect(Object.keys(EXCLUDED).filter((n) => !names.has(n))).toEqual([]);
  expect(included.length).toBeGreaterThanOrEqual(30);
});

test.each(included.map((c) => [c.name, c] as const))("the constructs reject: %s", (_name, c) => {
  let thrown: unknown;
  try {
    new GatewayStack(Testing.app(), unvalidatedDev(c));
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(GatewayPropsError);
  const error = thrown as GatewayPropsError;
  const yamlPaths = c.errors.map((line) => segments(line.split(" ")[1].replace(/:$/, "")));
  const endpointKeys = [...new Set(yamlPaths.filter((p) => p[0] === "endpoints").map((p) => String(p[1])))];
  // The endpoint the YAML path blames is the construct that throws (naming errors blame the environment).
  if (endpointKeys.length > 0) expect(endpointKeys.map((k) => `gateway-dev/endpoints/${k}`)).toContain(error.constructPath);
  const expected = yamlPaths.filter((p) => p[0] === "endpoints" && `gateway-dev/endpoints/${p[1]}` === error.constructPath).map((p) => propsPath(redactedKeyToMap(p.slice(2))));
  expect(error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(expected));
});
