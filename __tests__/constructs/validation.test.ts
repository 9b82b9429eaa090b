/**
 * Constructs validate their props as the YAML path validates config: the same rules, one typed
 * error naming the construct path with every problem at its props path, warnings as Annotations.
 */
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import {
  AiGatewayMcpService,
  AiGatewayModelService,
  AiGatewayServiceGrants,
  EndpointPermissions,
  GatewayPropsError,
  GovernedEndpoint,
  GovernedEndpointProps,
  ProvisionedThroughputEndpoint,
  propsPath,
  validateEndpointPermissionsProps,
  validateGovernedEndpointProps,
} from "../../constructs";
import { MCP_EXAMPLE, MODEL_SERVICE_EXAMPLE } from "../fixtures/gateway/docs-examples";

const secret = "{{secrets/llm/openai}}";
const chat: GovernedEndpointProps = {
  name: "chat",
  task: "llm/v1/chat",
  servedEntities: [{ name: "openai", externalModel: { provider: "openai", name: "gpt-4o-mini", openaiConfig: { openaiApiKey: secret } } }],
};
const ranker = (routing: GovernedEndpointProps["routing"]): GovernedEndpointProps => ({
  name: "ranker",
  servedEntities: [
    { name: "current", entityName: "ml.models.ranker", entityVersion: "7", workloadSize: "Small" },
    { name: "candidate", entityName: "ml.models.ranker", entityVersion: "8", workloadSize: "Small" },
  ],
  routing,
});

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), "gateway-dev");
}

/** The GatewayPropsError a construct throws (fails the test when it does not throw one). */
function propsError(build: () => unknown): GatewayPropsError {
  try {
    build();
  } catch (e) {
    if (e instanceof GatewayPropsError) return e;
    throw e;
  }
  throw new Error("expected a GatewayPropsError, nothing was thrown");
}

function warnings(scope: Construct): string[] {
  return scope.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
}

describe("what a TypeScript user is protected from (issue 11)", () => {
  test('the name "bad name!"', () => {
    const e = propsError(() => new GovernedEndpoint(stack(), "chat", { ...chat, name: "bad name!" }));
    expect(e.constructPath).toBe("gateway-dev/chat");
    expect(e.problems).toEqual([{ severity: "error", path: "name", message: 'an endpoint name may contain only letters, digits, "_" and "-", got "bad name!"' }]);
    expect(e.message).toBe('gateway-dev/chat: invalid endpoint "bad name!", 1 problem:\n  name: an endpoint name may contain only letters, digits, "_" and "-", got "bad name!"');
  });

  test("two endpoints with one name in a stack (also under different scopes)", () => {
    const s = stack();
    new GovernedEndpoint(new Construct(s, "team-a"), "chat", chat);
    const e = propsError(() => new GovernedEndpoint(new Construct(s, "team-b"), "chat2", chat));
    expect(e.problems).toEqual([
      { severity: "error", path: "name", message: 'endpoint name "chat" is already used by gateway-dev/team-a/chat in this stack; endpoint names must be unique per workspace: give one a different name' },
    ]);
    // Another stack is another workspace: the same name is fine there.
    expect(() => new GovernedEndpoint(new TerraformStack(s.node.scope as Construct, "gateway-prod"), "chat", chat)).not.toThrow();
  });

  test("a construct id that cannot be a Terraform logical id (it becomes databricks_model_serving.<id>)", () => {
    const e = propsError(() => new GovernedEndpoint(stack(), "9chat", chat));
    expect(e.problems).toEqual([
      { severity: "error", path: "(construct id)", message: '"9chat" becomes the Terraform logical id (databricks_model_serving.9chat) and must match ^[A-Za-z_][A-Za-z0-9_-]*$: choose another construct id' },
    ]);
  });

  test("fallback on custom models", () => {
    const e = propsError(() => new GovernedEndpoint(stack(), "ranker", ranker({ fallback: ["current", "candidate"] })));
    expect(e.problems).toEqual([
      { severity: "error", path: "routing.fallback", message: "fallback is supported for external models only; use routing.split for custom and foundation models" },
    ]);
  });

  test("a user_group limit with no principal", () => {
    const props = { ...chat, aiGateway: { rateLimits: [{ key: "endpoint" as const, calls: 100 }, { key: "user_group" as const, calls: 10 }] } };
    const e = propsError(() => new GovernedEndpoint(stack(), "chat", props));
    expect(e.problems).toEqual([{ severity: "error", path: "aiGateway.rateLimits[1]", message: 'a "user_group" rate limit needs "principal" (a group name)' }]);
  });

  test('openaiApiKey "sk-live-…" is refused and never repeated', () => {
    const key = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c";
    const props: GovernedEndpointProps = {
      ...chat,
      servedEntities: [{ name: "openai", externalModel: { provider: "openai", name: "gpt-4o-mini", openaiConfig: { openaiApiKey: key } } }],
    };
    const s = stack();
    const e = propsError(() => new GovernedEndpoint(s, "chat", props));
    // The credential detector (databricks/credentials.ts) and the secret-reference check of the field.
    expect(e.problems.map((p) => p.path)).toEqual([
      "servedEntities[0].externalModel.openaiConfig.openaiApiKey",
      "servedEntities[0].externalModel.openaiConfig.openaiApiKey",
    ]);
    expect(e.problems[0].message).toMatch(/^this value looks like an OpenAI-style API key \(sk-…\): a credential must never be written/);
    expect(e.problems[1].message).toBe(
      "a credential must be a Databricks secret reference like {{secrets/<scope>/<key>}}; store the value with `databricks secrets put-secret <scope> <key>` and reference it, got a literal string (value not shown)",
    );
    expect(e.message).not.toContain("sk-live");
  });

  test.each([
    ["anthropic", { provider: "anthropic" as const, name: "claude", anthropicConfig: { anthropicApiKey: "sk-ant-x" } }, "anthropicConfig.anthropicApiKey"],
    ["ai21labs", { provider: "ai21labs" as const, name: "j", ai21LabsConfig: { ai21LabsApiKey: "k" } }, "ai21LabsConfig.ai21LabsApiKey"],
    ["custom api key", { provider: "custom" as const, name: "c", customProviderConfig: { customProviderUrl: "https://x", apiKeyAuth: { key: "X-Key", value: "k" } } }, "customProviderConfig.apiKeyAuth.value"],
    ["bedrock", { provider: "amazon-bedrock" as const, name: "b", amazonBedrockConfig: { awsRegion: "r", bedrockProvider: "anthropic" as const, awsAccessKeyId: "AKIA", awsSecretAccessKey: secret } }, "amazonBedrockConfig.awsAccessKeyId"],
  ])("every credential field of a provider (databricks/providers.ts) holds a secret reference: %s", (_n, externalModel, path) => {
    const problems = validateGovernedEndpointProps({ ...chat, servedEntities: [{ name: "m", externalModel }] });
    expect(problems.map((p) => p.path)).toEqual([`servedEntities[0].externalModel.${path}`]);
  });

  test("every problem at once, in one error", () => {
    const props: GovernedEndpointProps = {
      ...ranker({ split: { current: 90, candidate: 20 } }),
      name: "bad name!",
      task: "llm/v1/chat",
      aiGateway: { rateLimits: [{ key: "service_principal", calls: 1.5 }], inferenceTable: { schemaName: "logs" } },
      permissions: [{ groupName: "admins", level: "CAN_MANAGE" }],
    };
    const e = propsError(() => new GovernedEndpoint(stack(), "ranker", props));
    expect(e.problems.map((p) => p.path)).toEqual([
      "name",
      "aiGateway.rateLimits[0].calls",
      "task",
      "routing.split",
      "aiGateway.rateLimits[0]",
      "aiGateway.inferenceTable",
      "permissions[0].groupName",
    ]);
    expect(e.message.split("\n")).toHaveLength(1 + e.problems.length);
  });
});

describe("warnings are cdktf Annotations on the construct; the output is unchanged", () => {
  test("provider quirks and create-only fields on an imported endpoint", () => {
    const s = stack();
    const endpoint = new GovernedEndpoint(s, "chat", {
      ...chat,
      importExisting: true,
      description: "d",
      aiGateway: { usageTracking: false, guardrails: { output: { pii: "MASK" } } },
    });
    expect(warnings(endpoint)).toEqual([
      'aiGateway.guardrails.output.pii: pii: MASK on output is not confirmed for provider 1.99 (its docs name only BLOCK); check the endpoint after deploy, or use BLOCK',
      'aiGateway.usageTracking: provider 1.99 drops false booleans: "usage_tracking: false" may not switch off usage tracking on an existing endpoint; check it after deploy',
      'description: "description" is applied by provider 1.99 only when it creates an endpoint, and this one is imported (import: true): set the same value in the workspace (Serving UI or REST API), or it stays a permanent diff',
    ]);
    const json = JSON.parse(Testing.synth(s));
    expect(json.resource.databricks_model_serving.chat.ai_gateway.usage_tracking_config).toEqual({ enabled: false });
  });

  test("valid props: no problems, no annotations", () => {
    expect(validateGovernedEndpointProps(chat)).toEqual([]);
    expect(validateGovernedEndpointProps(ranker({ split: { current: 90, candidate: 10 } }))).toEqual([]);
    expect(warnings(new GovernedEndpoint(stack(), "chat", chat))).toEqual([]);
  });
});

describe("values known only at deploy time", () => {
  test("tokens are not checked (a variable holding a secret reference, a name from a variable)", () => {
    const s = stack();
    const key = new TerraformVariable(s, "openai_key", { type: "string" });
    const name = new TerraformVariable(s, "endpoint_name", { type: "string" });
    const props: GovernedEndpointProps = {
      ...chat,
      name: name.stringValue,
      servedEntities: [{ name: "openai", externalModel: { provider: "openai", name: "gpt", openaiConfig: { openaiApiKey: key.stringValue } } }],
    };
    expect(validateGovernedEndpointProps(props)).toEqual([]);
    expect(() => new GovernedEndpoint(s, "chat", props)).not.toThrow();
  });
});

describe("EndpointPermissions on its own", () => {
  test("the permission rule of the YAML path, at props paths", () => {
    const permissions = [
      { groupName: "a", level: "CAN_QUERY" as const },
      { groupName: "a", userName: "b@acme.com", level: "CAN_QUERY" as const },
      { groupName: "a", level: "CAN_MANAGE" as const },
    ];
    expect(validateEndpointPermissionsProps({ servingEndpointId: "x", permissions }).map((p) => p.path)).toEqual(["permissions[1]", "permissions[2]"]);
    const e = propsError(() => new EndpointPermissions(stack(), "acl", { servingEndpointId: "x", permissions }));
    expect(e.message).toMatch(/^gateway-dev\/acl: invalid permissions, 2 problems:\n {2}permissions\[1\]: a permission names exactly one of/);
  });

  test("an empty list would be an empty authoritative ACL: refused", () => {
    const e = propsError(() => new EndpointPermissions(stack(), "acl", { servingEndpointId: "x", permissions: [] }));
    expect(e.problems).toEqual([{ severity: "error", path: "permissions", message: "no permissions: list at least one identity, or leave the construct out (ACLs stay unmanaged)" }]);
  });
});

describe("propsPath: the REST vocabulary's paths in the props' words", () => {
  test.each([
    [["ai_gateway", "rate_limits", 1, "principal"], "aiGateway.rateLimits[1].principal"],
    [["served_entities", 0, "external_model", "ai21labs_config", "ai21labs_api_key"], "servedEntities[0].externalModel.ai21LabsConfig.ai21LabsApiKey"],
    [["import"], "importExisting"],
    [["routing", "split", "my_model"], "routing.split.my_model"],
    [["served_entities", 0, "environment_vars", "API_TOKEN"], "servedEntities[0].environmentVars.API_TOKEN"],
    [["tags", "cost_center"], "tags.cost_center"],
    [[], "(props)"],
  ])("%j → %s", (path, expected) => {
    expect(propsPath(path)).toBe(expected);
  });
});

describe("every construct throws GatewayPropsError (one type to catch, with .problems and .constructPath)", () => {
  const llama = { entityName: "system.ai.llama-4-maverick", entityVersion: "1", provisionedModelUnits: 50 };

  test("ProvisionedThroughputEndpoint: units, split and timeouts at their props paths; nothing is built", () => {
    const s = stack();
    const e = propsError(
      () =>
        new ProvisionedThroughputEndpoint(s, "llama", {
          name: "llama",
          servedEntities: [{ ...llama, name: "a", provisionedModelUnits: 0 }, { ...llama }],
          split: { a: 60, b: 30 },
          timeouts: { create: "an hour" },
        }),
    );
    expect(e.constructPath).toBe("gateway-dev/llama");
    expect(e.problems).toEqual([
      { severity: "error", path: "servedEntities[0].provisionedModelUnits", message: "provisioned_model_units must be a positive integer, got 0" },
      { severity: "error", path: "servedEntities[1].name", message: "a split needs a name on every served entity" },
      { severity: "error", path: "split", message: "split sums to 90, expected 100" },
      { severity: "error", path: "timeouts.create", message: 'expected a duration such as "60m" or "1h30m", got "an hour"' },
    ]);
    expect(e.message).toBe(
      'gateway-dev/llama: invalid provisioned-throughput endpoint "llama", 4 problems:\n' +
        "  servedEntities[0].provisionedModelUnits: provisioned_model_units must be a positive integer, got 0\n" +
        "  servedEntities[1].name: a split needs a name on every served entity\n" +
        "  split: split sums to 90, expected 100\n" +
        '  timeouts.create: expected a duration such as "60m" or "1h30m", got "an hour"',
    );
    expect(JSON.parse(Testing.synth(s)).resource).toBeUndefined();
  });

  test("ProvisionedThroughputEndpoint: two entities without a split, one problem", () => {
    const e = propsError(() => new ProvisionedThroughputEndpoint(stack(), "llama", { name: "llama", servedEntities: [llama, llama] }));
    expect(e.message).toBe('gateway-dev/llama: invalid provisioned-throughput endpoint "llama", 1 problem:\n  split: 2 served entities need a split');
  });

  test("ProvisionedThroughputEndpoint: a timeout known only at deploy time is not checked, as on GovernedEndpoint", () => {
    const s = stack();
    const create = new TerraformVariable(s, "create_timeout", { type: "string" }).stringValue;
    expect(() => new ProvisionedThroughputEndpoint(s, "llama", { name: "llama", servedEntities: [llama], timeouts: { create } })).not.toThrow();
  });

  test("AiGatewayServiceGrants: checked before it joins the tree", () => {
    const s = stack();
    const e = propsError(
      () =>
        new AiGatewayServiceGrants(s, "tools_grants", {
          mcpService: "main.default.tools",
          grants: [
            { principal: "analysts", privileges: ["EXECUTE"] },
            { principal: "analysts", privileges: [] },
          ],
        }),
    );
    expect(e.constructPath).toBe("gateway-dev/tools_grants");
    expect(e.problems).toEqual([
      { severity: "error", path: "grants[1].principal", message: "analysts is listed twice; one entry per principal" },
      { severity: "error", path: "grants[1].privileges", message: "no privileges: list EXECUTE, MANAGE or both" },
    ]);
    expect(e.message).toBe(
      "gateway-dev/tools_grants: invalid grants, 2 problems:\n  grants[1].principal: analysts is listed twice; one entry per principal\n  grants[1].privileges: no privileges: list EXECUTE, MANAGE or both",
    );
    expect(s.node.tryFindChild("tools_grants")).toBeUndefined();
    expect(propsError(() => new AiGatewayServiceGrants(stack(), "g", { mcpService: "a.b.c", grants: [] })).problems).toEqual([
      { severity: "error", path: "grants", message: "grants is empty: list at least one principal, or omit the construct" },
    ]);
  });

  test("the AI Gateway services (common rate-limit checks): model service and MCP service", () => {
    const config = MODEL_SERVICE_EXAMPLE.props.config;
    const e = propsError(
      () =>
        new AiGatewayModelService(stack(), "m", {
          ...MODEL_SERVICE_EXAMPLE.props,
          config: { ...config, routing: { destinations: [{ ...config.routing.destinations[0], trafficPercentage: 50 }] }, rateLimits: [{ key: "RATE_LIMIT_KEY_USER", requests: 1 }] },
        }),
    );
    expect(e.constructPath).toBe("gateway-dev/m");
    expect(e.problems).toEqual([
      { severity: "error", path: "config.routing.destinations", message: "traffic percentages sum to 50, expected 100" },
      { severity: "error", path: "config.rateLimits[0].principal", message: "RATE_LIMIT_KEY_USER needs a principal" },
    ]);
    expect(e.message).toMatch(new RegExp(`^gateway-dev/m: invalid model service "${MODEL_SERVICE_EXAMPLE.props.modelServiceId}", 2 problems:\\n  config\\.routing\\.destinations: traffic`));

    const mcp = propsError(
      () => new AiGatewayMcpService(stack(), "tools", { ...MCP_EXAMPLE.props, config: { ...MCP_EXAMPLE.props.config, rateLimits: [{ key: "RATE_LIMIT_KEY_SERVICE", tokens: 5 }] } }),
    );
    expect(mcp.problems).toEqual([{ severity: "error", path: "config.rateLimits[0].tokens", message: "MCP services take request limits (QPM) only, not tokens" }]);
  });
});
