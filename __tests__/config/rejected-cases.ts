/**
 * Broken configs and the exact problems they must produce. Each case is a small tree of files;
 * line numbers in the expectations refer to those files as written here.
 */
import { MINIMAL_ENV, MINIMAL_GATEWAY } from "../helpers";

export interface RejectedCase {
  readonly name: string;
  readonly files: Record<string, string>;
  /** Every error line, exactly, in output order. */
  readonly errors: readonly string[];
}

/** gateway.yaml with one endpoint "chat"; `body` is indented under it (line 3 onward). */
export function chat(body: string, extra = ""): Record<string, string> {
  return {
    "gateway.yaml": `endpoints:\n  chat:\n${indent(body, 4)}${extra}`,
    "environments/dev.yaml": MINIMAL_ENV,
  };
}

export function indent(text: string, n: number): string {
  const pad = " ".repeat(n);
  return text
    .split("\n")
    .map((l) => (l ? pad + l : l))
    .join("\n");
}

/** A valid external chat endpoint body; lines 3..10 of gateway.yaml. */
export const OPENAI = `task: llm/v1/chat
served_entities:
  - name: openai
    external_model:
      provider: openai
      name: gpt-4o-mini
      openai_config:
        openai_api_key: "{{secrets/llm/openai}}"
`;
export const ANTHROPIC_ENTITY = `  - name: anthropic
    external_model:
      provider: anthropic
      name: claude-sonnet-4-5
      anthropic_config:
        anthropic_api_key: "{{secrets/llm/anthropic}}"
`;
export const CUSTOM = `served_entities:
  - { name: current, entity_name: ml.models.ranker, entity_version: "7", workload_size: Small }
  - { name: candidate, entity_name: ml.models.ranker, entity_version: "8", workload_size: Small }
`;

/** The minimal gateway.yaml with the given environment file as dev.yaml. */
const gwEnv = (env: string, gateway = MINIMAL_GATEWAY): Record<string, string> => ({ "gateway.yaml": gateway, "environments/dev.yaml": env });

/** Eight levels of ten aliases each: 10^8 values if expanded ("billion laughs"). */
const laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
  .concat(["b", "c", "d", "e", "f", "g", "h"].map((k, i) => `${k}: &${k} [${Array(10).fill("*" + String.fromCharCode(97 + i)).join(", ")}]`))
  .join("\n");

export const CASES: RejectedCase[] = [
  {
    name: "yaml syntax error",
    files: chat("task: [llm/v1/chat\n"),
    errors: [
      "gateway.yaml:4:1 (yaml): YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
  },
  {
    name: "duplicate yaml key",
    files: chat(OPENAI + "task: llm/v1/completions\n"),
    errors: [
      "gateway.yaml:11:5 (yaml): duplicate key \"task\": it is already set earlier in the same map; keep one of them",
    ],
  },
  {
    name: "unknown key with suggestion",
    files: chat(OPENAI + "ai_gateway:\n  rate_limit:\n    - { key: user, calls: 1 }\n"),
    errors: [
      "gateway.yaml:12:7 endpoints.chat.ai_gateway.rate_limit: unknown key \"rate_limit\"; did you mean \"rate_limits\"?",
    ],
  },
  {
    name: "unknown key without suggestion",
    files: chat(OPENAI + "colour: blue\n"),
    errors: [
      "gateway.yaml:11:5 endpoints.chat.colour: unknown key \"colour\"; expected one of: enabled, import, kind, name, description, task, served_entities, timeouts, routing, ai_gateway, permissions, tags, budget_policy_id, email_notifications, route_optimized",
    ],
  },
  {
    name: "unknown top-level key in gateway.yaml",
    files: { "gateway.yaml": MINIMAL_GATEWAY + "endpoint: {}\n", "environments/dev.yaml": MINIMAL_ENV },
    errors: [
      "gateway.yaml:10:1 endpoint: unknown key \"endpoint\"; did you mean \"endpoints\"?",
    ],
  },
  {
    name: "unknown top-level key in environment file",
    files: gwEnv(MINIMAL_ENV + "protected: true\n"),
    errors: [
      "environments/dev.yaml:3:1 protected: unknown key \"protected\"; did you mean \"protect\"?",
    ],
  },
  {
    name: "wrong type: string for number",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: user, calls: lots }\n"),
    errors: [
      "gateway.yaml:13:31 endpoints.chat.ai_gateway.rate_limits[0].calls: expected a number, got \"lots\"",
    ],
  },
  {
    name: "wrong type: number for string tag",
    files: chat(OPENAI + "tags: { cost_center: 4711 }\n"),
    errors: [
      "gateway.yaml:11:26 endpoints.chat.tags.cost_center: expected a string, got number 4711: quote it (\"4711\") so YAML reads it as a string",
    ],
  },
  {
    name: "wrong type: map for list",
    files: chat(OPENAI + "permissions: { group_name: analysts, level: CAN_QUERY }\n"),
    errors: [
      "gateway.yaml:11:18 endpoints.chat.permissions: expected a list, got a map",
    ],
  },
  {
    name: "wrong type: boolean",
    files: chat(OPENAI + "route_optimized: yes please\n"),
    errors: [
      "gateway.yaml:11:22 endpoints.chat.route_optimized: expected true or false, got \"yes please\"",
    ],
  },
  {
    name: "endpoint name with invalid characters",
    files: chat("name: chat endpoint\n" + OPENAI),
    errors: [
      "gateway.yaml:3:11 endpoints.chat.name: an endpoint name may contain only letters, digits, \"_\" and \"-\", got \"chat endpoint\"",
    ],
  },
  {
    name: "served entity name with invalid characters",
    files: chat(OPENAI.replace("name: openai", "name: open.ai")),
    errors: [
      "gateway.yaml:5:15 endpoints.chat.served_entities[0].name: a served entity name may contain only letters, digits, \"_\" and \"-\", got \"open.ai\"",
    ],
  },
  {
    name: "invalid endpoint key",
    files: { "gateway.yaml": MINIMAL_GATEWAY.replace("  chat:", "  9chat:"), "environments/dev.yaml": MINIMAL_ENV },
    errors: [
      "gateway.yaml:2:3 endpoints.9chat: invalid endpoint key \"9chat\": keys become Terraform addresses and must match [A-Za-z_][A-Za-z0-9_-]*; set the endpoint's display name with \"name\" instead",
    ],
  },
  {
    name: "invalid environment file name",
    files: { "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": MINIMAL_ENV, "environments/Prod_EU.yaml": MINIMAL_ENV },
    errors: [
      "environments/Prod_EU.yaml:1:1 (file): invalid environment name \"Prod_EU\": the file name is the environment name and must match [a-z][a-z0-9-]* (lower case, digits, \"-\"); rename the file",
    ],
  },
  {
    name: "duplicate endpoint names after naming",
    files: { "gateway.yaml": MINIMAL_GATEWAY + MINIMAL_GATEWAY.replace("endpoints:\n  chat:", "  chat2:\n    name: chat"), "environments/dev.yaml": MINIMAL_ENV },
    errors: [
      "gateway.yaml:11:11 endpoints.chat2.name: endpoint name \"chat\" is already used by endpoint \"chat\" in environment \"dev\"; endpoint names must be unique per environment: give one a different \"name\"",
    ],
  },
  {
    name: "duplicate served entity names",
    files: chat(OPENAI + ANTHROPIC_ENTITY.replace("name: anthropic", "name: openai") + "routing:\n  fallback: [openai, openai]\n"),
    errors: [
      "gateway.yaml:11:15 endpoints.chat.served_entities[1].name: served entity name \"openai\" is already used by served_entities[0]; names must be unique within an endpoint",
      "gateway.yaml:18:26 endpoints.chat.routing.fallback[1]: \"openai\" appears twice in fallback; list each served entity once",
    ],
  },
  {
    name: "rate limit key not in enum",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: users, calls: 10 }\n"),
    errors: [
      "gateway.yaml:13:18 endpoints.chat.ai_gateway.rate_limits[0].key: expected one of endpoint | user | user_group | service_principal, got \"users\"; did you mean \"user\"?",
    ],
  },
  {
    name: "user_group limit without principal",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: user_group, calls: 10 }\n"),
    errors: [
      "gateway.yaml:13:11 endpoints.chat.ai_gateway.rate_limits[0]: a \"user_group\" rate limit needs \"principal\" (a group name)",
    ],
  },
  {
    name: "service_principal limit without principal",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: service_principal, tokens: 10 }\n"),
    errors: [
      "gateway.yaml:13:11 endpoints.chat.ai_gateway.rate_limits[0]: a \"service_principal\" rate limit needs \"principal\" (the service principal's application id)",
    ],
  },
  {
    name: "endpoint limit with principal",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: endpoint, principal: analysts, calls: 10 }\n"),
    errors: [
      "gateway.yaml:13:39 endpoints.chat.ai_gateway.rate_limits[0].principal: an \"endpoint\" rate limit is a global cap and takes no \"principal\": remove it, or use key user_group / service_principal / user",
    ],
  },
  {
    name: "limit without calls or tokens",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: user }\n"),
    errors: [
      "gateway.yaml:13:11 endpoints.chat.ai_gateway.rate_limits[0]: a rate limit needs \"calls\" (queries per minute) or \"tokens\" (tokens per minute), or both",
    ],
  },
  {
    name: "limit calls zero",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: user, calls: 0 }\n"),
    errors: [
      "gateway.yaml:13:31 endpoints.chat.ai_gateway.rate_limits[0].calls: expected a number > 0, got number 0",
    ],
  },
  {
    name: "limit tokens fractional",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: user, tokens: 1.5 }\n"),
    errors: [
      "gateway.yaml:13:32 endpoints.chat.ai_gateway.rate_limits[0].tokens: expected a whole number, got number 1.5: use a whole number",
    ],
  },
  {
    name: "renewal period other than minute",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: user, calls: 5, renewal_period: hour }\n"),
    errors: [
      "gateway.yaml:13:50 endpoints.chat.ai_gateway.rate_limits[0].renewal_period: expected \"minute\", got \"hour\"",
    ],
  },
  {
    name: "two limits for the same key and principal",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: user_group, principal: a, calls: 5 }\n    - { key: user_group, principal: a, tokens: 50 }\n"),
    errors: [
      "gateway.yaml:14:11 endpoints.chat.ai_gateway.rate_limits[1]: a second rate limit for key user_group, principal a (the first is rate_limits[0]): put calls and tokens in one entry",
    ],
  },
  {
    name: "pii behavior not in enum",
    files: chat(OPENAI + "ai_gateway:\n  guardrails:\n    input: { pii: REDACT }\n"),
    errors: [
      "gateway.yaml:13:23 endpoints.chat.ai_gateway.guardrails.input.pii: expected one of NONE | BLOCK | MASK, got \"REDACT\"",
    ],
  },
  {
    name: "deprecated invalid_keywords",
    files: chat(OPENAI + "ai_gateway:\n  guardrails:\n    input: { invalid_keywords: [secret] }\n"),
    errors: [
      "gateway.yaml:13:18 endpoints.chat.ai_gateway.guardrails.input.invalid_keywords: \"invalid_keywords\" is deprecated by Databricks and not supported: use \"pii\" (NONE | BLOCK | MASK) and \"safety\" (true | false) instead",
    ],
  },
  {
    name: "deprecated valid_topics",
    files: chat(OPENAI + "ai_gateway:\n  guardrails:\n    output: { valid_topics: [weather] }\n"),
    errors: [
      "gateway.yaml:13:19 endpoints.chat.ai_gateway.guardrails.output.valid_topics: \"valid_topics\" is deprecated by Databricks and not supported: use \"pii\" (NONE | BLOCK | MASK) and \"safety\" (true | false) instead",
    ],
  },
  {
    name: "plaintext credential",
    files: chat(OPENAI.replace('openai_api_key: "{{secrets/llm/openai}}"', "openai_api_key_plaintext: sk-123")),
    errors: [
      "gateway.yaml:10:13 endpoints.chat.served_entities[0].external_model.openai_config.openai_api_key_plaintext: \"openai_api_key_plaintext\" is not allowed: a plaintext credential lands in Terraform state and plans (and drifts forever on provider 1.99); use \"openai_api_key\" with a {{secrets/<scope>/<key>}} reference",
    ],
  },
  {
    name: "literal credential",
    files: chat(OPENAI.replace('"{{secrets/llm/openai}}"', "sk-live-123")),
    errors: [
      "gateway.yaml:10:29 endpoints.chat.served_entities[0].external_model.openai_config.openai_api_key: a credential must be a Databricks secret reference like {{secrets/<scope>/<key>}}; store the value with `databricks secrets put-secret <scope> <key>` and reference it, got a literal string (value not shown)",
    ],
  },
  {
    name: "credential literal in environment_vars",
    files: chat("served_entities:\n  - name: m\n    entity_name: ml.models.m\n    entity_version: \"1\"\n    workload_size: Small\n    environment_vars: { API_TOKEN: abc }\n"),
    errors: [
      "gateway.yaml:8:40 endpoints.chat.served_entities[0].environment_vars.API_TOKEN: environment variable \"API_TOKEN\" looks like a credential but is a literal value: use a {{secrets/<scope>/<key>}} reference so it stays out of Terraform state",
    ],
  },
  {
    name: "external model mixed with custom model",
    files: chat(OPENAI + "  - { name: current, entity_name: ml.models.ranker, entity_version: \"7\", workload_size: Small }\nrouting:\n  split: { openai: 50, current: 50 }\n"),
    errors: [
      "gateway.yaml:11:9 endpoints.chat.served_entities[1]: served_entities[1] is a custom model but served_entities[0] is an external model: one endpoint serves one kind (external models, custom models or foundation models); put this entity on its own endpoint",
    ],
  },
  {
    name: "provider config block does not match provider",
    files: chat(OPENAI.replace("provider: openai", "provider: anthropic")),
    errors: [
      "gateway.yaml:7:11 endpoints.chat.served_entities[0].external_model: provider \"anthropic\" needs an \"anthropic_config\" block with its credentials (for example anthropic_config: { anthropic_api_key: \"{{secrets/<scope>/<key>}}\" })",
      "gateway.yaml:9:11 endpoints.chat.served_entities[0].external_model.openai_config: \"openai_config\" does not match provider \"anthropic\": an external model takes exactly one config block, \"anthropic_config\"; remove \"openai_config\"",
    ],
  },
  {
    name: "provider without its config block",
    files: chat("task: llm/v1/chat\nserved_entities:\n  - name: claude\n    external_model: { provider: anthropic, name: claude-sonnet-4-5 }\n"),
    errors: [
      "gateway.yaml:6:25 endpoints.chat.served_entities[0].external_model: provider \"anthropic\" needs an \"anthropic_config\" block with its credentials (for example anthropic_config: { anthropic_api_key: \"{{secrets/<scope>/<key>}}\" })",
    ],
  },
  {
    name: "bedrock config missing required fields",
    files: chat("task: llm/v1/chat\nserved_entities:\n  - name: bedrock\n    external_model:\n      provider: amazon-bedrock\n      name: claude\n      amazon_bedrock_config: { instance_profile_arn: arn:aws:iam::1:instance-profile/x }\n"),
    errors: [
      "gateway.yaml:9:34 endpoints.chat.served_entities[0].external_model.amazon_bedrock_config: \"amazon_bedrock_config.aws_region\" is required for provider \"amazon-bedrock\"",
      "gateway.yaml:9:34 endpoints.chat.served_entities[0].external_model.amazon_bedrock_config: \"amazon_bedrock_config.bedrock_provider\" is required for provider \"amazon-bedrock\"",
    ],
  },
  {
    name: "custom provider with both auth modes",
    files: chat("task: llm/v1/chat\nserved_entities:\n  - name: own\n    external_model:\n      provider: custom\n      name: own-llm\n      custom_provider_config:\n        custom_provider_url: https://llm.acme.com\n        bearer_token_auth: { token: \"{{secrets/llm/t}}\" }\n        api_key_auth: { key: X-Key, value: \"{{secrets/llm/k}}\" }\n"),
    errors: [
      "gateway.yaml:10:13 endpoints.chat.served_entities[0].external_model.custom_provider_config: custom_provider_config needs exactly one of \"api_key_auth\" or \"bearer_token_auth\", found both",
    ],
  },
  {
    name: "unknown provider",
    files: chat(OPENAI.replace("provider: openai", "provider: open-ai")),
    errors: [
      "gateway.yaml:7:21 endpoints.chat.served_entities[0].external_model.provider: expected one of openai | anthropic | amazon-bedrock | google-cloud-vertex-ai | cohere | ai21labs | databricks-model-serving | custom | palm, got \"open-ai\"; did you mean \"openai\"?",
    ],
  },
  {
    name: "task missing for external models",
    files: chat(OPENAI.replace("task: llm/v1/chat\n", "")),
    errors: [
      "gateway.yaml:3:5 endpoints.chat: \"task\" is required when the served entities are external models: add task: llm/v1/chat, llm/v1/completions or llm/v1/embeddings",
    ],
  },
  {
    name: "task on custom models",
    files: chat("task: llm/v1/chat\n" + CUSTOM + "routing:\n  split: { current: 90, candidate: 10 }\n"),
    errors: [
      "gateway.yaml:3:11 endpoints.chat.task: \"task\" applies only to external models, but this endpoint serves custom models: remove \"task\"",
    ],
  },
  {
    name: "split not summing to 100",
    files: chat(CUSTOM + "routing:\n  split: { current: 90, candidate: 20 }\n"),
    errors: [
      "gateway.yaml:7:14 endpoints.chat.routing.split: split percentages sum to 110, expected 100: adjust them so they add up to 100",
    ],
  },
  {
    name: "split naming a missing entity",
    files: chat(CUSTOM + "routing:\n  split: { current: 90, canidate: 10 }\n"),
    errors: [
      "gateway.yaml:7:14 endpoints.chat.routing.split: split must name every served entity; missing: candidate (give it 0 to keep it without traffic)",
      "gateway.yaml:7:29 endpoints.chat.routing.split.canidate: split names \"canidate\", which is not a served entity of this endpoint (served entities: current, candidate)",
    ],
  },
  {
    name: "split percentage out of range",
    files: chat(CUSTOM + "routing:\n  split: { current: 110, candidate: -10 }\n"),
    errors: [
      "gateway.yaml:7:25 endpoints.chat.routing.split.current: expected a number <= 100, got number 110",
      "gateway.yaml:7:41 endpoints.chat.routing.split.candidate: expected a number >= 0, got number -10",
    ],
  },
  {
    name: "fallback naming a missing entity",
    files: chat(OPENAI + ANTHROPIC_ENTITY + "routing:\n  fallback: [openai, claude]\n"),
    errors: [
      "gateway.yaml:18:17 endpoints.chat.routing.fallback: fallback must list every served entity in failover order; missing: anthropic",
      "gateway.yaml:18:26 endpoints.chat.routing.fallback[1]: fallback names \"claude\", which is not a served entity of this endpoint (served entities: openai, anthropic)",
    ],
  },
  {
    name: "fallback with one entity",
    files: chat(OPENAI + "routing:\n  fallback: [openai]\n"),
    errors: [
      "gateway.yaml:12:17 endpoints.chat.routing.fallback: fallback needs at least two served entities (a primary and a fallback), got 1",
    ],
  },
  {
    name: "fallback on custom models",
    files: chat(CUSTOM + "routing:\n  fallback: [current, candidate]\n"),
    errors: [
      "gateway.yaml:7:17 endpoints.chat.routing.fallback: fallback is supported for external models only; use routing.split for custom and foundation models",
    ],
  },
  {
    name: "two entities without routing",
    files: chat(CUSTOM),
    errors: [
      "gateway.yaml:4:7 endpoints.chat.served_entities: 2 served entities but no \"routing\": add routing.split (traffic percentages) or routing.fallback (failover order) so traffic is explicit",
    ],
  },
  {
    name: "inference table without catalog",
    files: chat(OPENAI + "ai_gateway:\n  inference_table: { schema_name: logs }\n"),
    errors: [
      "gateway.yaml:12:24 endpoints.chat.ai_gateway.inference_table: \"catalog_name\" is required when the inference table is enabled (the table is <catalog_name>.<schema_name>.<table_name_prefix>_payload); or set inference_table: false",
    ],
  },
  {
    name: "inference table as true",
    files: chat(OPENAI + "ai_gateway:\n  inference_table: true\n"),
    errors: [
      "gateway.yaml:12:24 endpoints.chat.ai_gateway.inference_table: expected a map (catalog_name, schema_name, table_name_prefix, enabled, create_schema, schema_grants) or false, got boolean true",
    ],
  },
  {
    name: "environment overrides an undefined endpoint",
    files: gwEnv(MINIMAL_ENV + "endpoints:\n  chta:\n    tags: { a: b }\n"),
    errors: [
      "environments/dev.yaml:4:3 endpoints.chta: endpoint \"chta\" is not defined in gateway.yaml: an environment can only override endpoints that gateway.yaml defines (defined: chat)",
    ],
  },
  {
    name: "permission with two identities",
    files: chat(OPENAI + "permissions:\n  - { group_name: a, user_name: b@acme.com, level: CAN_QUERY }\n"),
    errors: [
      "gateway.yaml:12:9 endpoints.chat.permissions[0]: a permission names exactly one of group_name, user_name or service_principal_name, found group_name and user_name",
    ],
  },
  {
    name: "permission for admins",
    files: chat(OPENAI + "permissions:\n  - { group_name: admins, level: CAN_MANAGE }\n"),
    errors: [
      "gateway.yaml:12:23 endpoints.chat.permissions[0].group_name: the \"admins\" group always has CAN_MANAGE and cannot be set: remove this entry",
    ],
  },
  {
    name: "two levels for one identity",
    files: chat(OPENAI + "permissions:\n  - { group_name: a, level: CAN_QUERY }\n  - { group_name: a, level: CAN_MANAGE }\n"),
    errors: [
      "gateway.yaml:13:9 endpoints.chat.permissions[1]: group_name \"a\" already has a level in permissions[0]: one level per identity (two drift forever); keep the one you mean",
    ],
  },
  {
    name: "permission level not in enum",
    files: chat(OPENAI + "permissions:\n  - { group_name: a, level: CAN_USE }\n"),
    errors: [
      "gateway.yaml:12:33 endpoints.chat.permissions[0].level: expected one of CAN_VIEW | CAN_QUERY | CAN_MANAGE, got \"CAN_USE\"; did you mean \"CAN_VIEW\"?",
    ],
  },
  {
    name: "workspace host not https",
    files: gwEnv("workspace:\n  host: http://dbc-1.cloud.databricks.com\n"),
    errors: [
      "environments/dev.yaml:2:9 workspace.host: expected an https:// workspace URL, got \"http://dbc-1.cloud.databricks.com\"",
    ],
  },
  {
    name: "workspace host not a URL at all (found by the fuzz test: it used to throw)",
    files: gwEnv("workspace:\n  host: constructor\n"),
    errors: [
      "environments/dev.yaml:2:9 workspace.host: expected the workspace URL (https://<workspace>.cloud.databricks.com), got a literal string (value not shown): set host to the URL you open the workspace at; credentials come from DATABRICKS_* in the deploy job's environment",
    ],
  },
  {
    name: "deploy.order not a non-negative integer",
    files: gwEnv("deploy: { order: 1.5 }\nworkspace:\n  host: https://dbc-1.cloud.databricks.com\n"),
    errors: ["environments/dev.yaml:1:18 deploy.order: expected a whole number, got number 1.5: use a whole number"],
  },
  {
    name: "workspace token in config",
    files: gwEnv(MINIMAL_ENV + "  token: dapi123\n"),
    errors: [
      "environments/dev.yaml:3:3 workspace.token: \"token\" must not be written in config: credentials come from the environment at deploy time; set DATABRICKS_TOKEN in the deploy job's secrets instead",
    ],
  },
  {
    name: "missing workspace",
    files: gwEnv("protect: true\n"),
    errors: [
      "environments/dev.yaml:1:1 workspace: required key \"workspace\" is missing: add it (expected a map)",
    ],
  },
  {
    name: "state backend unknown",
    files: gwEnv(MINIMAL_ENV + "state: { backend: s4, bucket: b }\n"),
    errors: [
      "environments/dev.yaml:3:19 state.backend: expected backend to be one of local | s3 | gcs | azurerm | remote, got \"s4\"; did you mean \"s3\"?",
    ],
  },
  {
    name: "state backend secret",
    files: gwEnv(MINIMAL_ENV + "state: { backend: s3, bucket: b, key: k, region: r, secret_key: abc }\n"),
    errors: [
      "environments/dev.yaml:3:53 state.secret_key: \"secret_key\" is a credential and must not be written in config (it would be committed and land in the state backend block); set AWS_SECRET_ACCESS_KEY in the deploy job's environment instead",
    ],
  },
  {
    name: "state s3 missing bucket",
    files: gwEnv(MINIMAL_ENV + "state: { backend: s3, key: k, region: r }\n"),
    errors: [
      "environments/dev.yaml:3:8 state.bucket: required key \"bucket\" is missing: add it (expected a string)",
    ],
  },
  {
    name: "served_entities empty",
    files: chat("task: llm/v1/chat\nserved_entities: []\n"),
    errors: [
      "gateway.yaml:4:22 endpoints.chat.served_entities: expected at least 1 item(s), got a list with 0",
    ],
  },
  {
    name: "served_entities missing",
    files: chat("task: llm/v1/chat\n"),
    errors: [
      "gateway.yaml:3:5 endpoints.chat.served_entities: \"served_entities\" is missing: list what the endpoint serves, or, to govern an endpoint that already exists (such as a Databricks-hosted databricks-* endpoint) without managing its served models, add import: true",
    ],
  },
  {
    name: "error in an environment override points at the environment file",
    files: gwEnv(MINIMAL_ENV + "endpoints:\n  chat:\n    ai_gateway:\n      rate_limits:\n        - { key: user, calls: -5 }\n"),
    errors: [
      "environments/dev.yaml:7:31 endpoints.chat.ai_gateway.rate_limits[0].calls: expected a number > 0, got number -5",
    ],
  },
  {
    name: "null removes a required key set below",
    files: gwEnv(MINIMAL_ENV + "endpoints:\n  chat:\n    task: null\n"),
    errors: [
      "gateway.yaml:3:5 endpoints.chat: \"task\" is required when the served entities are external models: add task: llm/v1/chat, llm/v1/completions or llm/v1/embeddings",
    ],
  },
  {
    name: "deprecated top-level rate_limits",
    files: chat(OPENAI + "rate_limits:\n  - { calls: 5 }\n"),
    errors: [
      "gateway.yaml:11:5 endpoints.chat.rate_limits: the top-level \"rate_limits\" block is deprecated (sent on create only, never read back): put rate limits under ai_gateway.rate_limits",
    ],
  },
  {
    name: "naming prefix with invalid characters",
    files: gwEnv(MINIMAL_ENV + "naming: { prefix: 'dev.' }\n"),
    errors: [
      "environments/dev.yaml:3:9 naming: endpoint name \"dev.chat\" (after naming prefix/suffix) may contain only letters, digits, \"_\" and \"-\": fix naming.prefix / naming.suffix",
    ],
  },
  {
    name: "custom model without workload size",
    files: chat("served_entities:\n  - { name: m, entity_name: ml.models.m, entity_version: \"1\" }\n"),
    errors: [
      "gateway.yaml:4:9 endpoints.chat.served_entities[0]: \"ml.models.m\" is served as a custom model, which needs \"workload_size\" (Small | Medium | Large) or min/max_provisioned_concurrency. A pay-per-token foundation model is named system.ai.<model>; to govern a Databricks-hosted databricks-* endpoint, give its name with import: true and no served_entities",
    ],
  },
  {
    name: "entity without version",
    files: chat("served_entities:\n  - { name: m, entity_name: ml.models.m, workload_size: Small }\n"),
    errors: [
      "gateway.yaml:4:9 endpoints.chat.served_entities[0]: \"entity_version\" is required with entity_name \"ml.models.m\": add the model version to serve, as a string (entity_version: \"1\")",
    ],
  },
  {
    name: "min throughput above max",
    files: chat("served_entities:\n  - { name: l, entity_name: system.ai.llama, entity_version: \"1\", min_provisioned_throughput: 200, max_provisioned_throughput: 100 }\n"),
    errors: [
      "gateway.yaml:4:99 endpoints.chat.served_entities[0].min_provisioned_throughput: min_provisioned_throughput (200) is greater than max_provisioned_throughput (100): swap them or lower the minimum",
    ],
  },
  {
    name: "defaults error reported once for every endpoint",
    files: { "gateway.yaml": "defaults:\n  ai_gateway:\n    usage_traking: true\n" + MINIMAL_GATEWAY + MINIMAL_GATEWAY.replace("endpoints:\n  chat:", "  chat2:"), "environments/dev.yaml": MINIMAL_ENV, "environments/prod.yaml": MINIMAL_ENV },
    errors: [
      "gateway.yaml:3:5 defaults.ai_gateway.usage_traking: unknown key \"usage_traking\"; did you mean \"usage_tracking\"?",
    ],
  },
  {
    name: "provider version constraint that Terraform cannot parse",
    files: gwEnv(MINIMAL_ENV + "provider: { version: \"1.99.*\" }\n"),
    errors: [
      'environments/dev.yaml:3:22 provider.version: expected a Terraform version constraint such as ">= 1.99.0, < 2.0.0" or "~> 1.99", got "1.99.*": "1.99.*" is not an operator and a version: wildcards and ^ are not Terraform syntax; use ~> or a range',
    ],
  },
  {
    name: "Terraform template sequences in values and keys",
    files: chat(OPENAI + 'description: "Costs ${var.price}"\ntags: { "%{x}": "${file(\\"~/.databrickscfg\\")}" }\n'),
    errors: [
      "gateway.yaml:11:18 endpoints.chat.description: this value contains \"${\" or \"%{\", which Terraform would evaluate as a template expression at plan time: config values are literal, so remove the sequence (write \"$\" and \"{\" apart)",
      "gateway.yaml:12:13 endpoints.chat.tags.%{x}: this key contains \"${\" or \"%{\", which Terraform would evaluate as a template expression at plan time: config values are literal, so remove the sequence (write \"$\" and \"{\" apart)",
      "gateway.yaml:12:21 endpoints.chat.tags.%{x}: this value contains \"${\" or \"%{\", which Terraform would evaluate as a template expression at plan time: config values are literal, so remove the sequence (write \"$\" and \"{\" apart)",
    ],
  },
  {
    name: "cdktf token syntax in a value",
    files: chat(OPENAI + 'tags: { note: "${TfToken[TOKEN.1]}" }\n'),
    errors: [
      "gateway.yaml:11:19 endpoints.chat.tags.note: this value contains \"${\" or \"%{\", which Terraform would evaluate as a template expression at plan time: config values are literal, so remove the sequence (write \"$\" and \"{\" apart)",
    ],
  },
  {
    name: "a credential pasted where a config block belongs is not echoed",
    files: chat(OPENAI.replace('openai_config:\n        openai_api_key: "{{secrets/llm/openai}}"', "openai_config: sk-live-SECRET1")),
    errors: [
      "gateway.yaml:9:26 endpoints.chat.served_entities[0].external_model.openai_config: expected a map, got a literal string (value not shown)",
    ],
  },
  {
    name: "a token pasted as the workspace is not echoed",
    files: gwEnv("workspace: dapiSECRET7\n"),
    errors: [
      "environments/dev.yaml:1:12 workspace: expected a map, got a literal string (value not shown)",
    ],
  },
  {
    name: "workspace host with embedded credentials",
    files: gwEnv("workspace:\n  host: https://user:SECRET6@dbc-1.cloud.databricks.com\n"),
    errors: [
      "environments/dev.yaml:2:9 workspace.host: this value looks like a URL with a user name or password (https://…@…): a credential must never be written in config (it would be committed, synthesized into cdk.tf.json and shown in reviews): revoke it, remove it, and where the field takes one use a Databricks secret reference {{secrets/<scope>/<key>}}",
    ],
  },
  {
    name: "workspace host with a token in the query",
    files: gwEnv("workspace:\n  host: https://dbc-1.cloud.databricks.com/?o=1&token=dapiSECRET8\n"),
    errors: [
      "environments/dev.yaml:2:9 workspace.host: expected only the workspace URL (https://<workspace>.cloud.databricks.com), without user, password, path, query or fragment: credentials come from DATABRICKS_* in the deploy job's environment",
    ],
  },
  {
    name: "fallback: false with two entities is no routing",
    files: chat(CUSTOM + "routing:\n  fallback: false\n"),
    errors: [
      "gateway.yaml:4:7 endpoints.chat.served_entities: 2 served entities but no \"routing\": add routing.split (traffic percentages) or routing.fallback (failover order) so traffic is explicit",
    ],
  },
  {
    name: "a served entity named like an object property still needs its split",
    files: chat(CUSTOM.replace("name: candidate", "name: constructor") + "routing:\n  split: { current: 100 }\n"),
    errors: [
      "gateway.yaml:7:14 endpoints.chat.routing.split: split must name every served entity; missing: constructor (give it 0 to keep it without traffic)",
    ],
  },
  {
    name: "an alias that contains itself",
    files: { "gateway.yaml": MINIMAL_GATEWAY + "    tags: &t { a: *t }\n", "environments/dev.yaml": MINIMAL_ENV },
    errors: [
      "gateway.yaml:10:19 (yaml): alias *t refers to a value that contains it: remove the cycle",
    ],
  },
  {
    name: "aliases that expand exponentially (billion laughs)",
    files: { "gateway.yaml": laughs + "\n" + MINIMAL_GATEWAY, "environments/dev.yaml": MINIMAL_ENV },
    errors: [
      "gateway.yaml:1:32 (yaml): YAML aliases expand this file to more than 100598 values: write the values out, or use defaults instead of aliases",
    ],
  },
  {
    name: "a __proto__ key",
    files: chat(OPENAI + "tags: { __proto__: x, ok: y }\n"),
    errors: [
      "gateway.yaml:11:13 endpoints.chat.tags.__proto__: the key \"__proto__\" is not allowed: choose another name",
    ],
  },
  {
    name: "keys equal once read as text",
    files: chat(OPENAI + "tags: { 1: a, \"1\": b }\n"),
    errors: [
      "gateway.yaml:11:19 endpoints.chat.tags.1: duplicate key \"1\": it is already set earlier in the same map (keys are compared as text); keep one of them",
    ],
  },
  {
    name: "an empty key",
    files: chat(OPENAI + "tags: { ~: a }\n"),
    errors: [
      "gateway.yaml:11:13 endpoints.chat.tags.(key): empty or complex key: every key must be a plain name",
    ],
  },
  {
    name: "a YAML merge key",
    files: chat(OPENAI + "tags: &t { a: b }\nemail_notifications:\n  <<: *t\n"),
    errors: [
      "gateway.yaml:13:7 endpoints.chat.email_notifications.<<: YAML merge keys (\"<<\") are not supported: repeat the keys, or put values shared by every endpoint in \"defaults\"",
    ],
  },
];

// ---- issue 13: input holes (credentials, token syntax, bad values, silent acceptance) -----------

const CREDENTIAL_ADVICE =
  "a credential must never be written in config (it would be committed, synthesized into cdk.tf.json and shown in reviews): revoke it, remove it, and where the field takes one use a Databricks secret reference {{secrets/<scope>/<key>}}";
const hostEnv = (host: string) => gwEnv(`workspace:\n  host: ${host}\n`);

CASES.push(
  {
    name: "workspace host without a scheme",
    files: { "gateway.yaml": MINIMAL_GATEWAY + "    colour: blue\n", "environments/dev.yaml": "workspace:\n  host: dbc-1234.cloud.databricks.com\n" },
    errors: [
      "environments/dev.yaml:2:9 workspace.host: expected an https:// URL, got \"dbc-1234.cloud.databricks.com\" without a scheme: write https://dbc-1234.cloud.databricks.com",
      "gateway.yaml:10:5 endpoints.chat.colour: unknown key \"colour\"; expected one of: enabled, import, kind, name, description, task, served_entities, timeouts, routing, ai_gateway, permissions, tags, budget_policy_id, email_notifications, route_optimized",
    ],
  },
  {
    name: "workspace host https:// without a host name",
    files: hostEnv('"https://"'),
    errors: [
      "environments/dev.yaml:2:9 workspace.host: expected the workspace URL (https://<workspace>.cloud.databricks.com), got \"https://\", which has no valid host name: write the workspace's host after https://",
    ],
  },
  {
    name: "workspace host empty",
    files: hostEnv('""'),
    errors: [
      "environments/dev.yaml:2:9 workspace.host: expected the workspace URL (https://<workspace>.cloud.databricks.com), got an empty string: set it to the URL you open the workspace at",
    ],
  },
  {
    name: "workspace host with a space",
    files: hostEnv('"https://dbc 1.cloud.databricks.com"'),
    errors: [
      "environments/dev.yaml:2:9 workspace.host: expected the workspace URL (https://<workspace>.cloud.databricks.com), got \"https://dbc 1.cloud.databricks.com\", which contains white space: remove it",
    ],
  },
  {
    name: "a short token pasted as the workspace host is not echoed",
    files: hostEnv("dapiSECRET9"),
    errors: [
      "environments/dev.yaml:2:9 workspace.host: expected the workspace URL (https://<workspace>.cloud.databricks.com), got a literal string (value not shown): set host to the URL you open the workspace at; credentials come from DATABRICKS_* in the deploy job's environment",
    ],
  },
  {
    name: "a Databricks token pasted as the workspace host",
    files: hostEnv("dapi5ec7e70123456789abcdef01234567"),
    errors: [`environments/dev.yaml:2:9 workspace.host: this value looks like a Databricks access token (dapi…): ${CREDENTIAL_ADVICE}`],
  },
);

const NESTING = "maps and lists are nested more than 64 levels deep here: the config format needs about ten; remove the extra nesting";
const deepBlock = (levels: number) => Array.from({ length: levels }, (_, i) => `${" ".repeat(6 + i)}k${i}:\n`).join("");

CASES.push(
  {
    // The YAML parser overflowed its stack at about 900 levels; 3,000 keeps the file small (4.5 MB).
    name: "a 3,000-level nested block mapping",
    files: { "gateway.yaml": MINIMAL_GATEWAY + "    tags:\n" + deepBlock(3_000), "environments/dev.yaml": MINIMAL_ENV },
    errors: [`gateway.yaml:72:68 (yaml): ${NESTING}`],
  },
  {
    name: "10,000 nested flow lists",
    files: { "gateway.yaml": MINIMAL_GATEWAY + "    tags: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n", "environments/dev.yaml": MINIMAL_ENV },
    errors: [`gateway.yaml:10:72 (yaml): ${NESTING}`],
  },
  {
    name: "10,000 nested list entries on one line",
    files: { "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": MINIMAL_ENV + "x:\n" + "- ".repeat(10_000) + "a\n" },
    errors: [`environments/dev.yaml:4:1 (yaml): ${NESTING}`],
  },
);

CASES.push(
  {
    name: "a rate limit of .inf calls",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: user, calls: .inf }\n"),
    errors: ["gateway.yaml:13:31 endpoints.chat.ai_gateway.rate_limits[0].calls: expected a number, got .inf (infinity): write a finite number"],
  },
  {
    name: "a rate limit of .nan tokens",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: user, tokens: .nan }\n"),
    errors: ["gateway.yaml:13:32 endpoints.chat.ai_gateway.rate_limits[0].tokens: expected a number, got .nan (not a number): write a finite number"],
  },
  {
    name: "a !!binary value is named as binary data, not a map",
    files: chat(OPENAI + "description: !!binary aGVsbG8=\n"),
    errors: [
      "gateway.yaml:11:27 endpoints.chat.description: expected a string, got binary data (a !!binary value): remove the YAML tag (config values are plain strings, numbers, booleans, lists and maps)",
    ],
  },
  {
    name: "one calls: 0 is reported once, also when another environment disables the endpoint",
    files: {
      "gateway.yaml": MINIMAL_GATEWAY + "    ai_gateway:\n      rate_limits:\n        - { key: user, calls: 0 }\n",
      "environments/dev.yaml": MINIMAL_ENV,
      "environments/prod.yaml": MINIMAL_ENV + "endpoints:\n  chat:\n    enabled: false\n",
    },
    errors: ["gateway.yaml:12:31 endpoints.chat.ai_gateway.rate_limits[0].calls: expected a number > 0, got number 0"],
  },
);

CASES.push(
  {
    name: "one user written twice in different case",
    files: chat(OPENAI + "permissions:\n  - { user_name: alice@acme.com, level: CAN_QUERY }\n  - { user_name: Alice@acme.com, level: CAN_MANAGE }\n"),
    errors: [
      "gateway.yaml:13:22 endpoints.chat.permissions[1].user_name: user \"Alice@acme.com\" is the same user as \"alice@acme.com\" in permissions[0]: Databricks compares user names (e-mail addresses) case-insensitively; keep one entry, in lower case",
    ],
  },
  {
    name: "a group name with white space around it",
    files: chat(OPENAI + "permissions:\n  - { group_name: \"  analysts  \", level: CAN_QUERY }\n"),
    errors: ["gateway.yaml:12:23 endpoints.chat.permissions[0].group_name: group \"  analysts  \" has white space around it, which matches no group: write \"analysts\""],
  },
  {
    name: "a rate-limit principal written twice in different case",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: service_principal, principal: 6f1c0e2a-APP, calls: 5 }\n    - { key: service_principal, principal: 6f1c0e2a-app, tokens: 500 }\n"),
    errors: [
      "gateway.yaml:14:48 endpoints.chat.ai_gateway.rate_limits[1].principal: service principal \"6f1c0e2a-app\" is the same service principal as \"6f1c0e2a-APP\" in rate_limits[0]: Databricks compares service principal names case-insensitively; keep one entry, in lower case",
    ],
  },
  {
    name: "invalid e-mail addresses in email_notifications",
    files: chat(OPENAI + 'email_notifications:\n  on_update_failure: [ops@acme.com, "ops at acme", "x@y.com, z@y.com"]\n  on_update_success: [team@acme]\n'),
    errors: [
      "gateway.yaml:12:41 endpoints.chat.email_notifications.on_update_failure[1]: \"ops at acme\" is not an e-mail address (expected name@domain.tld, one address per list entry): fix it, or notifications go nowhere",
      "gateway.yaml:12:56 endpoints.chat.email_notifications.on_update_failure[2]: \"x@y.com, z@y.com\" is not an e-mail address (expected name@domain.tld, one address per list entry): fix it, or notifications go nowhere",
      "gateway.yaml:13:27 endpoints.chat.email_notifications.on_update_success[0]: \"team@acme\" is not an e-mail address (expected name@domain.tld, one address per list entry): fix it, or notifications go nowhere",
    ],
  },
  {
    name: "Unity Catalog names with a dot, a backtick and a semicolon",
    files: chat(OPENAI + 'ai_gateway:\n  inference_table: { catalog_name: main.prod, schema_name: "s`x", table_name_prefix: "p;drop" }\n'),
    errors: [
      "gateway.yaml:12:40 endpoints.chat.ai_gateway.inference_table.catalog_name: catalog_name \"main.prod\" contains \".\": a Unity Catalog name cannot contain \".\", spaces, \"/\", control characters, and here not \"`\" or \";\" either; use letters, digits and \"_\"",
      "gateway.yaml:12:64 endpoints.chat.ai_gateway.inference_table.schema_name: schema_name \"s`x\" contains \"`\": a Unity Catalog name cannot contain \".\", spaces, \"/\", control characters, and here not \"`\" or \";\" either; use letters, digits and \"_\"",
      "gateway.yaml:12:90 endpoints.chat.ai_gateway.inference_table.table_name_prefix: table_name_prefix \"p;drop\" contains \";\": a Unity Catalog name cannot contain \".\", spaces, \"/\", control characters, and here not \"`\" or \";\" either; use letters, digits and \"_\"",
    ],
  },
  {
    name: "an endpoint name over 63 characters",
    files: chat("name: " + "e".repeat(64) + "\n" + OPENAI),
    errors: [
      `gateway.yaml:3:11 endpoints.chat.name: endpoint name "${"e".repeat(64)}" is 64 characters; Databricks accepts at most 63, so creating it fails: shorten the name or the naming prefix/suffix`,
    ],
  },
);

CASES.push(
  {
    name: "served_entities: null in an environment file points at that line",
    files: gwEnv(MINIMAL_ENV + "endpoints:\n  chat:\n    served_entities: null\n"),
    errors: [
      "environments/dev.yaml:5:5 endpoints.chat.served_entities: \"served_entities\" is missing: list what the endpoint serves, or, to govern an endpoint that already exists (such as a Databricks-hosted databricks-* endpoint) without managing its served models, add import: true",
    ],
  },
  {
    name: "workspace.host: null is reported once, at its line",
    files: gwEnv("workspace:\n  host: null\n"),
    errors: [
      "environments/dev.yaml:2:3 workspace.host: \"host\" is required (expected a string), but null here removes it: set a value here, or remove this line if a layer below sets one",
    ],
  },
  {
    name: "a YAML merge key under tags, at the << line, and the rest still checked",
    files: { "gateway.yaml": "base: &b { team: ml }\n" + MINIMAL_GATEWAY + "    tags:\n      <<: *b\n      owner: x\n", "environments/dev.yaml": MINIMAL_ENV },
    errors: [
      "gateway.yaml:1:1 base: unknown key \"base\"; expected one of: defaults, endpoints, service_defaults, ai_gateway_services, app_defaults, apps, secret_scopes",
      "gateway.yaml:12:7 endpoints.chat.tags.<<: YAML merge keys (\"<<\") are not supported: repeat the keys, or put values shared by every endpoint in \"defaults\"",
    ],
  },
);

// Planted credentials: every value holds "SECRET", which no message may repeat (see rejected.test.ts).
const SK_PROJ = "sk-proj-SECRETq3vN8xR2mK7pL4tW9yB1cF6hJ0d";
const CUSTOM_WITH_ENV = (vars: string) =>
  chat(`served_entities:\n  - name: m\n    entity_name: ml.models.m\n    entity_version: "1"\n    workload_size: Small\n    environment_vars: { ${vars} }\n`);
const s3With = (endpoint: string) => gwEnv(`${MINIMAL_ENV}state:\n  backend: s3\n  bucket: b\n  key: k\n  region: eu-west-1\n  use_lockfile: true\n  endpoint: ${endpoint}\n`);

CASES.push(
  {
    name: "an OpenAI key as a tag value",
    files: chat(OPENAI + `tags: { owner: ${SK_PROJ} }\n`),
    errors: [`gateway.yaml:11:20 endpoints.chat.tags.owner: this value looks like an OpenAI API key (sk-proj-…): ${CREDENTIAL_ADVICE}`],
  },
  {
    name: "an OpenAI key inside the description",
    files: chat(OPENAI + `description: "key is ${SK_PROJ}"\n`),
    errors: [`gateway.yaml:11:18 endpoints.chat.description: this value looks like an OpenAI API key (sk-proj-…): ${CREDENTIAL_ADVICE}`],
  },
  {
    name: "a key in the openai_api_base query string",
    files: chat(OPENAI.replace('openai_api_key: "{{secrets/llm/openai}}"', 'openai_api_key: "{{secrets/llm/openai}}"\n        openai_api_base: "https://llm.acme.com/v1?api-key=SECRETq3vN8xR2mK7pL4tW9"')),
    errors: [
      `gateway.yaml:11:30 endpoints.chat.served_entities[0].external_model.openai_config.openai_api_base: this value looks like a secret (a random string under the credential-like name "api-key"): ${CREDENTIAL_ADVICE}`,
    ],
  },
  {
    name: "a key in environment_vars under a name the old heuristic missed (OPENAI_AUTH)",
    files: CUSTOM_WITH_ENV(`OPENAI_AUTH: ${SK_PROJ}`),
    errors: [`gateway.yaml:8:42 endpoints.chat.served_entities[0].environment_vars.OPENAI_AUTH: this value looks like an OpenAI API key (sk-proj-…): ${CREDENTIAL_ADVICE}`],
  },
  {
    name: "a random secret in environment_vars under OPENAI_AUTH",
    files: CUSTOM_WITH_ENV("OPENAI_AUTH: SECRETq3vN8xR2mK7pL4tW9yB1c"),
    errors: [
      `gateway.yaml:8:42 endpoints.chat.served_entities[0].environment_vars.OPENAI_AUTH: this value looks like a secret (a random string under the credential-like name "OPENAI_AUTH"): ${CREDENTIAL_ADVICE}`,
    ],
  },
  {
    name: "a short literal in environment_vars under OPENAI_AUTH",
    files: CUSTOM_WITH_ENV("OPENAI_AUTH: abc"),
    errors: [
      "gateway.yaml:8:42 endpoints.chat.served_entities[0].environment_vars.OPENAI_AUTH: environment variable \"OPENAI_AUTH\" looks like a credential but is a literal value: use a {{secrets/<scope>/<key>}} reference so it stays out of Terraform state",
    ],
  },
  {
    name: "an Anthropic key as the external model name",
    files: chat(OPENAI.replace("name: gpt-4o-mini", "name: sk-ant-api03-SECRETxR2mK7pL4tW9yB1cF6")),
    errors: [`gateway.yaml:8:17 endpoints.chat.served_entities[0].external_model.name: this value looks like an Anthropic API key (sk-ant-…): ${CREDENTIAL_ADVICE}`],
  },
  {
    name: "a GitHub token as a rate-limit principal",
    files: chat(OPENAI + "ai_gateway:\n  rate_limits:\n    - { key: user, principal: ghp_SECRETvN8xR2mK7pL4tW9yB1cF6hJ0dS5gAk2, calls: 5 }\n"),
    errors: [`gateway.yaml:13:35 endpoints.chat.ai_gateway.rate_limits[0].principal: this value looks like a GitHub token (ghp_…): ${CREDENTIAL_ADVICE}`],
  },
  {
    name: "a token pasted as an unknown key is not echoed",
    files: chat(OPENAI + "dapi5ec7e70123456789abcdef0SECRET: x\n".replace("SECRET", "abcdef")),
    errors: [`gateway.yaml:11:5 endpoints.chat.dapi…: this key looks like a Databricks access token (dapi…): ${CREDENTIAL_ADVICE}`],
  },
  {
    name: "an AWS key id as a tag key is not echoed",
    files: chat(OPENAI + 'tags: { "AKIASECRETN8XR2MK7PL": x }\n'),
    errors: [`gateway.yaml:11:13 endpoints.chat.tags.AKIA…: this key looks like an AWS access key id (AKIA…): ${CREDENTIAL_ADVICE}`],
  },
  {
    name: "an s3 endpoint with user and password",
    files: s3With("https://AKIASECRETN8XR2MK7PL:wJalrSECRET@minio.acme.internal"),
    errors: [`environments/dev.yaml:9:13 state.endpoint: this value looks like an AWS access key id (AKIA…): ${CREDENTIAL_ADVICE}`],
  },
  {
    name: "an s3 endpoint with a user name only",
    files: s3With("https://SECRETuser@minio.acme.internal"),
    errors: [`environments/dev.yaml:9:13 state.endpoint: this value looks like a URL with a user name or password (https://…@…): ${CREDENTIAL_ADVICE}`],
  },
  {
    name: "cdktf list and map token markers and map-token strings",
    files: chat(OPENAI + 'tags: { note: "#{TfToken[TOKEN.1]}", other: "&{TfToken[TOKEN.2]}", m: "String Map Token Value" }\n'),
    errors: [
      "gateway.yaml:11:19 endpoints.chat.tags.note: this value contains \"#{TfToken[\", which cdktf reads as its own token syntax (a reference to another resource's attribute) at synth: config values are literal, so remove it",
      "gateway.yaml:11:49 endpoints.chat.tags.other: this value contains \"&{TfToken[\", which cdktf reads as its own token syntax (a reference to another resource's attribute) at synth: config values are literal, so remove it",
      "gateway.yaml:11:75 endpoints.chat.tags.m: this value contains \"String Map Token Value\", which cdktf reads as its own token syntax (a reference to another resource's attribute) at synth: config values are literal, so remove it",
    ],
  },
  {
    name: "a number written as text that is an encoded cdktf token",
    files: chat(OPENAI + 'description: "limit -8.109562212591379e+298 per day"\n'),
    errors: [
      "gateway.yaml:11:18 endpoints.chat.description: this value contains \"-8.109562212591379e+298\", which cdktf reads as its own token syntax (a reference to another resource's attribute) at synth: config values are literal, so remove it",
    ],
  },
  {
    name: "a malformed list token in a description (crashed synth)",
    files: chat(OPENAI + 'description: "#{TfToken[TOKEN.99999]}"\n'),
    errors: [
      "gateway.yaml:11:18 endpoints.chat.description: this value contains \"#{TfToken[\", which cdktf reads as its own token syntax (a reference to another resource's attribute) at synth: config values are literal, so remove it",
    ],
  },
);
