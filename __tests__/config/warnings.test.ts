import { loadTree } from "../helpers";
import { ANTHROPIC_ENTITY, chat, CUSTOM, OPENAI } from "./rejected-cases";

function warnings(files: Record<string, string>): string[] {
  const result = loadTree(files);
  expect(result.lines.filter((l) => !l.includes(": warning: "))).toEqual([]);
  expect(result.environments).toHaveLength(1);
  return result.lines.filter((l) => l.includes(": warning: "));
}

const entity = (n: number) => ANTHROPIC_ENTITY.replace("name: anthropic", `name: a${n}`);

describe("warnings: printed, but the config still synthesizes", () => {
  test.each([
    [
      "more than 2 fallbacks",
      chat(OPENAI + entity(1) + entity(2) + entity(3) + "routing:\n  fallback: [openai, a1, a2, a3]\n"),
      ["gateway.yaml:30:17 endpoints.chat.routing.fallback: warning: 3 fallbacks after the primary; Databricks documents at most 2 for serving endpoints, later ones may never be tried"],
    ],
    [
      "MASK on output PII",
      chat(OPENAI + "ai_gateway:\n  guardrails:\n    output: { pii: MASK }\n"),
      ["gateway.yaml:13:24 endpoints.chat.ai_gateway.guardrails.output.pii: warning: pii: MASK on output is not confirmed for provider 1.99 (its docs name only BLOCK); check the endpoint after deploy, or use BLOCK"],
    ],
    [
      "inference table enabled: false",
      chat(OPENAI + "ai_gateway:\n  inference_table: { catalog_name: a, schema_name: b, enabled: false }\n"),
      ["gateway.yaml:12:68 endpoints.chat.ai_gateway.inference_table.enabled: warning: provider 1.99 drops false booleans (issue #5504): \"enabled: false\" does not disable an existing inference table; disable it in the Databricks UI or API, then remove the block"],
    ],
    [
      "usage tracking false",
      chat(OPENAI + "ai_gateway:\n  usage_tracking: false\n"),
      ["gateway.yaml:12:23 endpoints.chat.ai_gateway.usage_tracking: warning: provider 1.99 drops false booleans: \"usage_tracking: false\" may not switch off usage tracking on an existing endpoint; check it after deploy"],
    ],
    [
      "guardrails on custom models",
      chat(CUSTOM + "routing:\n  split: { current: 90, candidate: 10 }\nai_gateway:\n  guardrails:\n    input: { safety: true }\n"),
      ["gateway.yaml:10:9 endpoints.chat.ai_gateway.guardrails: warning: guardrails apply to LLM endpoints (external and foundation models); this endpoint serves custom models: set \"guardrails: null\" for it"],
    ],
  ])("%s", (_name, files, expected) => {
    expect(warnings(files)).toEqual(expected);
  });

  test("more than 20 rate limits, more than 5 group limits", () => {
    const groups = Array.from({ length: 21 }, (_, i) => `    - { key: user_group, principal: g${i}, calls: 10 }`).join("\n");
    expect(warnings(chat(OPENAI + `ai_gateway:\n  rate_limits:\n${groups}\n`))).toEqual([
      "gateway.yaml:13:9 endpoints.chat.ai_gateway.rate_limits: warning: 21 rate limits; Databricks documents at most 20 per endpoint",
      "gateway.yaml:13:9 endpoints.chat.ai_gateway.rate_limits: warning: 21 user_group rate limits; Databricks documents at most 5 per endpoint",
    ]);
  });
});

test("a provider constraint that excludes the bindings' 1.99.0 is a warning on the environment file's line", () => {
  const { MINIMAL_ENV, MINIMAL_GATEWAY } = jest.requireActual("../helpers");
  expect(warnings({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": `${MINIMAL_ENV}provider: { version: "~> 1.100" }\n` })).toEqual([
    expect.stringMatching(/^environments\/dev\.yaml:3:22 provider\.version: warning: "~> 1\.100" excludes 1\.99\.0, the databricks provider version the bindings/),
  ]);
});

test("create-only fields on an imported endpoint are warnings: the provider will never apply them", () => {
  const { MINIMAL_ENV, MINIMAL_GATEWAY } = jest.requireActual("../helpers");
  expect(
    warnings({
      "gateway.yaml": `${MINIMAL_GATEWAY}    description: Chat\n    email_notifications: { on_update_failure: [a@acme.com] }\n`,
      "environments/dev.yaml": `${MINIMAL_ENV}endpoints:\n  chat: { import: true }\n`,
    }),
  ).toEqual([
    'gateway.yaml:10:5 endpoints.chat.description: warning: "description" is applied by provider 1.99 only when it creates an endpoint, and this one is imported (import: true): set the same value in the workspace (Serving UI or REST API), or it stays a permanent diff',
    'gateway.yaml:11:5 endpoints.chat.email_notifications: warning: "email_notifications" is applied by provider 1.99 only when it creates an endpoint, and this one is imported (import: true): set the same value in the workspace (Serving UI or REST API), or it stays a permanent diff',
  ]);
});

test("an empty permissions list is a warning: it emits no ACL rather than revoking access", () => {
  const { MINIMAL_ENV, MINIMAL_GATEWAY } = jest.requireActual("../helpers");
  expect(warnings({ "gateway.yaml": `${MINIMAL_GATEWAY}    permissions: []\n`, "environments/dev.yaml": MINIMAL_ENV })).toEqual([
    "gateway.yaml:10:18 endpoints.chat.permissions: warning: an empty permissions list emits no ACL, so the endpoint's grants stay as they are in the workspace (it does not revoke them): list the identities that keep access, or remove the key",
  ]);
});

test("an s3 state backend without a lock is a warning", () => {
  const { MINIMAL_ENV, MINIMAL_GATEWAY } = jest.requireActual("../helpers");
  expect(warnings({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": `${MINIMAL_ENV}state: { backend: s3, bucket: b, key: k, region: r }\n` })).toEqual([
    'environments/dev.yaml:3:8 state: warning: an s3 state backend without a lock lets two deploys of "dev" write its state at once: add use_lockfile: true (Terraform >= 1.10), or a dynamodb_table; the deploy workflow refuses to run without one',
  ]);
});
