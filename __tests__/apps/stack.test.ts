/** Apps, secret scopes and inference-table schemas in the synthesized Terraform JSON. */
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../../config/load";
import { appSnippets } from "../../stacks/app-snippets";
import { runSynth } from "../../cli/synth";
import { REPO_ROOT, synthEnv, tempDir } from "../helpers";

const FIXTURE = path.join(REPO_ROOT, "__tests__", "fixtures", "apps");
const envs = Object.fromEntries(loadConfig(FIXTURE).environments.map((e) => [e.config.name, e.config]));
const dev = synthEnv(envs.dev);
const prod = synthEnv(envs.prod);

describe("databricks_app for apps the stack creates", () => {
  test("one serving_endpoint resource per binding, keyed by alias, naming the endpoint resource", () => {
    expect(dev.resource.databricks_app).toEqual({
      assistant: {
        name: "dev-assistant",
        description: "Support assistant",
        resources: [
          { name: "chat", serving_endpoint: { name: "${databricks_model_serving.chat.name}", permission: "CAN_QUERY" } },
          { name: "embed", serving_endpoint: { name: "${databricks_model_serving.embeddings.name}", permission: "CAN_QUERY" } },
        ],
      },
    });
  });

  test("an existing app is not created; protect: true keeps a created app from being destroyed", () => {
    expect(Object.keys(prod.resource.databricks_app)).toEqual(["assistant"]);
    expect(prod.resource.databricks_app.assistant.lifecycle).toEqual({ prevent_destroy: true });
    expect(prod.resource.databricks_app.assistant.resources.map((r: any) => r.name)).toEqual(["chat", "embed", "rank"]);
  });

  test("the endpoint's authoritative ACL keeps every app's grant: created apps by their service principal, existing ones by application id", () => {
    expect(prod.resource.databricks_permissions.chat.access_control).toEqual([
      { group_name: "analysts", permission_level: "CAN_QUERY" },
      { service_principal_name: "${databricks_app.assistant.service_principal_client_id}", permission_level: "CAN_QUERY" },
      { service_principal_name: "7f3e0c11-0000-4000-8000-000000000003", permission_level: "CAN_QUERY" },
    ]);
    expect(prod.resource.databricks_permissions.embeddings.access_control).toEqual([
      { group_name: "data-engineers", permission_level: "CAN_QUERY" },
      { service_principal_name: "${databricks_app.assistant.service_principal_client_id}", permission_level: "CAN_QUERY" },
    ]);
    // ranker lists no permissions: no ACL is written, the app resource grants the app alone.
    expect(prod.resource.databricks_permissions.ranker).toBeUndefined();
  });

  test("one output per app: name, endpoint per alias, url and service principal", () => {
    expect(dev.output.app_assistant.value).toEqual({
      name: "${databricks_app.assistant.name}",
      managed: true,
      endpoints: { chat: "dev-chat", embed: "dev-embeddings" },
      url: "${databricks_app.assistant.url}",
      service_principal_client_id: "${databricks_app.assistant.service_principal_client_id}",
    });
    expect(prod.output["app_search-ui"].value).toEqual({
      name: "search-ui",
      managed: false,
      endpoints: { chat: "chat" },
      service_principal_client_id: "7f3e0c11-0000-4000-8000-000000000003",
    });
    expect(dev.output["app_search-ui"]).toBeUndefined();
  });
});

describe("surroundings", () => {
  test("a declared scope is created with its ACLs; an external one is not", () => {
    expect(dev.resource.databricks_secret_scope).toEqual({ llm: { name: "llm" } });
    expect(dev.resource.databricks_secret_acl).toEqual({
      "llm_ml-platform": { scope: "${databricks_secret_scope.llm.name}", principal: "ml-platform", permission: "MANAGE" },
      "llm_analysts_acme_com": { scope: "${databricks_secret_scope.llm.name}", principal: "analysts@acme.com", permission: "READ" },
    });
  });

  test("create_schema: the schema and its grants, and the endpoint waits for the schema", () => {
    expect(dev.resource.databricks_schema).toEqual({
      ml_gateway_logs: { catalog_name: "ml", name: "gateway_logs", comment: "AI Gateway inference tables (ai-gateway-stack)" },
    });
    expect(dev.resource.databricks_grants).toEqual({
      ml_gateway_logs: { schema: "${databricks_schema.ml_gateway_logs.id}", grant: [{ principal: "ml-platform", privileges: ["SELECT", "USE_SCHEMA"] }] },
    });
    expect(dev.resource.databricks_model_serving.chat.depends_on).toEqual(["${databricks_schema.ml_gateway_logs}"]);
    // The inference table config itself is unchanged (create_schema and schema_grants are ours).
    expect(dev.resource.databricks_model_serving.chat.ai_gateway.inference_table_config).toEqual({ catalog_name: "ml", schema_name: "gateway_logs", table_name_prefix: "chat", enabled: true });
    expect(prod.resource.databricks_schema.ml_gateway_logs.lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe("snippets per environment", () => {
  test("a created app: app.yaml valueFrom the resource keys, AppKit registration, .env with the environment's names", () => {
    const [assistant] = appSnippets(envs.dev);
    expect(assistant.app).toBe("assistant");
    expect(assistant.files["app.yaml"]).toBe(
      [
        '# Generated by ai-gateway-stack (npm run synth) for app "dev-assistant" in environment "dev"; do not edit.',
        "# Merge into the app's app.yaml: each valueFrom names the app's serving-endpoint resource and resolves to the endpoint name.",
        "env:",
        "  - name: DATABRICKS_SERVING_ENDPOINT_CHAT",
        '    valueFrom: "chat"',
        "  - name: DATABRICKS_SERVING_ENDPOINT_EMBED",
        '    valueFrom: "embed"',
        "",
      ].join("\n"),
    );
    expect(assistant.files["serving.ts"]).toContain(
      ['export const servingPlugin = serving({', "  endpoints: {", '    "chat": { env: "DATABRICKS_SERVING_ENDPOINT_CHAT" },', '    "embed": { env: "DATABRICKS_SERVING_ENDPOINT_EMBED" },', "  },", "});"].join("\n"),
    );
    expect(assistant.files[".env"]).toBe(
      '# Generated by ai-gateway-stack (npm run synth) for app "dev-assistant" in environment "dev"; do not edit.\nDATABRICKS_SERVING_ENDPOINT_CHAT=dev-chat\nDATABRICKS_SERVING_ENDPOINT_EMBED=dev-embeddings\n',
    );
  });

  test("an existing app has no serving-endpoint resources from this stack: app.yaml carries the names as values", () => {
    const existing = appSnippets(envs.prod).find((s) => s.app === "search-ui")!;
    expect(existing.files["app.yaml"].split("\n").slice(2)).toEqual(["env:", "  - name: DATABRICKS_SERVING_ENDPOINT_CHAT", '    value: "chat"', ""]);
  });

  test("npm run synth writes them next to the stacks, per environment and app", () => {
    const out = path.join(tempDir("apps-synth-"), "cdktf.out");
    const stdout: string[] = [];
    const code = runSynth(["--config", FIXTURE], { CDKTF_OUTDIR: out }, { write: (s: string) => stdout.push(s) } as never, { write: () => true } as never);
    expect(code).toBe(0);
    const listing = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listing(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name])).sort();
    expect(listing(path.join(out, "apps"))).toEqual([
      "dev/assistant/.env",
      "dev/assistant/app.yaml",
      "dev/assistant/serving.ts",
      "prod/assistant/.env",
      "prod/assistant/app.yaml",
      "prod/assistant/serving.ts",
      "prod/search-ui/.env",
      "prod/search-ui/app.yaml",
      "prod/search-ui/serving.ts",
    ]);
    expect(fs.readFileSync(path.join(out, "apps", "prod", "assistant", ".env"), "utf8")).toContain("DATABRICKS_SERVING_ENDPOINT_RANK=ranker\n");
    expect(stdout.join("")).toContain(`    apps: 2 apps -> ${path.join(out, "apps", "prod")}/<app>/ (app.yaml, serving.ts, .env)\n`);
  });
});
