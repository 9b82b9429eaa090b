/**
 * Constructs validate their props as the YAML path validates config: the same rules, one typed
 * error naming the construct path with every problem at its props path, warnings as Annotations.
 */
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import {
  EndpointPermissions,
  GatewayPropsError,
  GovernedEndpoint,
  GovernedEndpointProps,
  propsPath,
  validateEndpointPermissionsProps,
  validateGovernedEndpointProps,
} from "../../constructs";

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
