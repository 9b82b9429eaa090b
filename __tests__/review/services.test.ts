/**
 * The review of standalone AI Gateway services: the same sentences, classes and who-gets-what as
 * for endpoints, from synthesized stacks of the fixture config (base) and an edited copy (head).
 */
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { renderMarkdown, reviewStacks, SynthesizedStacks } from "../../review";
import { GatewayStack } from "../../stacks/gateway-stack";
import { loadTree } from "../helpers";

const FIXTURE = path.join(__dirname, "..", "fixtures", "gateway", "config");
const FILES: Record<string, string> = Object.fromEntries(
  ["gateway.yaml", "environments/dev.yaml", "environments/prod.yaml"].map((f) => [f, fs.readFileSync(path.join(FIXTURE, f), "utf8")]),
);

function stacks(files: Record<string, string>): SynthesizedStacks {
  const result = loadTree(files);
  if (result.environments.length === 0) throw new Error(result.lines.join("\n"));
  return Object.fromEntries(result.environments.map((e) => [e.config.name, JSON.parse(Testing.synth(new GatewayStack(Testing.app(), e.config)))]));
}

function edited(from: string, to: string, file = "gateway.yaml"): Record<string, string> {
  if (!FILES[file].includes(from)) throw new Error(`${file} lacks ${from}`);
  return { ...FILES, [file]: FILES[file].replace(from, to) };
}

const BASE = stacks(FILES);
const sentences = (head: SynthesizedStacks, env = "prod") =>
  reviewStacks(BASE, head)
    .changes.filter((c) => c.environment === env)
    .map((c) => `${c.sentence}${c.signOff ? " (sign-off)" : ""}`);

describe("service changes", () => {
  test("no change, no sentence", () => {
    expect(reviewStacks(BASE, stacks(FILES)).changes).toEqual([]);
  });

  test("a loosened service limit is a loosens sentence, with sign-off in a protected environment", () => {
    const head = stacks(edited("      - { key: user_group, principal: analysts, requests: 600, renewal_period: minute }", "      - { key: user_group, principal: analysts, requests: 6000, renewal_period: minute }"));
    expect(sentences(head)).toEqual(["prod/ai_gateway_services.assistant: group analysts QPM 600 → 6,000, 10× — loosens. (sign-off)"]);
    expect(sentences(head, "dev")).toEqual([]);
  });

  test("an hourly token limit removed", () => {
    const head = stacks(
      edited(
        "      - { key: service_principal, principal: 6b1c5f2e-0000-4000-8000-000000000001, tokens: 5000000, renewal_period: hour }\n",
        "",
      ),
    );
    expect(sentences(head)).toEqual(["prod/ai_gateway_services.assistant: service principal 6b1c5f2e-0000-4000-8000-000000000001 tokens/hour 5,000,000 → no limit — loosens. (sign-off)"]);
  });

  test("grants: EXECUTE for a new principal loosens, a revoked one tightens", () => {
    const head = stacks(edited("      - { principal: ml-platform, privileges: [EXECUTE, MANAGE] }", "      - { principal: ml-platform, privileges: [MANAGE] }\n      - { principal: contractors, privileges: [EXECUTE] }"));
    expect(sentences(head)).toEqual([
      "prod/ai_gateway_services.assistant: privileges of contractors none → EXECUTE — loosens. (sign-off)",
      "prod/ai_gateway_services.assistant: privileges of ml-platform EXECUTE, MANAGE → MANAGE — tightens.",
    ]);
  });

  test("a renamed service is replaced; a removed one says callers break", () => {
    const head = stacks(edited("  tools:\n    type: mcp\n", "  tools:\n    type: mcp\n    name: tools_v2\n"));
    expect(sentences(head)).toEqual([
      'prod/ai_gateway_services.tools: MCP service name "ml.ai_gateway.tools" → "ml.ai_gateway.tools_v2" — replaces the service: Terraform destroys the service and creates it again: callers of the old name get errors, its usage history starts over, and grants are applied again. (sign-off)',
    ]);
    const removed = stacks(edited("  tools:\n    type: mcp\n", "  tools:\n    enabled: false\n    type: mcp\n"));
    expect(sentences(removed)[0]).toMatch(/^prod\/ai_gateway_services.tools: MCP service "ml.ai_gateway.tools" → removed — replaces the service: Terraform destroys the service: callers of the old name get errors.*prevent_destroy does not stop this/);
  });

  test("a credential change names the credential kind and fields, never the value", () => {
    const head = stacks(edited('openai: { api_key: "{{secrets/llm/openai_key}}" }', 'openai: { api_key: "{{secrets/llm/openai_key_v2}}" }'));
    const all = sentences(head);
    expect(all).toEqual(["prod/ai_gateway_services.openai: provider credential API key (secret reference) → API key (secret reference), fields: config.openai.direct.api_key.plaintext — neutral."]);
    expect(all.join()).not.toContain("openai_key_v2");
  });

  test("routing newly to a serving endpoint says that endpoint's limits do not cover the service's traffic", () => {
    const without = stacks(edited("      - { name: gpt, provider_service: openai, model: gpt-4o-mini, traffic_percentage: 90 }\n      - { name: llama, endpoint: llama, traffic_percentage: 10 }", "      - { name: gpt, provider_service: openai, model: gpt-4o-mini, traffic_percentage: 100 }"));
    const changes = reviewStacks(without, BASE).changes.filter((c) => c.environment === "prod");
    expect(changes.map((c) => c.sentence)).toEqual([
      "prod/ai_gateway_services.assistant: routing gpt → provider service openai: gpt-4o-mini (100 %); fallback claude → provider service bedrock: anthropic.claude-sonnet-4-5, then ppt → pay-per-token system.ai.databricks-claude-sonnet-4-5 → gpt → provider service openai: gpt-4o-mini (90 %); llama → endpoint llama (10 %); fallback claude → provider service bedrock: anthropic.claude-sonnet-4-5, then ppt → pay-per-token system.ai.databricks-claude-sonnet-4-5, limits on serving endpoint llama do not cover traffic through this service: only this service's own limits apply to it — neutral.",
    ]);
  });
});

describe("policy report and who gets what for services", () => {
  const review = reviewStacks(BASE, BASE);
  const prod = review.environments.find((e) => e.name === "prod")!;

  test("one row per service, with the plain bypass sentence on a service routed to an endpoint", () => {
    expect(prod.services.map((r) => r.service)).toEqual(["assistant", "bedrock", "openai", "tools"]);
    const assistant = prod.services.find((r) => r.service === "assistant")!;
    expect(assistant).toEqual({
      service: "assistant",
      kind: "model service",
      name: "ml.ai_gateway.assistant",
      serves:
        "gpt → provider service openai: gpt-4o-mini (90 %); llama → endpoint llama (10 %); fallback claude → provider service bedrock: anthropic.claude-sonnet-4-5, then ppt → pay-per-token system.ai.databricks-claude-sonnet-4-5",
      limits: "service-wide 2,000,000 TPM; per-user 60 QPM; group analysts 600 QPM; service principal 6b1c5f2e-0000-4000-8000-000000000001 5,000,000 tokens/hour",
      inferenceTable: "ml.gateway_logs.assistant_payload",
      grants: "analysts: EXECUTE; ml-platform: EXECUTE, MANAGE",
      note: "limits on serving endpoint llama do not cover traffic through this service: only this service's own limits apply to it",
    });
    expect(prod.services.find((r) => r.service === "bedrock")!.serves).toBe("amazon_bedrock (service credential bedrock_access); models: any");
    expect(prod.services.find((r) => r.service === "tools")!.serves).toBe("connection ml.ai_gateway.github_mcp; get_*, search_code");
  });

  test("who gets what: own limit over group over per-user default, under the service-wide cap", () => {
    expect(prod.serviceAccess.filter((r) => r.service === "assistant")).toEqual([
      { service: "assistant", principal: "group analysts", access: "EXECUTE", canQuery: true, requests: "600 QPM (shared by the group)", tokens: "2,000,000 TPM (service-wide cap, shared by all callers)" },
      {
        service: "assistant",
        principal: "service principal 6b1c5f2e-0000-4000-8000-000000000001",
        access: "no direct grant (may query through a group)",
        canQuery: false,
        // Limits of different renewal periods are separate budgets: the hourly own limit does not
        // replace the per-minute default.
        requests: "60 QPM (per user)",
        tokens: "2,000,000 TPM (service-wide cap, shared by all callers); 5,000,000 tokens/hour (own limit)",
      },
      { service: "assistant", principal: "ml-platform", access: "EXECUTE, MANAGE", canQuery: true, requests: "60 QPM (per user)", tokens: "2,000,000 TPM (service-wide cap, shared by all callers)" },
      { service: "assistant", principal: "any other user", access: "no access", canQuery: false, requests: "—", tokens: "—" },
    ]);
  });

  test("the Markdown has the services section and says plainly that endpoint limits do not cover service traffic", () => {
    const md = renderMarkdown(review);
    expect(md).toContain("### AI Gateway services");
    expect(md).toContain("Limits on a serving endpoint do not cover traffic that reaches it through a service");
    expect(md).toContain("⚠️ limits on serving endpoint llama do not cover traffic through this service");
  });
});
