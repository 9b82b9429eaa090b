/**
 * Shapes for endpoints users already run (issue 9): Databricks-hosted databricks-* endpoints,
 * endpoints without config, provisioned throughput, pay-per-token entities, timeouts, and the
 * provider 1.99 silent no-ops; one compliant and one non-compliant case per rule.
 */
import { Testing } from "cdktf";
import { GovernedEndpoint } from "../../constructs";
import { loadTree, MINIMAL_ENV, synthEnv } from "../helpers";

const DEV_PREFIX_ENV = `${MINIMAL_ENV}naming: { prefix: dev- }\n`;

function load(endpoints: string, env = MINIMAL_ENV) {
  const result = loadTree({ "gateway.yaml": `endpoints:\n${endpoints}`, "environments/dev.yaml": env });
  const errors = result.lines.filter((l) => !l.includes(": warning: "));
  const warnings = result.lines.filter((l) => l.includes(": warning: "));
  return { errors, warnings, env: result.environments[0]?.config };
}

const SYSTEM = `  claude:
    name: databricks-claude-sonnet-4-6
    import: true
    ai_gateway:
      usage_tracking: true
      rate_limits: [{ key: user, calls: 60 }]
    tags: { cost_center: "4711" }
`;

describe("databricks-* pay-per-token endpoints (rule system-endpoint)", () => {
  test("adopted with ai_gateway and tags only: no config block, exact name even with a naming prefix, an import block", () => {
    const { errors, warnings, env } = load(SYSTEM, DEV_PREFIX_ENV);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    const tf = synthEnv(env!);
    const resource = tf.resource.databricks_model_serving.claude;
    expect(resource.name).toBe("databricks-claude-sonnet-4-6");
    expect(resource.config).toBeUndefined();
    expect(resource.ai_gateway).toEqual({ usage_tracking_config: { enabled: true }, rate_limits: [{ key: "user", calls: 60, renewal_period: "minute" }] });
    expect(tf.import).toEqual([{ id: "databricks-claude-sonnet-4-6", to: "databricks_model_serving.claude" }]);
  });

  test("without import: true it cannot be created", () => {
    expect(load(SYSTEM.replace("    import: true\n", "")).errors).toEqual([
      'gateway.yaml:3:5 endpoints.claude: "databricks-claude-sonnet-4-6" is a Databricks-hosted pay-per-token endpoint, which exists in every workspace that has it and cannot be created: add import: true to govern it (its AI Gateway policy, tags and permissions)',
    ]);
  });

  test("served_entities and route_optimized are refused: the served models belong to Databricks", () => {
    const body = `${SYSTEM}    route_optimized: true\n    served_entities:\n      - { name: x, entity_name: system.ai.claude, entity_version: "1" }\n`;
    expect(load(body).errors).toEqual([
      'gateway.yaml:9:5 endpoints.claude.route_optimized: "databricks-claude-sonnet-4-6" is a Databricks-hosted pay-per-token endpoint: route_optimized cannot be changed (the provider would destroy and re-create the endpoint); remove it',
      'gateway.yaml:10:5 endpoints.claude.served_entities: "databricks-claude-sonnet-4-6" is a Databricks-hosted pay-per-token endpoint: its served models belong to Databricks and cannot be changed; remove "served_entities" (no config block: the workspace keeps it)',
    ]);
  });
});

describe("endpoints without served_entities (rule endpoint-without-config)", () => {
  test("an adopted endpoint of our own keeps its config in the workspace", () => {
    const { errors, env } = load(`  legacy:\n    import: true\n    ai_gateway: { usage_tracking: true }\n`, DEV_PREFIX_ENV);
    expect(errors).toEqual([]);
    const resource = synthEnv(env!).resource.databricks_model_serving.legacy;
    expect(resource.name).toBe("dev-legacy");
    expect(resource.config).toBeUndefined();
  });

  test("without import: true it says what to add", () => {
    expect(load(`  legacy:\n    ai_gateway: { usage_tracking: true }\n`).errors).toEqual([
      'gateway.yaml:3:5 endpoints.legacy.served_entities: "served_entities" is missing: list what the endpoint serves, or, to govern an endpoint that already exists (such as a Databricks-hosted databricks-* endpoint) without managing its served models, add import: true',
    ]);
  });

  test("routing or task without served entities have nothing to act on", () => {
    expect(load(`  legacy:\n    import: true\n    task: llm/v1/chat\n`).errors).toEqual([
      `gateway.yaml:4:5 endpoints.legacy.task: "task" needs "served_entities": without them the endpoint's config stays as the workspace has it; remove "task"`,
    ]);
  });

  test("the construct refuses a create with nothing to serve", () => {
    const stack = Testing.synthScope((scope) => {
      expect(() => new GovernedEndpoint(scope, "x", { name: "x" })).toThrow(/^stack\/x: invalid endpoint "x", 1 problem:\n  servedEntities: "served_entities" is missing: list what the endpoint serves, or, to govern an endpoint that already exists .* add import: true$/);
      new GovernedEndpoint(scope, "y", { name: "y", importExisting: true });
    });
    expect(JSON.parse(stack).resource.databricks_model_serving.y.config).toBeUndefined();
  });
});

const PT = `  llama:
    kind: provisioned_throughput
    timeouts: { create: 60m }
    served_entities:
      - { name: maverick, entity_name: system.ai.llama-4-maverick, entity_version: 1, provisioned_model_units: 100 }
    permissions:
      - { group_name: analysts, level: CAN_QUERY }
`;

describe("provisioned throughput as its own kind (rule provisioned-throughput)", () => {
  test("synthesizes databricks_model_serving_provisioned_throughput, its ACL and an output without endpoint_url", () => {
    const { errors, warnings, env } = load(PT);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    const tf = synthEnv(env!);
    expect(tf.resource.databricks_model_serving).toBeUndefined();
    expect(tf.resource.databricks_model_serving_provisioned_throughput.llama.config.served_entities).toEqual([
      { name: "maverick", entity_name: "system.ai.llama-4-maverick", entity_version: "1", provisioned_model_units: 100 },
    ]);
    expect(tf.resource.databricks_permissions.llama.serving_endpoint_id).toBe("${databricks_model_serving_provisioned_throughput.llama.serving_endpoint_id}");
    expect(Object.keys(tf.output.llama.value)).toEqual(["name", "serving_endpoint_id"]);
  });

  test("fields the resource does not have are refused, each at its key", () => {
    const body = PT.replace("provisioned_model_units: 100 }", "provisioned_model_units: 100, workload_size: Small }").replace("    kind:", "    description: x\n    kind:");
    // One message per mistake: the generic foundation-model workload_size message stays out of it.
    expect(load(body).errors).toHaveLength(2);
    const lines = load(body).errors.join("\n");
    expect(lines).toContain('endpoints.llama.description: databricks_model_serving_provisioned_throughput has no "description": remove it');
    expect(lines).toContain('endpoints.llama.served_entities[0].workload_size: "workload_size" does not apply to a provisioned_throughput endpoint');
  });

  test("provisioned_model_units is required", () => {
    expect(load(PT.replace(", provisioned_model_units: 100", "")).errors).toEqual([
      'gateway.yaml:6:9 endpoints.llama.served_entities[0]: "provisioned_model_units" is required on a provisioned_throughput endpoint (e.g. entity_name: system.ai.llama-4-maverick, entity_version: "1", provisioned_model_units: 100)',
    ]);
  });

  test("the 10-minute default create timeout is warned about (a timed-out create deletes the endpoint)", () => {
    expect(load(PT.replace("    timeouts: { create: 60m }\n", "")).warnings).toEqual([
      'gateway.yaml:3:5 endpoints.llama: warning: a provisioned-throughput create can take up to 45 minutes, and the provider deletes the endpoint when its wait (default 10m) runs out: set timeouts: { create: "45m" } or more',
    ]);
    expect(load(PT.replace("create: 60m", "create: 20m")).warnings).toHaveLength(1);
  });
});

describe("served-entity shapes", () => {
  const entity = (fields: string) => `  m:\n    served_entities:\n      - { name: e, ${fields} }\n`;

  test("a pay-per-token system.ai entity needs no throughput fields and emits only what was written", () => {
    const { errors, env } = load(entity("entity_name: system.ai.gpt-oss-120b, entity_version: 1"));
    expect(errors).toEqual([]);
    expect(synthEnv(env!).resource.databricks_model_serving.m.config.served_entities).toEqual([{ name: "e", entity_name: "system.ai.gpt-oss-120b", entity_version: "1" }]);
  });

  test("entity_version: unquoted integers become strings; other numbers are refused", () => {
    expect(load(entity("entity_name: ml.m.x, entity_version: 12, workload_size: Small")).env!.endpoints.m.served_entities![0].entity_version).toBe("12");
    expect(load(entity("entity_name: ml.m.x, entity_version: 1.5, workload_size: Small")).errors.join("\n")).toMatch(/entity_version/);
  });

  test("custom workload sizes pass through; malformed ones are refused", () => {
    const { errors, env } = load(entity("entity_name: ml.m.x, entity_version: 1, workload_size: GPU_MEDIUM_8"));
    expect(errors).toEqual([]);
    expect(synthEnv(env!).resource.databricks_model_serving.m.config.served_entities[0].workload_size).toBe("GPU_MEDIUM_8");
    expect(load(entity('entity_name: ml.m.x, entity_version: 1, workload_size: "very large"')).errors.join("\n")).toMatch(/expected a workload size such as Small, Medium, Large \(or a custom size your workspace offers\)/);
  });

  const bedrock = (p: string) =>
    `  b:\n    task: llm/v1/chat\n    served_entities:\n      - name: b\n        external_model:\n          provider: amazon-bedrock\n          name: claude\n          amazon_bedrock_config: { aws_region: us-east-1, bedrock_provider: ${p}, instance_profile_arn: "arn:aws:iam::1:instance-profile/x" }\n`;
  test("bedrock_provider is case-insensitive and sent as written", () => {
    const { errors, env } = load(bedrock("Anthropic"));
    expect(errors).toEqual([]);
    expect(synthEnv(env!).resource.databricks_model_serving.b.config.served_entities[0].external_model.amazon_bedrock_config.bedrock_provider).toBe("Anthropic");
    expect(load(bedrock("openai")).errors.join("\n")).toMatch(/expected one of anthropic \| cohere \| ai21labs \| amazon \(any letter case, e\.g\. Anthropic\)/);
  });

  test("timeouts: emitted per endpoint; a non-duration is refused", () => {
    const ok = load(`${entity("entity_name: ml.m.x, entity_version: 1, workload_size: Small")}    timeouts: { create: 1h30m, update: 60m }\n`);
    expect(synthEnv(ok.env!).resource.databricks_model_serving.m.timeouts).toEqual({ create: "1h30m", update: "60m" });
    expect(load(`${entity("entity_name: ml.m.x, entity_version: 1, workload_size: Small")}    timeouts: { create: 30 minutes }\n`).errors).toEqual([
      'gateway.yaml:5:25 endpoints.m.timeouts.create: expected a duration such as "60m" or "1h30m", got "30 minutes"',
    ]);
  });
});

describe("provider 1.99 silent no-ops and permanent diffs (rule silent-no-ops)", () => {
  test("a zero minimum, an inference table without prefix, and a false-only guardrail are told", () => {
    const body = `  m:\n    served_entities:\n      - { name: e, entity_name: system.ai.llama, entity_version: "1", min_provisioned_throughput: 0, max_provisioned_throughput: 9500 }\n    ai_gateway:\n      inference_table: { catalog_name: ml, schema_name: logs }\n      guardrails: { input: { safety: false } }\n`;
    expect(load(body).warnings).toEqual([
      `gateway.yaml:4:99 endpoints.m.served_entities[0].min_provisioned_throughput: warning: provider 1.99 never sends a zero "min_provisioned_throughput" (zero integers are dropped): the server's default applies instead; remove it, or rely on scale_to_zero_enabled for scaling to zero`,
      'gateway.yaml:6:24 endpoints.m.ai_gateway.inference_table: warning: no "table_name_prefix": Databricks fills in the endpoint name and provider 1.99 reads it back, so every plan shows a change that removes it again; set table_name_prefix explicitly (the endpoint name keeps today\'s tables)',
      'gateway.yaml:7:28 endpoints.m.ai_gateway.guardrails.input: warning: "input" holds only safety: false, which provider 1.99 sends as an empty block (false is dropped): it does not switch off a safety filter that is on; turn it off in the workspace, or remove "input"',
    ]);
  });

  test("the same endpoint written without them is quiet", () => {
    const body = `  m:\n    served_entities:\n      - { name: e, entity_name: system.ai.llama, entity_version: "1", max_provisioned_throughput: 9500 }\n    ai_gateway:\n      inference_table: { catalog_name: ml, schema_name: logs, table_name_prefix: m }\n      guardrails: { input: { safety: false, pii: BLOCK } }\n`;
    expect(load(body).warnings).toEqual([]);
  });
});
