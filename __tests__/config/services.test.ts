/**
 * ai_gateway_services: the four-layer merge and every service rule, with the exact located
 * message of each rejected input. Configs are written by the tests (and the fixture under
 * __tests__/fixtures/gateway/config), never the user's example config.
 */
import * as fs from "fs";
import * as path from "path";
import { loadTree } from "../helpers";

const FIXTURE = path.join(__dirname, "..", "fixtures", "gateway", "config");
const read = (rel: string) => fs.readFileSync(path.join(FIXTURE, rel), "utf8");
const FIXTURE_FILES = { "gateway.yaml": read("gateway.yaml"), "environments/dev.yaml": read("environments/dev.yaml"), "environments/prod.yaml": read("environments/prod.yaml") };

const ENV = "workspace:\n  host: https://dbc-1.cloud.databricks.com\n";
const ENDPOINTS = `endpoints:
  chat:
    task: llm/v1/chat
    served_entities:
      - name: openai
        external_model: { provider: openai, name: gpt-4o-mini, openai_config: { openai_api_key: "{{secrets/llm/k}}" } }
  llama:
    served_entities:
      - { name: llama, entity_name: system.ai.llama, entity_version: "3", max_provisioned_throughput: 9500 }
  ranker:
    served_entities:
      - { name: r, entity_name: ml.models.ranker, entity_version: "1", workload_size: Small }
`;
const PROVIDER = `  openai:
    type: model_provider
    schema: ml.gw
    provider: openai
    openai: { api_key: "{{secrets/llm/k}}" }
    targets: [{ model: gpt-4o-mini }]
`;

/** gateway.yaml with the endpoints, the openai provider service, and `services` (indented two spaces). */
function gateway(services: string): string {
  return `${ENDPOINTS}ai_gateway_services:\n${PROVIDER}${services}`;
}
function load(services: string, env = ENV) {
  return loadTree({ "gateway.yaml": gateway(services), "environments/dev.yaml": env });
}
const errors = (lines: string[]) => lines.filter((l) => !l.includes(": warning: "));
/** Without the shared openai provider service's warning for its {{secrets/...}} api_key (tested on its own below). */
const others = (lines: string[]) => lines.filter((l) => !l.includes("ai_gateway_services.openai.openai.api_key: warning: "));

describe("merge", () => {
  test("the fixture is valid, and the four layers merge like endpoints (lists replace, null removes, enabled: false drops)", () => {
    const result = loadTree(FIXTURE_FILES);
    expect(errors(result.lines)).toEqual([]);
    const byName = Object.fromEntries(result.environments.map((e) => [e.config.name, e.config]));
    // 1. gateway service_defaults, 2. env service_defaults
    expect(byName.prod.ai_gateway_services!.tools.schema).toBe("ml.ai_gateway");
    expect(byName.dev.ai_gateway_services!.assistant.schema).toBe("ml_dev.ai_gateway");
    // 3. gateway ai_gateway_services.X replaces the default list; 4. env ai_gateway_services.X replaces it again
    expect(byName.prod.ai_gateway_services!.assistant.rate_limits).toHaveLength(4);
    expect(byName.dev.ai_gateway_services!.assistant.rate_limits).toEqual([{ key: "user_default", requests: 20 }]);
    // a default list applies where the service sets none; null removes it
    expect(byName.prod.ai_gateway_services!.tools.grants).toEqual([{ principal: "analysts", privileges: ["EXECUTE"] }]);
    expect(byName.prod.ai_gateway_services!.bedrock.grants).toBeUndefined();
    expect(Object.keys(byName.dev.ai_gateway_services!)).toEqual(["openai", "bedrock", "assistant"]);
    // endpoints are untouched by service defaults
    expect(byName.prod.endpoints.chat).not.toHaveProperty("schema");
  });

  test("an environment can only override services gateway.yaml defines", () => {
    const result = load("", `${ENV}ai_gateway_services:\n  nope:\n    comment: x\n`);
    expect(others(result.lines)).toEqual([
      'environments/dev.yaml:4:3 ai_gateway_services.nope: service "nope" is not defined in gateway.yaml: an environment can only override services that gateway.yaml defines (defined: openai)',
    ]);
  });
});

const MODEL = (body: string) => `  m:\n    type: model\n    schema: ml.gw\n${body}`;

describe("rules, located", () => {
  test.each<[string, string, string[]]>([
    [
      "traffic that does not sum to 100",
      MODEL("    destinations:\n      - { name: a, provider_service: openai, model: gpt-4o-mini, traffic_percentage: 60 }\n      - { name: b, pay_per_token: system.ai.llama, traffic_percentage: 30 }\n"),
      ["gateway.yaml:24:7 ai_gateway_services.m.destinations: traffic percentages sum to 90, expected 100: adjust them so they add up to 100"],
    ],
    [
      "more than 5 fallbacks",
      MODEL(
        "    destinations: [{ name: a, pay_per_token: system.ai.llama, traffic_percentage: 100 }]\n    fallbacks:\n" +
          [1, 2, 3, 4, 5, 6].map((i) => `      - { name: f${i}, pay_per_token: system.ai.llama }\n`).join(""),
      ),
      ["gateway.yaml:25:7 ai_gateway_services.m.fallbacks: 6 fallbacks; a model service takes at most 5 (tried in list order)"],
    ],
    [
      "more than 10 destinations",
      MODEL("    destinations:\n" + Array.from({ length: 11 }, (_, i) => `      - { name: d${i}, pay_per_token: system.ai.llama, traffic_percentage: ${i === 0 ? 100 : 0} }\n`).join("")),
      ["gateway.yaml:24:7 ai_gateway_services.m.destinations: 11 destinations; a model service takes at most 10"],
    ],
    [
      "destinations that do not exist",
      MODEL(
        "    destinations:\n      - { name: a, provider_service: nope, model: x, traffic_percentage: 50 }\n      - { name: b, endpoint: missing, traffic_percentage: 25 }\n      - { name: c, provider_service: openai, model: gpt-5, traffic_percentage: 25 }\n",
      ),
      [
        'gateway.yaml:24:38 ai_gateway_services.m.destinations[0].provider_service: provider_service "nope" is not a service of environment "dev" (model provider services: openai)',
        'gateway.yaml:25:30 ai_gateway_services.m.destinations[1].endpoint: endpoint "missing" is not an endpoint of environment "dev" (endpoints: chat, llama, ranker)',
        'gateway.yaml:26:53 ai_gateway_services.m.destinations[2].model: model "gpt-5" is not a target of provider service "openai" (targets: gpt-4o-mini): add it to its targets, or set allow_all_targets there',
      ],
    ],
    [
      "an endpoint of external models as a destination",
      MODEL("    destinations: [{ name: a, endpoint: chat, traffic_percentage: 100 }]\n"),
      ['gateway.yaml:23:41 ai_gateway_services.m.destinations[0].endpoint: endpoint "chat" serves external models; a model service reaches external providers through model provider services: register its providers as type model_provider services and route to those'],
    ],
    [
      "21 rate limits and 6 group limits",
      MODEL(
        "    destinations: [{ name: a, endpoint: llama, traffic_percentage: 100 }]\n    rate_limits:\n" +
          Array.from({ length: 21 }, (_, i) => (i < 6 ? `      - { key: user_group, principal: g${i}, requests: 1 }\n` : `      - { key: user, principal: u${i}@a.com, requests: 1 }\n`)).join(""),
      ),
      [
        "gateway.yaml:25:7 ai_gateway_services.m.rate_limits: 21 rate limits; a service takes at most 20: merge or remove some",
        "gateway.yaml:25:7 ai_gateway_services.m.rate_limits: 6 user_group rate limits; a service takes at most 5",
      ],
    ],
    [
      "principal missing, principal forbidden, no requests or tokens, duplicate scope",
      MODEL(
        "    destinations: [{ name: a, endpoint: llama, traffic_percentage: 100 }]\n    rate_limits:\n      - { key: user_group, requests: 1 }\n      - { key: service, principal: x, requests: 1 }\n      - { key: user_default }\n      - { key: user_default, tokens: 5 }\n",
      ),
      [
        'gateway.yaml:25:9 ai_gateway_services.m.rate_limits[0]: a "user_group" rate limit needs "principal": a group name',
        'gateway.yaml:26:25 ai_gateway_services.m.rate_limits[1].principal: a "service" rate limit takes no "principal"; use key user / user_group / service_principal to limit one principal',
        'gateway.yaml:27:9 ai_gateway_services.m.rate_limits[2]: a rate limit needs "requests" or "tokens" (per renewal_period, default a minute), or both',
        "gateway.yaml:28:9 ai_gateway_services.m.rate_limits[3]: the same scope as rate_limits[2] (key, principal, tag and renewal period): put requests and tokens in one entry",
      ],
    ],
    [
      "MCP services take QPM only",
      "  t:\n    type: mcp\n    schema: ml.gw\n    connection: ml.gw.conn\n    rate_limits:\n      - { key: service, requests: 10, tokens: 100 }\n      - { key: user_default, requests: 5, renewal_period: hour }\n",
      [
        'gateway.yaml:25:39 ai_gateway_services.t.rate_limits[0].tokens: MCP services take "requests" (queries per minute) only, not "tokens": remove it',
        "gateway.yaml:26:59 ai_gateway_services.t.rate_limits[1].renewal_period: MCP services take per-minute limits only: use renewal_period: minute (or leave it out) and requests per minute",
      ],
    ],
    [
      "fields of another type, and a missing schema",
      "  t:\n    type: mcp\n    connection: ml.gw.conn\n    destinations: [{ name: a, endpoint: llama, traffic_percentage: 100 }]\n",
      [
        'gateway.yaml:20:3 ai_gateway_services.t: "schema" is required: the Unity Catalog "<catalog>.<schema>" the service lives in (set it here or in service_defaults)',
        'gateway.yaml:23:5 ai_gateway_services.t.destinations: "destinations" applies to model services, and this one is type mcp: remove it (or change type)',
      ],
    ],
    [
      "a provider block that does not match, a second credential, a missing one",
      "  b:\n    type: model_provider\n    schema: ml.gw\n    provider: azure_openai\n    allow_all_targets: true\n    azure_openai: { base_url: \"https://a.openai.azure.com\", api_key: \"{{secrets/a/b}}\", service_credential: azure_cred }\n    openai: { api_key: \"{{secrets/a/b}}\" }\n",
      [
        "gateway.yaml:25:19 ai_gateway_services.b.azure_openai: azure_openai authenticates with exactly one of: api_key | service_credential | entra; found api_key and service_credential",
        'gateway.yaml:26:5 ai_gateway_services.b.openai: provider is azure_openai, so the "openai" block does not apply: move its fields into "azure_openai"',
      ],
    ],
    [
      "a plaintext credential",
      "  b:\n    type: model_provider\n    schema: ml.gw\n    provider: anthropic\n    allow_all_targets: true\n    anthropic: { api_key: sk-ant-123 }\n",
      ["gateway.yaml:25:27 ai_gateway_services.b.anthropic.api_key: a credential must be a Databricks secret reference like {{secrets/<scope>/<key>}}; store the value with `databricks secrets put-secret <scope> <key>` and reference it, got a literal string (value not shown)"],
    ],
    [
      "a principal granted twice",
      "  t:\n    type: mcp\n    schema: ml.gw\n    connection: ml.gw.conn\n    grants:\n      - { principal: a, privileges: [EXECUTE] }\n      - { principal: a, privileges: [MANAGE] }\n",
      ['gateway.yaml:26:22 ai_gateway_services.t.grants[1].principal: "a" already has grants[0]: list each principal once, with all its privileges'],
    ],
  ])("%s", (_, services, expected) => {
    expect(errors(load(services).lines)).toEqual(expected);
  });

  const NEWER = MODEL("    first_token_timeout: 30s\n    destinations: [{ name: a, endpoint: llama, traffic_percentage: 100 }]\n    rate_limits: [{ key: request_tag, request_tag: { key: team }, requests: 5 }]\n");
  const newerLines = (allowed: string, fix: string) => [
    `gateway.yaml:23:26 ai_gateway_services.m.first_token_timeout: first_token_timeout is not in the schema of databricks provider 1.132 or older, which ${allowed} allows, so terraform plan would fail: raise provider.version's lower bound above 1.132 to a release that has it, or remove first_token_timeout`,
    `gateway.yaml:25:26 ai_gateway_services.m.rate_limits[0].key: a request_tag rate limit is not in the schema of databricks provider 1.132 or older, which ${allowed} allows, so terraform plan would fail: raise provider.version's lower bound above 1.132 to a release that has it, or ${fix}`,
  ];

  test("request_tag limits and first_token_timeout are located errors while the constraint allows provider 1.132 or older", () => {
    expect(errors(load(NEWER).lines)).toEqual(newerLines('the default provider constraint ">= 1.124.0, < 2.0.0"', "remove this limit"));
    expect(errors(load(NEWER, `${ENV}provider:\n  version: ">= 1.132.5, < 2.0.0"\n`).lines)).toEqual(newerLines('provider.version ">= 1.132.5, < 2.0.0"', "remove this limit"));
  });

  test.each([">= 1.133.0, < 2.0.0", "~> 1.140", "> 1.132.999, < 2.0.0"])("they pass when provider.version %s excludes every release up to 1.132", (version) => {
    expect(errors(load(NEWER, `${ENV}provider:\n  version: "${version}"\n`).lines)).toEqual([]);
  });
});

describe("secret references in plaintext", () => {
  const warnings = (lines: string[]) => lines.filter((l) => l.includes(": warning: "));
  const AZURE = (credential: string) => `  az:\n    type: model_provider\n    schema: ml.gw\n    provider: azure_openai\n    allow_all_targets: true\n    azure_openai: { base_url: "https://a.openai.azure.com", ${credential} }\n`;

  test("a {{secrets/...}} api_key is a located warning that names the alternative, or the check, per provider", () => {
    const result = load(AZURE('api_key: "{{secrets/a/b}}"'));
    expect(errors(result.lines)).toEqual([]);
    expect(warnings(result.lines)).toEqual([
      "gateway.yaml:18:24 ai_gateway_services.openai.openai.api_key: warning: the secret reference is written to the provider's plaintext field, which its docs describe as an inline plaintext credential; that the service resolves {{secrets/...}} there is unconfirmed: openai takes no service_credential (only amazon_bedrock, azure_openai, microsoft_foundry do), so send one request through the service after deploy to check that it authenticates",
      "gateway.yaml:25:70 ai_gateway_services.az.azure_openai.api_key: warning: the secret reference is written to the provider's plaintext field, which its docs describe as an inline plaintext credential; that the service resolves {{secrets/...}} there is unconfirmed: use service_credential (a Unity Catalog service credential) instead",
    ]);
  });

  test("entra.client_secret warns too; a service credential does not", () => {
    const entra = load(AZURE('entra: { client_id: c, tenant_id: t, client_secret: "{{secrets/a/b}}" }'));
    expect(warnings(entra.lines).filter((l) => l.includes(".az."))).toEqual([
      expect.stringMatching(/^gateway\.yaml:25:113 ai_gateway_services\.az\.azure_openai\.entra\.client_secret: warning: the secret reference is written to the provider's plaintext field.*use service_credential/),
    ]);
    const credential = load(AZURE("service_credential: azure_cred"));
    expect(errors(credential.lines)).toEqual([]);
    expect(warnings(credential.lines).filter((l) => l.includes(".az."))).toEqual([]);
  });
});

describe("provider floor", () => {
  const mcp = "  t:\n    type: mcp\n    schema: ml.gw\n    connection: ml.gw.conn\n";
  test("provider.version that allows a release below 1.124 is a located error with a service", () => {
    const result = load(mcp, `${ENV}provider:\n  version: ">= 1.99.0, < 2.0.0"\n`);
    expect(others(result.lines)).toEqual([
      'environments/dev.yaml:4:12 provider.version: ">= 1.99.0, < 2.0.0" allows databricks provider versions below 1.124.0, and AI Gateway services (ai_gateway_services) need 1.124.0 or later: raise the lower bound, e.g. ">= 1.124.0, < 2.0.0"',
    ]);
  });
  test("grants raise the floor to 1.127", () => {
    const result = load(`${mcp}    grants: [{ principal: a, privileges: [EXECUTE] }]\n`, `${ENV}provider:\n  version: "~> 1.125"\n`);
    expect(others(result.lines)).toEqual([
      'environments/dev.yaml:4:12 provider.version: "~> 1.125" allows databricks provider versions below 1.127.0, and grants on AI Gateway services need 1.127.0 or later: raise the lower bound, e.g. ">= 1.127.0, < 2.0.0"',
    ]);
  });
  test("a constraint at the floor is clean, and no longer warned for excluding the bindings' 1.99", () => {
    expect(others(load(mcp, `${ENV}provider:\n  version: ">= 1.124.0, < 2.0.0"\n`).lines)).toEqual([]);
  });
});

describe("providerConstraint", () => {
  const { providerConstraint } = jest.requireActual("../../config/provider-version") as typeof import("../../config/provider-version");
  const mcp = { type: "mcp" as const, schema: "a.b", connection: "a.b.c" };
  test.each<[string, Parameters<typeof providerConstraint>[0], string]>([
    ["no services: the bindings' default", {}, ">= 1.99.0, < 2.0.0"],
    ["a service: 1.124", { ai_gateway_services: { t: mcp } }, ">= 1.124.0, < 2.0.0"],
    ["a service with grants: 1.127", { ai_gateway_services: { t: { ...mcp, grants: [{ principal: "a", privileges: ["EXECUTE"] }] } } }, ">= 1.127.0, < 2.0.0"],
    ["provider.version as written", { provider: { version: "~> 1.130" }, ai_gateway_services: { t: mcp } }, "~> 1.130"],
  ])("%s", (_, env, expected) => expect(providerConstraint(env)).toBe(expected));
});
