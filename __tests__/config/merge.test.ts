import { resolveConfigDir } from "../../config/load";
import { loadValid, MINIMAL_ENV, MINIMAL_GATEWAY } from "../helpers";

const GATEWAY = `defaults:
  ai_gateway:
    usage_tracking: true
    guardrails:
      input: { safety: true, pii: BLOCK }
    rate_limits:
      - { key: user, calls: 60 }
  tags: { owner: platform, tier: gold }
endpoints:
  chat:
    task: llm/v1/chat
    served_entities:
      - name: openai
        external_model:
          provider: openai
          name: gpt-4o-mini
          openai_config: { openai_api_key: "{{secrets/llm/openai}}" }
    ai_gateway:
      rate_limits:
        - { key: endpoint, tokens: 1000 }
        - { key: user, calls: 10 }
    tags: { tier: silver }
  ranker:
    served_entities:
      - { name: current, entity_name: ml.models.ranker, entity_version: "7", workload_size: Small }
    ai_gateway:
      guardrails: null
`;

describe("merge order: gateway defaults < env defaults < gateway endpoint < env endpoint", () => {
  const envs = loadValid({
    "gateway.yaml": GATEWAY,
    "environments/dev.yaml": `${MINIMAL_ENV}defaults:
  ai_gateway:
    rate_limits:
      - { key: user, calls: 5 }
  tags: { environment: dev }
endpoints:
  chat:
    ai_gateway:
      guardrails:
        input: { pii: MASK }
      rate_limits:
        - { key: user, calls: 1 }
    tags: { owner: null }
  ranker:
    enabled: false
`,
    "environments/prod.yaml": `${MINIMAL_ENV}protect: true
naming: { prefix: p-, suffix: -x }
`,
  });

  test("an endpoint's list replaces the defaults' list whole (never appends)", () => {
    expect(envs.prod.endpoints.chat.ai_gateway?.rate_limits).toEqual([
      { key: "endpoint", tokens: 1000 },
      { key: "user", calls: 10 },
    ]);
  });

  test("the environment's endpoint list wins over everything below it", () => {
    expect(envs.dev.endpoints.chat.ai_gateway?.rate_limits).toEqual([{ key: "user", calls: 1 }]);
  });

  test("environment defaults win over gateway defaults where the endpoint sets nothing", () => {
    const g = loadValid({
      "gateway.yaml": GATEWAY.replace(/    ai_gateway:\n      rate_limits:\n        - \{ key: endpoint, tokens: 1000 \}\n        - \{ key: user, calls: 10 \}\n/, ""),
      "environments/dev.yaml": `${MINIMAL_ENV}defaults:\n  ai_gateway:\n    rate_limits:\n      - { key: user, calls: 5 }\n`,
    });
    expect(g.dev.endpoints.chat.ai_gateway?.rate_limits).toEqual([{ key: "user", calls: 5 }]);
  });

  test("maps merge key by key across all four layers", () => {
    expect(envs.dev.endpoints.chat.ai_gateway?.guardrails).toEqual({ input: { safety: true, pii: "MASK" } });
    expect(envs.dev.endpoints.chat.ai_gateway?.usage_tracking).toBe(true);
    expect(envs.prod.endpoints.chat.tags).toEqual({ owner: "platform", tier: "silver" });
  });

  test("null removes a key a lower layer set", () => {
    expect(envs.dev.endpoints.chat.tags).toEqual({ tier: "silver", environment: "dev" });
    expect(envs.prod.endpoints.ranker.ai_gateway).toEqual({ usage_tracking: true, rate_limits: [{ key: "user", calls: 60 }] });
  });

  test("enabled: false leaves the endpoint out of that environment only", () => {
    expect(Object.keys(envs.dev.endpoints)).toEqual(["chat"]);
    expect(Object.keys(envs.prod.endpoints)).toEqual(["chat", "ranker"]);
  });

  test("environment settings come from the environment file", () => {
    expect(envs.prod.protect).toBe(true);
    expect(envs.prod.naming).toEqual({ prefix: "p-", suffix: "-x" });
    expect(envs.dev.protect).toBeUndefined();
    expect(envs.dev.workspace.host).toBe("https://dbc-1.cloud.databricks.com");
  });

  test("an endpoint disabled in gateway.yaml can be enabled by one environment", () => {
    const g = loadValid({
      "gateway.yaml": GATEWAY.replace("  ranker:\n", "  ranker:\n    enabled: false\n"),
      "environments/dev.yaml": `${MINIMAL_ENV}endpoints:\n  ranker: { enabled: true }\n`,
      "environments/prod.yaml": MINIMAL_ENV,
    });
    expect(Object.keys(g.dev.endpoints)).toEqual(["chat", "ranker"]);
    expect(Object.keys(g.prod.endpoints)).toEqual(["chat"]);
  });

  test("YAML anchors and aliases resolve like the values they name", () => {
    const g = loadValid({
      "gateway.yaml": GATEWAY.replace("  tags: { owner: platform, tier: gold }", "  tags: &t { owner: platform, tier: gold }").replace("    tags: { tier: silver }", "    tags: *t"),
      "environments/dev.yaml": MINIMAL_ENV,
    });
    expect(g.dev.endpoints.chat.tags).toEqual({ owner: "platform", tier: "gold" });
  });
});

describe("config directory", () => {
  test("--config wins over GATEWAY_CONFIG_DIR, which wins over config/", () => {
    expect(resolveConfigDir("a", { GATEWAY_CONFIG_DIR: "b" })).toBe("a");
    expect(resolveConfigDir(undefined, { GATEWAY_CONFIG_DIR: "b" })).toBe("b");
    expect(resolveConfigDir(undefined, {})).toBe("config");
    expect(resolveConfigDir(undefined, { GATEWAY_CONFIG_DIR: "" })).toBe("config");
  });
});

describe("all problems at once", () => {
  test("a YAML syntax error in gateway.yaml does not hide the environment files' own problems", () => {
    const { loadTree } = jest.requireActual("../helpers");
    const result = loadTree({
      "gateway.yaml": "endpoints:\n  chat: [\n",
      "environments/dev.yaml": `${MINIMAL_ENV}protected: true\n`,
      "environments/prod.yaml": `${MINIMAL_ENV}naming: { prefx: p- }\n`,
    });
    expect(result.lines).toEqual([
      'environments/dev.yaml:3:1 protected: unknown key "protected"; did you mean "protect"?',
      'environments/prod.yaml:3:11 naming.prefx: unknown key "prefx"; did you mean "prefix"?',
      expect.stringMatching(/^gateway\.yaml:3:1 \(yaml\): YAML syntax error: /),
    ]);
  });

  test("an endpoint with a schema error still gets its other rules checked, without follow-on errors", () => {
    const { loadTree } = jest.requireActual("../helpers");
    const result = loadTree({
      "gateway.yaml": MINIMAL_GATEWAY.replace('"{{secrets/llm/openai}}"', "sk-live-1") + "    ai_gateway:\n      rate_limits:\n        - { key: user_group, calls: 5 }\n",
      "environments/dev.yaml": MINIMAL_ENV,
    });
    expect(result.lines).toEqual([
      "gateway.yaml:9:44 endpoints.chat.served_entities[0].external_model.openai_config.openai_api_key: a credential must be a Databricks secret reference like {{secrets/<scope>/<key>}}; store the value with `databricks secrets put-secret <scope> <key>` and reference it, got a literal string (value not shown)",
      'gateway.yaml:12:11 endpoints.chat.ai_gateway.rate_limits[0]: a "user_group" rate limit needs "principal" (a group name)',
    ]);
  });

  test("a gateway.yaml line that is wrong in only some environments names them", () => {
    const { loadTree } = jest.requireActual("../helpers");
    const ranker = `endpoints:
  ranker:
    served_entities:
      - { name: current, entity_name: ml.models.r, entity_version: "7", workload_size: Small }
      - { name: candidate, entity_name: ml.models.r, entity_version: "8", workload_size: Small }
    routing:
      split: { current: 90, candidate: 10 }
`;
    const result = loadTree({
      "gateway.yaml": ranker,
      "environments/dev.yaml": `${MINIMAL_ENV}endpoints:\n  ranker:\n    served_entities:\n      - { name: current, entity_name: ml.models.r, entity_version: "7", workload_size: Small }\n`,
      "environments/prod.yaml": MINIMAL_ENV,
    });
    expect(result.lines).toEqual([
      'gateway.yaml:7:29 endpoints.ranker.routing.split.candidate: split names "candidate", which is not a served entity of this endpoint (served entities: current) (in environment dev)',
    ]);
  });

  test("an unknown top-level key of an environment file is reported once", () => {
    const { loadTree } = jest.requireActual("../helpers");
    const result = loadTree({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": `${MINIMAL_ENV}foobarbaz: true\n` });
    expect(result.lines).toEqual([
      'environments/dev.yaml:3:1 foobarbaz: unknown key "foobarbaz"; expected one of: workspace, state, naming, protect, provider, deploy, defaults, endpoints, service_defaults, ai_gateway_services, app_defaults, apps, secret_scopes',
    ]);
  });
});
