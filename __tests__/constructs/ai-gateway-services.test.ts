import * as fs from "fs";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import {
  AiGatewayMcpService,
  AiGatewayMcpServiceProps,
  AiGatewayModelProviderService,
  AiGatewayModelProviderServiceProps,
  AiGatewayModelService,
  AiGatewayModelServiceProps,
  AiGatewayServiceGrants,
} from "../../constructs";
import { FIELDS_NEWER_THAN_1_132 } from "../../databricks/ai-gateway-services";
import { BindingSchema, SCHEMA_FILE, SchemaNode } from "../../scripts/binding-schema";
import { MCP_EXAMPLE, MODEL_SERVICE_EXAMPLE, PROVIDER_EXAMPLE } from "../fixtures/gateway/docs-examples";

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), "test");
}
const synth = (s: TerraformStack): any => JSON.parse(Testing.synth(s));

describe("the provider docs' examples synthesize exactly", () => {
  test("databricks_ai_gateway_mcp_service", () => {
    const s = stack();
    new AiGatewayMcpService(s, "example", MCP_EXAMPLE.props);
    expect(synth(s).resource.databricks_ai_gateway_mcp_service.example).toEqual(MCP_EXAMPLE.json);
  });
  test("databricks_ai_gateway_model_provider_service", () => {
    const s = stack();
    new AiGatewayModelProviderService(s, "example", PROVIDER_EXAMPLE.props);
    expect(synth(s).resource.databricks_ai_gateway_model_provider_service.example).toEqual(PROVIDER_EXAMPLE.json);
  });
  test("databricks_ai_gateway_model_service", () => {
    const s = stack();
    new AiGatewayModelService(s, "example", MODEL_SERVICE_EXAMPLE.props);
    expect(synth(s).resource.databricks_ai_gateway_model_service.example).toEqual(MODEL_SERVICE_EXAMPLE.json);
  });
  test("databricks_grants on a service, after the service", () => {
    const s = stack();
    const svc = new AiGatewayMcpService(s, "tools", MCP_EXAMPLE.props);
    new AiGatewayServiceGrants(s, "tools_grants", { mcpService: "main.default.knowledge_tools", grants: [{ principal: "analysts", privileges: ["EXECUTE"] }], dependsOn: [svc] });
    expect(synth(s).resource.databricks_grants.tools_grants).toEqual({
      mcp_service: "main.default.knowledge_tools",
      grant: [{ principal: "analysts", privileges: ["EXECUTE"] }],
      depends_on: ["databricks_ai_gateway_mcp_service.tools"],
    });
  });
  test("a renewal period defaults to a minute; resourceName references the computed name", () => {
    const s = stack();
    const svc = new AiGatewayMcpService(s, "tools", { ...MCP_EXAMPLE.props, config: { ...MCP_EXAMPLE.props.config, rateLimits: [{ key: "RATE_LIMIT_KEY_SERVICE", requests: 100 }] } });
    expect(svc.resourceName).toMatch(/TfToken/);
    expect(synth(s).resource.databricks_ai_gateway_mcp_service.tools.config.rate_limits).toEqual([{ key: "RATE_LIMIT_KEY_SERVICE", renewal_period: "RATE_LIMIT_RENEWAL_PERIOD_MINUTE", requests: 100 }]);
  });
});

describe("constructs reject what the service rejects (for TypeScript users)", () => {
  const routing = MODEL_SERVICE_EXAMPLE.props.config.routing;
  test.each<[string, Partial<AiGatewayModelServiceProps["config"]>, RegExp]>([
    ["traffic not summing to 100", { routing: { destinations: [{ ...routing.destinations[0], trafficPercentage: 50 }] } }, /sum to 50, expected 100/],
    ["six fallbacks", { routing: { ...routing, fallback: { destinations: Array.from({ length: 6 }, (_, i) => ({ ...routing.fallback!.destinations[0], name: `f${i}` })) } } }, /6 fallback destinations, at most 5/],
    ["21 rate limits", { rateLimits: Array.from({ length: 21 }, (_, i) => ({ key: "RATE_LIMIT_KEY_USER" as const, principal: `u${i}@a.com`, requests: 1 })) }, /21 rate limits, at most 20/],
    ["6 group limits", { rateLimits: Array.from({ length: 6 }, (_, i) => ({ key: "RATE_LIMIT_KEY_USER_GROUP" as const, principal: `g${i}`, requests: 1 })) }, /6 user-group rate limits, at most 5/],
  ])("model service: %s", (_, change, message) => {
    expect(() => new AiGatewayModelService(stack(), "m", { ...MODEL_SERVICE_EXAMPLE.props, config: { ...MODEL_SERVICE_EXAMPLE.props.config, ...change } })).toThrow(message);
  });
  test("MCP: tokens and hourly limits", () => {
    const props: AiGatewayMcpServiceProps = { ...MCP_EXAMPLE.props, config: { ...MCP_EXAMPLE.props.config, rateLimits: [{ key: "RATE_LIMIT_KEY_SERVICE", tokens: 5, renewalPeriod: "RATE_LIMIT_RENEWAL_PERIOD_HOUR" }] } };
    expect(() => new AiGatewayMcpService(stack(), "m", props)).toThrow(/not tokens[\s\S]*per-minute limits/);
  });
  test("provider service: the block must match providerType", () => {
    const props: AiGatewayModelProviderServiceProps = { ...PROVIDER_EXAMPLE.props, config: { ...PROVIDER_EXAMPLE.props.config, providerType: "EXTERNAL_MODEL_PROVIDER_TYPE_OPENAI" } };
    expect(() => new AiGatewayModelProviderService(stack(), "p", props)).toThrow(/takes exactly the "openai" block, got custom/);
  });
});

// ---- names and nesting against the published 1.13x bindings ------------------------------

const SCHEMA: BindingSchema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));

/** Our rendering with every field the constructs can write, so every name is checked. */
function everyField(): any {
  const s = stack();
  const secret = { plaintext: "{{secrets/llm/key}}" };
  const limits = [
    { key: "RATE_LIMIT_KEY_USER_GROUP" as const, principal: "analysts", renewalPeriod: "RATE_LIMIT_RENEWAL_PERIOD_HOUR" as const, requests: 1, tokens: 2 },
  ];
  new AiGatewayModelService(s, "model", { ...MODEL_SERVICE_EXAMPLE.props, providerConfig: { workspaceId: "1" }, config: { ...MODEL_SERVICE_EXAMPLE.props.config, rateLimits: limits } });
  // Every destination kind, as primary and as fallback (with a traffic share).
  const [external, payPerToken] = MODEL_SERVICE_EXAMPLE.props.config.routing.destinations;
  const provisioned = MODEL_SERVICE_EXAMPLE.props.config.routing.fallback!.destinations[0];
  const kinds = [external, payPerToken, provisioned];
  new AiGatewayModelService(s, "model_all_kinds", {
    parent: "schemas/a.b",
    modelServiceId: "all",
    config: {
      routing: {
        destinations: kinds.map((d, i) => ({ ...d, trafficPercentage: i === 0 ? 100 : 0 })),
        fallback: { destinations: kinds.map((d) => ({ ...d, name: `${d.name}_fb`, trafficPercentage: 0 })) },
      },
    },
  });
  const entra = { clientId: "c", tenantId: "t", clientSecret: secret };
  const providers: Array<AiGatewayModelProviderServiceProps["config"]> = [
    { providerType: "EXTERNAL_MODEL_PROVIDER_TYPE_OPENAI", openai: { direct: { apiKey: secret, baseUrl: "u", organization: "o" } }, targets: [{ model: "m", nativeApiTypes: ["x"] }], allowAllTargets: false, rateLimits: limits, inferenceTable: { parent: "schemas/a.b", tableNamePrefix: "p" } },
    { providerType: "EXTERNAL_MODEL_PROVIDER_TYPE_ANTHROPIC", anthropic: { direct: { apiKey: secret } }, allowAllTargets: true },
    { providerType: "EXTERNAL_MODEL_PROVIDER_TYPE_AMAZON_BEDROCK", amazonBedrock: { direct: { region: "r", serviceCredential: { name: "credentials/c" }, awsAccessKey: { accessKeyId: "a", secretAccessKey: secret } } }, allowAllTargets: true },
    { providerType: "EXTERNAL_MODEL_PROVIDER_TYPE_AZURE_OPENAI", azureOpenai: { direct: { baseUrl: "u", apiKey: secret, serviceCredential: { name: "credentials/c" }, entraServicePrincipal: entra } }, allowAllTargets: true },
    { providerType: "EXTERNAL_MODEL_PROVIDER_TYPE_MICROSOFT_FOUNDRY", microsoftFoundry: { direct: { baseUrl: "u", apiKey: secret, serviceCredential: { name: "credentials/c" }, entraServicePrincipal: entra } }, allowAllTargets: true },
    { providerType: "EXTERNAL_MODEL_PROVIDER_TYPE_GEMINI_ENTERPRISE", geminiEnterprise: { direct: { projectId: "p", region: "r", apiKey: secret } }, allowAllTargets: true },
    { providerType: "EXTERNAL_MODEL_PROVIDER_TYPE_CUSTOM", custom: { direct: { baseUrl: "u", apiKey: secret } }, allowAllTargets: true },
  ];
  providers.forEach((config, i) => new AiGatewayModelProviderService(s, `provider${i}`, { parent: "schemas/a.b", modelProviderServiceId: `p${i}`, comment: "c", providerConfig: { workspaceId: "1" }, config }));
  new AiGatewayMcpService(s, "mcp", { ...MCP_EXAMPLE.props, providerConfig: { workspaceId: "1" }, config: { ...MCP_EXAMPLE.props.config, includeToolSelectors: ["read_*"], rateLimits: [{ key: "RATE_LIMIT_KEY_USER", principal: "a@b.com", requests: 3 }] } });
  new AiGatewayServiceGrants(s, "g1", { modelService: "a.b.c", grants: [{ principal: "x", privileges: ["EXECUTE", "MANAGE"] }] });
  new AiGatewayServiceGrants(s, "g2", { modelProviderService: "a.b.c", grants: [{ principal: "x", privileges: ["EXECUTE"] }] });
  new AiGatewayServiceGrants(s, "g3", { mcpService: "a.b.c", grants: [{ principal: "x", privileges: ["EXECUTE"] }] });
  return synth(s).resource;
}

const META = new Set(["depends_on", "lifecycle", "provider", "count", "for_each"]);

/** Every mismatch of one rendered value against its schema node, and the paths it covers. */
function compare(value: unknown, node: SchemaNode, at: string, covered: Set<string>, problems: string[]): void {
  covered.add(at);
  const isObj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (node.kind === "object" || ((node.kind === "list" || node.kind === "set") && node.of === "object")) {
    const items = node.kind === "object" ? [value] : Array.isArray(value) ? value : (problems.push(`${at}: expected a list`), []);
    if (node.kind === "object" && !isObj(value)) return void problems.push(`${at}: expected an object, got ${JSON.stringify(value)}`);
    for (const item of items) compareObject(item as Record<string, unknown>, node.attributes, at, covered, problems);
  } else if (node.kind === "list" || node.kind === "set") {
    if (!Array.isArray(value) || value.some((v) => typeof v !== node.of)) problems.push(`${at}: expected a list of ${node.of}`);
  } else if (typeof value !== node.kind) {
    problems.push(`${at}: expected ${node.kind}, got ${typeof value}`);
  }
}

function compareObject(value: Record<string, unknown>, attributes: Readonly<Record<string, SchemaNode>>, at: string, covered: Set<string>, problems: string[]): void {
  for (const [key, v] of Object.entries(value)) {
    const node = attributes[key];
    if (!node) {
      if (!META.has(key)) problems.push(`${at}.${key}: not in the bindings`);
      continue;
    }
    compare(v, node, `${at}.${key}`, covered, problems);
  }
  for (const [key, node] of Object.entries(attributes)) if (node.required && !(key in value)) problems.push(`${at}.${key}: required by the bindings, not written`);
}

function allPaths(attributes: Readonly<Record<string, SchemaNode>>, at: string, into: string[] = []): string[] {
  for (const [key, node] of Object.entries(attributes)) {
    into.push(`${at}.${key}`);
    if ("attributes" in node) allPaths(node.attributes, `${at}.${key}`, into);
  }
  return into;
}

/** Binding attributes the constructs deliberately do not expose, with why. */
const NOT_EXPOSED: Record<string, string> = {
  "databricks_ai_gateway_model_provider_service.config.anthropic.relayed": "relayed (credential-less) Anthropic: a per-caller OAuth flow, not a governed credential",
  "databricks_ai_gateway_model_provider_service.config.forward_headers": "widens the trust boundary; not offered until asked for",
  "databricks_ai_gateway_model_provider_service.config.forward_query_parameters": "as forward_headers",
  "databricks_ai_gateway_model_provider_service.config.forward_unmanaged_paths": "as forward_headers",
  "databricks_ai_gateway_mcp_service.config.rate_limits.tokens": "MCP services take request limits (QPM) only (issue 14; see the report: the GA provider doc says token limits are supported)",
  "databricks_grants.id": "computed",
  "databricks_grants.provider_config": "account-level grants are out of scope",
  "databricks_grants.provider_config.workspace_id": "as provider_config",
};

describe("attribute names and nesting match the published bindings", () => {
  test(`the committed schema is ${SCHEMA.package} (provider ${SCHEMA.providerVersion})`, () => {
    expect(SCHEMA.package).toMatch(/^@cdktn\/provider-databricks@18\./);
    expect(SCHEMA.providerVersion).toMatch(/^1\.13\d\./);
  });

  test("every attribute we write exists in the bindings with the same nesting, and every required one is written", () => {
    const rendered = everyField();
    const covered = new Set<string>();
    const problems: string[] = [];
    for (const [type, byId] of Object.entries<Record<string, Record<string, unknown>>>(rendered)) {
      const attributes = SCHEMA.resources[type];
      expect(attributes).toBeDefined();
      for (const resource of Object.values(byId)) compareObject(resource, attributes, type, covered, problems);
    }
    expect(problems).toEqual([]);
    // Everything the bindings have is written by some construct, except what is listed as not exposed.
    const securables = ["catalog", "credential", "external_location", "foreign_connection", "function", "metastore", "model", "pipeline", "recipient", "schema", "secret", "share", "storage_credential", "table", "volume"];
    const expected = Object.entries(SCHEMA.resources)
      .flatMap(([type, attributes]) => allPaths(attributes, type))
      .filter((p) => !(p in NOT_EXPOSED) && !securables.some((s) => p === `databricks_grants.${s}`));
    expect(expected.filter((p) => !covered.has(p))).toEqual([]);
  });

  test("fields documented after 1.132 are written only when used, and are not in the bindings", () => {
    const rendered = JSON.stringify(everyField());
    for (const field of ["request_tag_key", "request_tag_value", "first_token_timeout", "traffic_splitting", "disabled", "owner"]) expect(rendered).not.toContain(`"${field}"`);
    expect(FIELDS_NEWER_THAN_1_132.length).toBe(6);
    const s = stack();
    new AiGatewayMcpService(s, "m", { ...MCP_EXAMPLE.props, config: { ...MCP_EXAMPLE.props.config, rateLimits: [{ key: "RATE_LIMIT_KEY_REQUEST_TAG", requestTagKey: "team", requestTagValue: "a", requests: 1 }] } });
    const limit = synth(s).resource.databricks_ai_gateway_mcp_service.m.config.rate_limits[0];
    expect(limit).toMatchObject({ request_tag_key: "team", request_tag_value: "a" });
    expect(SCHEMA.resources.databricks_ai_gateway_mcp_service.config).toMatchObject({ attributes: { rate_limits: { attributes: expect.not.objectContaining({ request_tag_key: expect.anything() }) } } });
  });

  // CI: `BINDINGS_DIR=<scratch install> npx jest ai-gateway-services` also re-extracts the schema
  // from the real package and compares it with the committed one.
  const bindingsDir = process.env.BINDINGS_DIR;
  (bindingsDir ? test : test.skip)("the committed schema equals the one extracted from the installed package (BINDINGS_DIR)", () => {
    const { extractBindingSchema, renderSchema } = require("../../scripts/binding-schema") as typeof import("../../scripts/binding-schema");
    expect(renderSchema(extractBindingSchema(path.resolve(bindingsDir!)))).toBe(fs.readFileSync(SCHEMA_FILE, "utf8"));
  });
});
