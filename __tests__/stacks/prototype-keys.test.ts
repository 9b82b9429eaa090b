/**
 * Endpoint keys named like Object.prototype members validate, synthesize under their own logical
 * ids, and review (they used to crash synth: the constructs library keeps children in a plain
 * object). `__proto__` is refused by the loader instead.
 */
import { constructIdFor } from "../../constructs/construct-id";
import { ENDPOINT_KEY_PATTERN } from "../../config/schema";
import { renderMarkdown, reviewStacks } from "../../review";
import { synthesizeInMemory } from "../../stacks/synth-memory";
import * as fs from "fs";
import * as path from "path";
import { loadTree, loadValid, MINIMAL_ENV, REPO_ROOT, synthEnv } from "../helpers";

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).filter((k) => k !== "__proto__" && ENDPOINT_KEY_PATTERN.test(k));

function gatewayWith(keys: readonly string[]): string {
  return (
    "endpoints:\n" +
    keys
      .map(
        (k) => `  ${k}:
    task: llm/v1/chat
    served_entities:
      - name: openai
        external_model: { provider: openai, name: gpt-4o-mini, openai_config: { openai_api_key: "{{secrets/llm/openai}}" } }
    permissions: [{ group_name: analysts, level: CAN_QUERY }]
`,
      )
      .join("")
  );
}

describe("endpoint keys named like Object.prototype members", () => {
  test("the list covers the ones the attack run used", () => {
    expect(PROTOTYPE_KEYS).toEqual(expect.arrayContaining(["constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"]));
  });

  test.each(PROTOTYPE_KEYS)("%s validates and synthesizes under its own logical id", (key) => {
    const env = loadValid({ "gateway.yaml": gatewayWith([key, "chat"]), "environments/dev.yaml": MINIMAL_ENV }).dev;
    const json = synthEnv(env);
    for (const type of ["databricks_model_serving", "databricks_permissions"]) {
      expect(Object.keys(json.resource[type]).sort()).toEqual([key, "chat"].sort());
    }
    expect(json.resource.databricks_model_serving[key].name).toBe(key);
    expect(json.resource.databricks_permissions[key].serving_endpoint_id).toBe(`\${databricks_model_serving.${key}.serving_endpoint_id}`);
    expect(json.output[key].value.name).toBe(`\${databricks_model_serving.${key}.name}`);
  });

  test("all of them in one environment: distinct resources, and the review lists each", () => {
    const env = loadValid({ "gateway.yaml": gatewayWith(PROTOTYPE_KEYS), "environments/dev.yaml": MINIMAL_ENV }).dev;
    const stacks = synthesizeInMemory([env]);
    const json = stacks.dev as { resource: Record<string, Record<string, unknown>> };
    expect(Object.keys(json.resource.databricks_model_serving).sort()).toEqual([...PROTOTYPE_KEYS].sort());
    const markdown = renderMarkdown(reviewStacks({}, stacks), {});
    for (const key of PROTOTYPE_KEYS) expect(markdown).toContain(`\`dev/${key}\``);
    expect(renderMarkdown(reviewStacks(stacks, stacks), {})).toContain("**No changes**");
  });

  test("prototype names as tag keys, served entity names, split keys and environment variables", () => {
    const gateway = `endpoints:
  ranker:
    served_entities:
      - { name: toString, entity_name: ml.models.m, entity_version: "1", workload_size: Small, environment_vars: { constructor: a, valueOf: b } }
      - { name: hasOwnProperty, entity_name: ml.models.m, entity_version: "2", workload_size: Small }
    routing:
      split: { toString: 90, hasOwnProperty: 10 }
    tags: { constructor: x, __defineGetter__: y }
`;
    const json = synthEnv(loadValid({ "gateway.yaml": gateway, "environments/dev.yaml": MINIMAL_ENV }).dev);
    const ranker = json.resource.databricks_model_serving.ranker;
    expect(ranker.tags).toEqual([
      { key: "__defineGetter__", value: "y" },
      { key: "constructor", value: "x" },
    ]);
    expect(ranker.config.traffic_config.routes).toEqual([
      { served_entity_name: "toString", traffic_percentage: 90 },
      { served_entity_name: "hasOwnProperty", traffic_percentage: 10 },
    ]);
    expect(ranker.config.served_entities[0].environment_vars).toEqual({ constructor: "a", valueOf: "b" });
  });

  test("an AI Gateway service keyed like a prototype member synthesizes (the gateway fixture's tools service as constructor)", () => {
    const dir = path.join(REPO_ROOT, "__tests__", "fixtures", "gateway", "config");
    const files: Record<string, string> = {};
    for (const rel of ["gateway.yaml", ...fs.readdirSync(path.join(dir, "environments")).map((f) => `environments/${f}`)]) {
      files[rel] = fs.readFileSync(path.join(dir, rel), "utf8").replace(/^  tools:$/m, "  constructor:");
    }
    const json = synthEnv(loadValid(files).prod);
    expect(Object.keys(json.resource.databricks_ai_gateway_mcp_service)).toEqual(["constructor"]);
    expect(Object.keys(json.resource.databricks_grants)).toContain("constructor");
  });

  test("__proto__ as an endpoint key is refused at its line", () => {
    const result = loadTree({ "gateway.yaml": gatewayWith(["__proto__"]), "environments/dev.yaml": MINIMAL_ENV });
    expect(result.lines).toContain('gateway.yaml:2:3 endpoints.__proto__: the key "__proto__" is not allowed: choose another name');
    expect(result.environments).toEqual([]);
  });

  test("construct ids stay one-to-one", () => {
    const ids = ["constructor", "constructor~", "constructor~~", "chat", "chat~", "toString"].map(constructIdFor);
    expect(ids).toEqual(["constructor~", "constructor~~", "constructor~~~", "chat", "chat~", "toString~"]);
  });
});
