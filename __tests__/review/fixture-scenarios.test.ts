/**
 * The review of realistic changes to a copy of the example config (__tests__/fixtures/review/):
 * the two mislabels of issue 16 (a removed limit reported as loosening, a new endpoint as a
 * replacement), grouping, the YAML file:line of each change, and the policy table's marks.
 */
import * as fs from "fs";
import * as path from "path";
import { edit, fixtureRepo, review, reviewJson } from "./scenario";

const SP = "6b1c5f2e-0000-4000-8000-000000000001";

const PROD_CHAT = `  chat:
    ai_gateway:
      guardrails:
        output: { safety: true, pii: BLOCK }
`;

describe("review of the example config", () => {
  test("removing a service principal's own 1,000 QPM limit is a cut to the per-user 60, as Who gets what says", () => {
    const dir = fixtureRepo();
    edit(dir, "config/environments/prod.yaml", PROD_CHAT, `${PROD_CHAT}      rate_limits:
        - { key: endpoint, tokens: 2000000 }
        - { key: user, calls: 60, tokens: 100000 }
        - { key: user_group, principal: analysts, calls: 600 }
`);
    const { code, review: r } = reviewJson(path.join(dir, "config"));
    expect(r.changes.map((c) => [c.sentence, c.class, c.signOff])).toEqual([
      [`prod/chat: service principal ${SP} QPM 1,000 → 60 (per user), 17× cut: its own limit (1,000 QPM, no TPM) is removed — tightens.`, "tightens", false],
      // Its own limit had no TPM, so the endpoint's cap was all that bounded it.
      [`prod/chat: service principal ${SP} TPM 2,000,000 (endpoint cap, shared by all callers) → 100,000 (per user), 20× cut: its own limit (1,000 QPM, no TPM) is removed — tightens.`, "tightens", false],
    ]);
    const row = r.environments.find((e) => e.name === "prod")!.access.find((a) => a.endpoint === "chat" && a.principal === `service principal ${SP}`)!;
    expect([row.qpm, row.tpm, row.changed]).toEqual([{ value: 60, basis: "per user" }, { value: 100000, basis: "per user" }, true]);
    expect(code).toBe(0);
  });

  test("a limit of its own given to a service principal that was on the per-user default raises its QPM (its TPM stays under the endpoint cap)", () => {
    const dir = fixtureRepo();
    edit(dir, "config/gateway.yaml", "        - { key: endpoint, tokens: 5000000 }\n", `        - { key: endpoint, tokens: 5000000 }\n        - { key: service_principal, principal: sp-etl, calls: 600 }\n`);
    const { review: r } = reviewJson(path.join(dir, "config"));
    expect(r.changes.filter((c) => c.environment === "prod").map((c) => c.sentence)).toEqual([
      "prod/embeddings: service principal sp-etl QPM 300 (per user) → 600, 2×: its own limit (600 QPM, no TPM) is added — loosens.",
    ]);
  });

  test("a new endpoint is a creation: what it grants, no sign-off in an unprotected environment, and no replacement", () => {
    const dir = fixtureRepo();
    fs.appendFileSync(
      path.join(dir, "config/gateway.yaml"),
      `
  moderation:
    task: llm/v1/chat
    served_entities:
      - { name: openai, external_model: { provider: openai, name: gpt-4o-mini, openai_config: { openai_api_key: "{{secrets/llm/openai_key}}" } } }
    permissions:
      - { group_name: trust-and-safety, level: CAN_QUERY }
`,
    );
    fs.appendFileSync(path.join(dir, "config/environments/prod.yaml"), "  moderation: { enabled: false }\n");
    edit(dir, "config/environments/dev.yaml", "  summarizer:\n", "  moderation: { enabled: false }\n  summarizer:\n");
    const { code, review: r } = reviewJson(path.join(dir, "config"));
    expect(r.changes.map((c) => [c.sentence, c.class, c.signOff, c.source])).toEqual([
      [
        'staging/moderation: endpoint none → "moderation-staging" — creates the endpoint: who can query: group trust-and-safety CAN_QUERY at 60 QPM (per user), no TPM limit; nobody else; its name and route_optimized cannot change later without replacing it.',
        "creates",
        false,
        "config/gateway.yaml:103",
      ],
    ]);
    expect(code).toBe(0);
    const md = review(path.join(dir, "config")).stdout;
    expect(md).not.toContain("- 🔴");
    expect(md).toContain("| 🆕 `moderation` moderation-staging |");
  });

  test("identical changes are one line: input guardrail safety off on 8 endpoints in three environments, sign-off for prod", () => {
    const dir = fixtureRepo();
    edit(dir, "config/gateway.yaml", "input: { safety: true, pii: BLOCK }", "input: { safety: false, pii: BLOCK }");
    const run = review(path.join(dir, "config"));
    const lines = run.stdout.split("\n").filter((l) => l.startsWith("- "));
    expect(lines).toEqual([
      "- 🟡 8 endpoints in dev, prod, staging (`chat`, `embeddings`, `summarizer`): input guardrail safety on → off — **loosens**. **(sign-off: prod)** ← `config/gateway.yaml:10`",
    ]);
    expect(reviewJson(path.join(dir, "config")).review.changes).toHaveLength(8);
    expect(run.code).toBe(2);
  });

  test("each change points at the YAML line of the layer that set it; a removed value at its parent", () => {
    const dir = fixtureRepo();
    edit(dir, "config/gateway.yaml", 'tags: { cost_center: "4711" }', 'tags: { cost_center: "4799" }'); // endpoint layer
    edit(dir, "config/environments/prod.yaml", "    environment: prod\n", "    environment: production\n"); // environment defaults
    edit(dir, "config/environments/prod.yaml", "output: { safety: true, pii: BLOCK }", "output: { pii: MASK }"); // environment endpoint; safety removed
    const { review: r } = reviewJson(path.join(dir, "config"));
    const prodChat = r.changes.filter((c) => c.environment === "prod" && c.endpoint === "chat");
    expect(prodChat.map((c) => [c.what, c.source])).toEqual([
      ["output guardrail safety", "config/environments/prod.yaml:21"],
      ["output guardrail PII", "config/environments/prod.yaml:21"],
      ["tag cost_center", "config/gateway.yaml:49"],
      ["tag environment", "config/environments/prod.yaml:16"],
    ]);
    expect(r.changes.find((c) => c.environment === "dev" && c.what === "tag cost_center")!.source).toBe("config/gateway.yaml:49");
  });

  test("an endpoint the change removes points at its place in the base", () => {
    const dir = fixtureRepo();
    const file = path.join(dir, "config/gateway.yaml");
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.slice(0, text.indexOf("  # Embeddings")) + text.slice(text.indexOf("  # A foundation")));
    const { review: r } = reviewJson(path.join(dir, "config"));
    expect(r.changes.filter((c) => c.endpoint === "embeddings").map((c) => [c.environment, c.class, c.source])).toEqual([
      // Environments in deploy order (deploy.order 1, 2, 3), as every command lists them.
      ["dev", "replaces", "HEAD:config/gateway.yaml:53"],
      ["staging", "replaces", "HEAD:config/gateway.yaml:53"],
      ["prod", "replaces", "HEAD:config/gateway.yaml:53"],
    ]);
  });

  test("an endpoint switched off in an environment points at its enabled: false", () => {
    const dir = fixtureRepo();
    edit(dir, "config/environments/prod.yaml", "  summarizer:\n", "  embeddings: { enabled: false }\n  summarizer:\n");
    const { review: r } = reviewJson(path.join(dir, "config"));
    expect(r.changes.map((c) => [c.environment, c.endpoint, c.class, c.source])).toEqual([["prod", "embeddings", "replaces", "config/environments/prod.yaml:22"]]);
  });

  test("the policy table marks changed cells; environments without a change are one line", () => {
    const dir = fixtureRepo();
    edit(dir, "config/environments/prod.yaml", "output: { safety: true, pii: BLOCK }", "output: { safety: true, pii: MASK }");
    const md = review(path.join(dir, "config")).stdout;
    expect(md).toContain("| Environment | Endpoints | Changes | Sign-off |\n| --- | --- | --- | --- |\n| prod (protected) | 4 | 🟡 1 | 1 |\n| dev, staging | 3, 4 | no change | 0 |\n");
    expect(md).toContain("| Endpoint | Serves | Limits /min | Guardrails | Tracking | Access |\n");
    expect(md).toContain("| ✎ in: safety, PII BLOCK; out: safety, PII MASK |");
    expect(md).toContain("<details><summary>no change in dev (3 endpoints), staging (4 endpoints): policy as in the base</summary>");
    // No table is wider than six columns.
    for (const line of md.split("\n").filter((l) => l.startsWith("| ---"))) expect(line.split("---").length - 1).toBeLessThanOrEqual(6);
  });
});
