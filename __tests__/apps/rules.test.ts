/** Validation of apps, secret scopes and inference-table schemas: each rule's findings, located. */
import * as fs from "fs";
import * as path from "path";
import { loadTree, REPO_ROOT } from "../helpers";

const FIXTURE = path.join(REPO_ROOT, "__tests__", "fixtures", "apps");

/** The fixture's files, with replacements applied (each must match exactly once). */
function fixture(edits: Record<string, Array<[string, string]>> = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (const rel of ["gateway.yaml", "environments/dev.yaml", "environments/prod.yaml"]) {
    let text = fs.readFileSync(path.join(FIXTURE, rel), "utf8");
    for (const [from, to] of edits[rel] ?? []) {
      expect(text.split(from)).toHaveLength(2);
      text = text.replace(from, to);
    }
    files[rel] = text;
  }
  return files;
}

function problems(files: Record<string, string>): { errors: string[]; warnings: string[] } {
  const lines = loadTree(files).lines;
  return { errors: lines.filter((l) => !l.includes(": warning: ")), warnings: lines.filter((l) => l.includes(": warning: ")) };
}

test("the fixture is valid: two environments, no problems", () => {
  const result = loadTree(fixture());
  expect(result.lines).toEqual([]);
  expect(result.environments.map((e) => e.config.name)).toEqual(["dev", "prod"]);
});

test("apps merge in four layers: app_defaults, the app, each from gateway.yaml then the environment file", () => {
  const result = loadTree(
    fixture({
      "environments/prod.yaml": [["apps:\n", "app_defaults:\n  permission: CAN_MANAGE\napps:\n"]],
      "environments/dev.yaml": [["    enabled: false\n", "    enabled: false\n  assistant:\n    description: Dev assistant\n"]],
    }),
  );
  expect(result.lines).toEqual([]);
  const [dev, prod] = result.environments.map((e) => e.config);
  expect(Object.keys(dev.apps!)).toEqual(["assistant"]);
  expect(dev.apps!.assistant).toEqual({
    permission: "CAN_QUERY",
    description: "Dev assistant",
    bindings: [{ endpoint: "chat" }, { endpoint: "embeddings", alias: "embed" }],
  });
  expect(prod.apps!.assistant.permission).toBe("CAN_MANAGE");
  expect(prod.apps!.assistant.bindings.map((b) => b.alias)).toEqual(["chat", "embed", "rank"]);
  expect(prod.apps!["search-ui"].permission).toBe("CAN_MANAGE");
});

describe("rejected: exact message and location", () => {
  test.each<[string, Record<string, Array<[string, string]>>, string[]]>([
    [
      "an app bound to an endpoint disabled in the environment",
      { "environments/dev.yaml": [["apps:\n", "endpoints:\n  embeddings:\n    enabled: false\napps:\n"]] },
      [
        'gateway.yaml:45:21 apps.assistant.bindings[1].endpoint: app "assistant" is bound to endpoint "embeddings", which is not in environment "dev" (disabled there or not defined in gateway.yaml; enabled: chat, ranker): bind an enabled endpoint, or disable the binding\'s app in this environment with apps.assistant.enabled: false (in environment dev)',
      ],
    ],
    [
      "an app bound to an endpoint gateway.yaml does not define (prod's own bindings replace the list there)",
      { "gateway.yaml": [["- { endpoint: embeddings, alias: embed }", "- { endpoint: embedings, alias: embed }"]] },
      [
        'gateway.yaml:45:21 apps.assistant.bindings[1].endpoint: app "assistant" is bound to endpoint "embedings", which is not in environment "dev" (disabled there or not defined in gateway.yaml; enabled: chat, embeddings, ranker): bind an enabled endpoint, or disable the binding\'s app in this environment with apps.assistant.enabled: false (in environment dev)',
      ],
    ],
    [
      "an alias used twice (set in the environment file)",
      { "environments/prod.yaml": [["{ endpoint: ranker, alias: rank }", "{ endpoint: ranker, alias: embed }"]] },
      ['environments/prod.yaml:9:36 apps.assistant.bindings[2].alias: alias "embed" is already used by bindings[1] of app "assistant": an alias names one endpoint; give this binding another "alias"'],
    ],
    [
      "two aliases that become one environment variable",
      { "environments/prod.yaml": [["alias: embed }", "alias: em-bed }"], ["alias: rank }", "alias: em_bed }"]] },
      [
        "environments/prod.yaml:9:36 apps.assistant.bindings[2].alias: alias \"em_bed\" and the alias of bindings[1] both become the environment variable DATABRICKS_SERVING_ENDPOINT_EM_BED: rename one",
      ],
    ],
    [
      "an alias that cannot be an app resource key",
      { "gateway.yaml": [["alias: embed }", "alias: Embed }"]] },
      [
        "gateway.yaml:45:40 apps.assistant.bindings[1].alias: alias \"Embed\" must start with a lowercase letter and contain only lowercase letters, digits, \"-\" and \"_\" (it becomes the app resource key that app.yaml's valueFrom names): set \"alias\" (in environment dev)",
      ],
    ],
    [
      "an existing app without its service principal",
      { "gateway.yaml": [["    service_principal: 7f3e0c11-0000-4000-8000-000000000003\n", ""]] },
      [
        "gateway.yaml:47:15 apps.search-ui.existing: app \"search-ui\" is existing (not created here), so its service principal is granted query access by application id: set apps.search-ui.service_principal to the app's service principal application id (databricks apps get <name> \u2192 service_principal_client_id) (in environment prod)",
      ],
    ],
    [
      "an existing app bound to an endpoint whose ACL is not managed here",
      { "gateway.yaml": [["      - { endpoint: chat, alias: chat }\n\nsecret", "      - { endpoint: ranker, alias: chat }\n\nsecret"]] },
      [
        "gateway.yaml:51:21 apps.search-ui.bindings[0].endpoint: existing app \"search-ui\" cannot be granted CAN_QUERY on endpoint \"ranker\": the endpoint does not list its permissions, and a databricks_permissions resource for the app alone would revoke everyone else's access; add a permissions list to endpoints.ranker (the app's grant is added to it) (in environment prod)",
      ],
    ],
    [
      "an existing app's service principal listed at CAN_VIEW on the endpoint",
      { "gateway.yaml": [["      - { group_name: analysts, level: CAN_QUERY }\n", "      - { group_name: analysts, level: CAN_QUERY }\n      - { service_principal_name: 7f3e0c11-0000-4000-8000-000000000003, level: CAN_VIEW }\n"]] },
      [
        "gateway.yaml:24:80 endpoints.chat.permissions[1].level: the service principal of app \"search-ui\" is listed here with CAN_VIEW, which cannot query the endpoint the app is bound to (one level per identity): use CAN_QUERY, or remove this entry and let the binding grant it (in environment prod)",
      ],
    ],
    [
      "service_principal on an app the stack creates",
      { "gateway.yaml": [["    description: Support assistant\n", "    description: Support assistant\n    service_principal: 7f3e0c11-0000-4000-8000-000000000009\n"]] },
      [
        "gateway.yaml:43:24 apps.assistant.service_principal: service_principal is only for existing apps: an app this stack creates gets its own service principal; remove service_principal, or set existing: true",
      ],
    ],
    [
      "an app name with upper case",
      { "gateway.yaml": [["    name: search-ui\n", "    name: Search_UI\n"]] },
      [
        "gateway.yaml:48:11 apps.search-ui.name: app name \"Search_UI\" may contain only lowercase letters, digits and \"-\" (Databricks Apps naming): set apps.search-ui.name (in environment prod)",
      ],
    ],
    [
      "a naming prefix that makes app names invalid",
      { "environments/dev.yaml": [["  prefix: dev-", "  prefix: Dev_"]] },
      [
        "gateway.yaml:41:3 apps.assistant: app name \"Dev_assistant\" (after naming prefix/suffix) may contain only lowercase letters, digits and \"-\" (Databricks Apps naming): set apps.assistant.name or fix naming.prefix / naming.suffix (in environment dev)",
      ],
    ],
    [
      "two apps with one name",
      { "gateway.yaml": [["    name: search-ui\n", "    name: assistant\n"]], "environments/dev.yaml": [["    enabled: false\n", "    enabled: true\n"]] },
      [
        "gateway.yaml:48:11 apps.search-ui.name: app name \"assistant\" is already used by app \"assistant\" in environment \"prod\": app names are unique per workspace; give one a different \"name\" (in environment prod)",
      ],
    ],
    [
      "an app defined only in an environment file",
      { "environments/dev.yaml": [["apps:\n", "apps:\n  other:\n    bindings: [{ endpoint: chat }]\n"]] },
      [
        "environments/dev.yaml:6:3 apps.other: app \"other\" is not defined in gateway.yaml: an environment can only override apps that gateway.yaml defines (defined: assistant, search-ui)",
      ],
    ],
    [
      "a secret reference to an undeclared scope",
      { "gateway.yaml": [['"{{secrets/vendor/openai_key}}"', '"{{secrets/vendr/openai_key}}"']] },
      [
        "gateway.yaml:32:44 endpoints.embeddings.served_entities[0].external_model.openai_config.openai_api_key: secret scope \"vendr\" is not declared in secret_scopes of environment \"dev\" (declared: llm, vendor): declare it (secret_scopes.vendr: { acls: [...] }) or, if it is managed elsewhere, as secret_scopes.vendr: { external: true } (in environment dev)",
        "gateway.yaml:32:44 endpoints.embeddings.served_entities[0].external_model.openai_config.openai_api_key: secret scope \"vendr\" is not declared in secret_scopes of environment \"prod\" (declared: llm, vendor): declare it (secret_scopes.vendr: { acls: [...] }) or, if it is managed elsewhere, as secret_scopes.vendr: { external: true } (in environment prod)",
      ],
    ],
    [
      "a principal twice in a scope's ACLs",
      { "gateway.yaml": [["      - { principal: analysts@acme.com, permission: READ }\n", "      - { principal: analysts@acme.com, permission: READ }\n      - { principal: ml-platform, permission: READ }\n"]] },
      [
        "gateway.yaml:58:22 secret_scopes.llm.acls[2].principal: principal \"ml-platform\" already has a permission in acls[0] of secret scope \"llm\": one permission per principal; keep the one you mean",
      ],
    ],
    [
      "ACLs on an external scope",
      { "gateway.yaml": [["    external: true\n", "    external: true\n    acls: [{ principal: x, permission: READ }]\n"]] },
      [
        "gateway.yaml:60:11 secret_scopes.vendor.acls: secret scope \"vendor\" is external (managed elsewhere), so its ACLs are not managed here: remove acls, or remove external: true to create the scope in this stack",
      ],
    ],
    [
      "schema_grants without create_schema",
      { "gateway.yaml": [["        create_schema: true\n", ""]] },
      [
        "gateway.yaml:20:24 endpoints.chat.ai_gateway.inference_table.schema_grants: schema_grants are written only for a schema this stack creates: set create_schema: true, or grant on the existing schema where it is managed",
      ],
    ],
    [
      "create_schema without schema_name",
      { "gateway.yaml": [["        schema_name: gateway_logs\n", ""]] },
      [
        "gateway.yaml:17:9 endpoints.chat.ai_gateway.inference_table: \"schema_name\" is required when the inference table is enabled (the table is <catalog_name>.<schema_name>.<table_name_prefix>_payload); or set inference_table: false",
        "gateway.yaml:19:24 endpoints.chat.ai_gateway.inference_table.create_schema: create_schema needs catalog_name and schema_name: set both (the schema is created as <catalog_name>.<schema_name>)",
      ],
    ],
  ])("%s", (_name, edits, expected) => {
    expect(problems(fixture(edits)).errors).toEqual(expected);
  });
});

describe("warnings", () => {
  test("a binding that cannot query (CAN_VIEW) is a warning at the level that set it", () => {
    const found = problems(fixture({ "gateway.yaml": [["app_defaults:\n  permission: CAN_QUERY", "app_defaults:\n  permission: CAN_VIEW"]] }));
    expect(found.errors).toEqual([]);
    expect(found.warnings).toEqual([
      'gateway.yaml:4:15 app_defaults.permission: warning: app "assistant" gets CAN_VIEW on endpoint "chat", which cannot query it (calls fail with 403): use CAN_QUERY',
      'gateway.yaml:4:15 app_defaults.permission: warning: app "assistant" gets CAN_VIEW on endpoint "embeddings", which cannot query it (calls fail with 403): use CAN_QUERY',
      'gateway.yaml:4:15 app_defaults.permission: warning: app "assistant" gets CAN_VIEW on endpoint "ranker", which cannot query it (calls fail with 403): use CAN_QUERY (in environment prod)',
      'gateway.yaml:4:15 app_defaults.permission: warning: app "search-ui" gets CAN_VIEW on endpoint "chat", which cannot query it (calls fail with 403): use CAN_QUERY (in environment prod)',
    ]);
  });

  test("an app name longer than 30 characters", () => {
    const found = problems(fixture({ "gateway.yaml": [["    name: search-ui\n", "    name: search-ui-for-the-support-team-eu\n"]] }));
    expect(found.errors).toEqual([]);
    expect(found.warnings).toEqual([
      'gateway.yaml:48:11 apps.search-ui.name: warning: app name "search-ui-for-the-support-team-eu" is 33 characters; Databricks Apps takes at most 30: shorten it (in environment prod)',
    ]);
  });
});

test("without secret_scopes an environment's references are not checked (the check is opt-in)", () => {
  const files = fixture({ "gateway.yaml": [["secret_scopes:\n  llm:\n    acls:\n      - { principal: ml-platform, permission: MANAGE }\n      - { principal: analysts@acme.com, permission: READ }\n  vendor:\n    external: true\n", ""]] });
  expect(problems(files)).toEqual({ errors: [], warnings: [] });
});
