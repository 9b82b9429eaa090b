import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ExternalModelProps, GovernedEndpoint, GovernedEndpointProps } from "../../constructs";

/** Synthesizes one endpoint in a bare stack (no YAML involved) and returns the parsed JSON. */
function synth(props: GovernedEndpointProps, id = "chat", nest = false): any {
  const stack = new TerraformStack(Testing.app(), "test");
  const scope = nest ? new Construct(new Construct(stack, "team"), "apps") : stack;
  new GovernedEndpoint(scope, id, props);
  return JSON.parse(Testing.synth(stack));
}
const serving = (json: any, id = "chat") => json.resource.databricks_model_serving[id];

const secret = "{{secrets/llm/key}}";
const external = (name: string, externalModel: ExternalModelProps) => ({ name, externalModel });

describe("served entity kinds", () => {
  test("a foundation model on provisioned throughput", () => {
    const json = synth({
      name: "summarizer",
      servedEntities: [{ name: "llama", entityName: "system.ai.llama", entityVersion: "3", minProvisionedThroughput: 0, maxProvisionedThroughput: 9500, scaleToZeroEnabled: true }],
    });
    expect(serving(json).config).toEqual({
      served_entities: [{ name: "llama", entity_name: "system.ai.llama", entity_version: "3", min_provisioned_throughput: 0, max_provisioned_throughput: 9500, scale_to_zero_enabled: true }],
    });
  });

  test("a custom model with workload size and type, environment variables and scale-to-zero", () => {
    const json = synth({
      name: "ranker",
      servedEntities: [{ name: "current", entityName: "ml.models.ranker", entityVersion: "7", workloadSize: "Small", workloadType: "GPU_SMALL", scaleToZeroEnabled: false, environmentVars: { API_KEY: secret } }],
    });
    expect(serving(json).config.served_entities).toEqual([
      { name: "current", entity_name: "ml.models.ranker", entity_version: "7", workload_size: "Small", workload_type: "GPU_SMALL", scale_to_zero_enabled: false, environment_vars: { API_KEY: secret } },
    ]);
    expect(serving(json).config.traffic_config).toBeUndefined();
  });

  test.each<[string, ExternalModelProps, string, object]>([
    ["openai", { provider: "openai", name: "gpt-4o", openaiConfig: { openaiApiKey: secret, openaiApiType: "azure", openaiDeploymentName: "d" } }, "openai_config", { openai_api_key: secret, openai_api_type: "azure", openai_deployment_name: "d" }],
    ["anthropic", { provider: "anthropic", name: "claude", anthropicConfig: { anthropicApiKey: secret } }, "anthropic_config", { anthropic_api_key: secret }],
    ["amazon-bedrock", { provider: "amazon-bedrock", name: "claude", amazonBedrockConfig: { awsRegion: "us-east-1", bedrockProvider: "anthropic", instanceProfileArn: "arn:aws:iam::1:instance-profile/x" } }, "amazon_bedrock_config", { aws_region: "us-east-1", bedrock_provider: "anthropic", instance_profile_arn: "arn:aws:iam::1:instance-profile/x" }],
    ["google-cloud-vertex-ai", { provider: "google-cloud-vertex-ai", name: "gemini", googleCloudVertexAiConfig: { projectId: "p", region: "us-central1", privateKey: secret } }, "google_cloud_vertex_ai_config", { project_id: "p", region: "us-central1", private_key: secret }],
    ["cohere", { provider: "cohere", name: "command", cohereConfig: { cohereApiKey: secret } }, "cohere_config", { cohere_api_key: secret }],
    ["ai21labs", { provider: "ai21labs", name: "jamba", ai21LabsConfig: { ai21LabsApiKey: secret } }, "ai21labs_config", { ai21labs_api_key: secret }],
    ["databricks-model-serving", { provider: "databricks-model-serving", name: "m", databricksModelServingConfig: { databricksWorkspaceUrl: "https://x", databricksApiToken: secret } }, "databricks_model_serving_config", { databricks_workspace_url: "https://x", databricks_api_token: secret }],
    ["custom", { provider: "custom", name: "own", customProviderConfig: { customProviderUrl: "https://llm", bearerTokenAuth: { token: secret } } }, "custom_provider_config", { custom_provider_url: "https://llm", bearer_token_auth: { token: secret } }],
    ["palm", { provider: "palm", name: "bison", palmConfig: { palmApiKey: secret } }, "palm_config", { palm_api_key: secret }],
  ])("an external model from %s with its config block", (provider, model, block, expected) => {
    const json = synth({ name: "x", task: "llm/v1/chat", servedEntities: [external("m", model)] });
    expect(serving(json).config.served_entities).toEqual([
      { name: "m", external_model: { provider, name: model.name, task: "llm/v1/chat", [block]: expected } },
    ]);
  });
});

describe("routing", () => {
  const openai = external("openai", { provider: "openai", name: "gpt", openaiConfig: { openaiApiKey: secret } });
  const claude = external("claude", { provider: "anthropic", name: "claude", anthropicConfig: { anthropicApiKey: secret } });

  test("fallback emits entities in fallback order, 100 % to the first, 0 % to the rest, and enables fallback", () => {
    const json = synth({ name: "chat", task: "llm/v1/chat", servedEntities: [openai, claude], routing: { fallback: ["claude", "openai"] } });
    expect(serving(json).config.served_entities.map((e: any) => e.name)).toEqual(["claude", "openai"]);
    expect(serving(json).config.traffic_config).toEqual({
      routes: [
        { served_entity_name: "claude", traffic_percentage: 100 },
        { served_entity_name: "openai", traffic_percentage: 0 },
      ],
    });
    expect(serving(json).ai_gateway).toEqual({ fallback_config: { enabled: true } });
  });

  test("split keeps the written order and percentages; no fallback unless asked", () => {
    const a = { name: "a", entityName: "ml.m", entityVersion: "1", workloadSize: "Small" as const };
    const b = { ...a, name: "b", entityVersion: "2" };
    const json = synth({ name: "r", servedEntities: [a, b], routing: { split: { b: 10, a: 90 } } });
    expect(serving(json).config.traffic_config.routes).toEqual([
      { served_entity_name: "a", traffic_percentage: 90 },
      { served_entity_name: "b", traffic_percentage: 10 },
    ]);
    expect(serving(json).ai_gateway).toBeUndefined();
  });

  test("split with fallback: true also enables fallback", () => {
    const json = synth({ name: "chat", task: "llm/v1/chat", servedEntities: [openai, claude], routing: { split: { openai: 80, claude: 20 }, fallback: true } });
    expect(serving(json).ai_gateway.fallback_config).toEqual({ enabled: true });
    expect(serving(json).config.served_entities.map((e: any) => e.name)).toEqual(["openai", "claude"]);
  });

  test.each<[string, Partial<GovernedEndpointProps>, string]>([
    ["split not summing to 100", { routing: { split: { openai: 50, claude: 40 } } }, "routing.split: split percentages sum to 90, expected 100"],
    ["fallback naming an unknown entity", { routing: { fallback: ["openai", "gemini"] } }, 'routing.fallback[1]: fallback names "gemini", which is not a served entity'],
    ["two entities without routing", { routing: undefined }, 'servedEntities: 2 served entities but no "routing"'],
    ["external models without task", { task: undefined, routing: { fallback: ["openai", "claude"] } }, '(props): "task" is required when the served entities are external models'],
  ])("rejects %s with the construct path and the props path", (_name, override, message) => {
    expect(() => synth({ name: "chat", task: "llm/v1/chat", servedEntities: [openai, claude], ...override })).toThrow(
      new RegExp(`^test/chat: invalid endpoint "chat", \\d problems?:\\n(  .*\\n)*  ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    );
  });
});

describe("AI Gateway, permissions, tags and endpoint fields", () => {
  const base: GovernedEndpointProps = {
    name: "prod-chat",
    task: "llm/v1/chat",
    servedEntities: [external("openai", { provider: "openai", name: "gpt", openaiConfig: { openaiApiKey: secret } })],
  };

  test("the whole AI Gateway block", () => {
    const json = synth({
      ...base,
      aiGateway: {
        usageTracking: true,
        inferenceTable: { catalogName: "ml", schemaName: "logs", tableNamePrefix: "chat" },
        rateLimits: [
          { key: "endpoint", tokens: 1000 },
          { key: "user_group", principal: "analysts", calls: 60 },
        ],
        guardrails: { input: { safety: true, pii: "BLOCK" }, output: { pii: "MASK" } },
      },
    });
    expect(serving(json).ai_gateway).toEqual({
      usage_tracking_config: { enabled: true },
      inference_table_config: { catalog_name: "ml", schema_name: "logs", table_name_prefix: "chat", enabled: true },
      rate_limits: [
        { key: "endpoint", tokens: 1000, renewal_period: "minute" },
        { key: "user_group", principal: "analysts", calls: 60, renewal_period: "minute" },
      ],
      guardrails: { input: { safety: true, pii: { behavior: "BLOCK" } }, output: { pii: { behavior: "MASK" } } },
    });
  });

  test("inference_table: false emits no table block; never the deprecated top-level rate_limits or auto_capture_config", () => {
    const json = synth({ ...base, aiGateway: { inferenceTable: false, rateLimits: [{ key: "user", calls: 1 }] } });
    expect(serving(json).ai_gateway.inference_table_config).toBeUndefined();
    expect(serving(json).rate_limits).toBeUndefined();
    expect(serving(json).config.auto_capture_config).toBeUndefined();
  });

  test("permissions: one authoritative databricks_permissions bound to serving_endpoint_id, same logical id", () => {
    const json = synth({
      ...base,
      permissions: [
        { groupName: "analysts", level: "CAN_QUERY" },
        { userName: "a@acme.com", level: "CAN_MANAGE" },
        { servicePrincipalName: "6b1c", level: "CAN_VIEW" },
      ],
    });
    expect(json.resource.databricks_permissions.chat).toMatchObject({
      serving_endpoint_id: "${databricks_model_serving.chat.serving_endpoint_id}",
      access_control: [
        { group_name: "analysts", permission_level: "CAN_QUERY" },
        { user_name: "a@acme.com", permission_level: "CAN_MANAGE" },
        { service_principal_name: "6b1c", permission_level: "CAN_VIEW" },
      ],
    });
    expect(Object.keys(json.resource.databricks_permissions)).toEqual(["chat"]);
  });

  test("an enabled inference table without catalog and schema is rejected", () => {
    expect(() => synth({ ...base, aiGateway: { inferenceTable: { tableNamePrefix: "chat" } } })).toThrow(
      'aiGateway.inferenceTable: "catalog_name" is required when the inference table is enabled',
    );
  });

  test("an empty tag map emits no tags block", () => {
    expect(serving(synth({ ...base, tags: {} })).tags).toBeUndefined();
  });

  test("no permissions, no databricks_permissions resource (ACLs left unmanaged)", () => {
    expect(synth(base).resource.databricks_permissions).toBeUndefined();
  });

  test.each<[string, GovernedEndpointProps["permissions"], string]>([
    ["admins", [{ groupName: "admins", level: "CAN_MANAGE" }], 'permissions[0].groupName: the "admins" group always has CAN_MANAGE and cannot be set'],
    ["two identities", [{ groupName: "a", userName: "b", level: "CAN_QUERY" }], "permissions[0]: a permission names exactly one of group_name, user_name or service_principal_name, found group_name and user_name"],
    ["one identity twice", [{ groupName: "a", level: "CAN_QUERY" }, { groupName: "a", level: "CAN_MANAGE" }], 'permissions[1]: group_name "a" already has a level in permissions[0]'],
  ])("rejects permissions: %s", (_n, permissions, message) => {
    expect(() => synth({ ...base, permissions })).toThrow(message);
  });

  test("tags sorted by key; description, budget policy, notifications, route optimization; prevent_destroy", () => {
    const json = synth({
      ...base,
      tags: { z: "1", a: "2" },
      description: "d",
      budgetPolicyId: "bp",
      emailNotifications: { onUpdateFailure: ["oncall@acme.com"] },
      routeOptimized: true,
      preventDestroy: true,
    });
    expect(serving(json)).toMatchObject({
      name: "prod-chat",
      tags: [
        { key: "a", value: "2" },
        { key: "z", value: "1" },
      ],
      description: "d",
      budget_policy_id: "bp",
      email_notifications: { on_update_failure: ["oncall@acme.com"] },
      route_optimized: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("logical ids are the construct id wherever the construct sits in the tree", () => {
    const json = synth({ ...base, permissions: [{ groupName: "a", level: "CAN_QUERY" }] }, "chat", true);
    expect(Object.keys(json.resource.databricks_model_serving)).toEqual(["chat"]);
    expect(Object.keys(json.resource.databricks_permissions)).toEqual(["chat"]);
  });
});
