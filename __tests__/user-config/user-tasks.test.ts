/**
 * The README's user tasks, applied to a copy of the example config, keep every config-invariant
 * check green: the checks config.test.ts runs on config/ know no endpoint or environment name, so
 * a user editing config/ only ever has to review and update the snapshots (`npm run snapshots`).
 * The edits are the README's snippets ("Change a rate limit", "Add an endpoint", "Add an
 * environment") and a one-environment config.
 */
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { listEnvironments } from "../../.github/scripts/environments";
import { EXAMPLE_CONFIG, REPO_ROOT, tempDir } from "../helpers";
import { checkInvariants, invariantViolations, UPDATE_SNAPSHOTS } from "./invariants";

/** A fresh copy of the example config (what a user's fork starts from). */
function copyOfExample(): string {
  const dir = path.join(tempDir("user-task-"), "config");
  fs.cpSync(EXAMPLE_CONFIG, dir, { recursive: true });
  return dir;
}

/** Edits one YAML file of a config dir as a document (comments and the rest kept). */
function editYaml(dir: string, rel: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
  const file = path.join(dir, rel);
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  edit(doc);
  fs.writeFileSync(file, doc.toString());
}

/** The invariants hold for the edited copy: its stacks, checked. */
function checked(dir: string): Record<string, any> {
  const { violations, stacks } = checkInvariants(dir);
  expect(violations).toEqual([]);
  return stacks;
}
const matrixOf = (dir: string) => {
  let out = "";
  expect(listEnvironments([], { GATEWAY_CONFIG_DIR: dir }, (t) => (out += t), (t) => (out += t))).toBe(0);
  return JSON.parse(out);
};

describe("README user tasks keep the config invariants green", () => {
  test("Change a rate limit (prod gives analysts 1200 calls/min)", () => {
    const dir = copyOfExample();
    editYaml(dir, "environments/prod.yaml", (doc) =>
      doc.setIn(["endpoints", "chat", "ai_gateway", "rate_limits"], [
        { key: "endpoint", tokens: 2000000 },
        { key: "user", calls: 60, tokens: 100000 },
        { key: "user_group", principal: "analysts", calls: 1200 },
      ]),
    );
    const limits = checked(dir).prod.resource.databricks_model_serving.chat.ai_gateway.rate_limits;
    expect(limits).toContainEqual(expect.objectContaining({ key: "user_group", principal: "analysts", calls: 1200 }));
  });

  test("Add an endpoint (support-bot, in every environment)", () => {
    const dir = copyOfExample();
    editYaml(dir, "gateway.yaml", (doc) =>
      doc.setIn(["endpoints", "support-bot"], {
        description: "Customer support assistant",
        task: "llm/v1/chat",
        served_entities: [
          {
            name: "claude",
            external_model: { provider: "anthropic", name: "claude-sonnet-4-5", anthropic_config: { anthropic_api_key: "{{secrets/llm/anthropic_key}}" } },
          },
        ],
        ai_gateway: { inference_table: { catalog_name: "ml", schema_name: "gateway_logs", table_name_prefix: "support_bot" } },
        permissions: [{ group_name: "support-engineers", level: "CAN_QUERY" }],
        tags: { cost_center: "4713" },
      }),
    );
    const stacks = checked(dir);
    for (const env of ["dev", "staging", "prod"]) expect(Object.keys(stacks[env].resource.databricks_model_serving)).toContain("support-bot");
  });

  test("Add an environment (prod-eu, deployed last through deploy.order, no workflow edit)", () => {
    const dir = copyOfExample();
    fs.writeFileSync(
      path.join(dir, "environments/prod-eu.yaml"),
      [
        "# yaml-language-server: $schema=../schema/environment.schema.json",
        "deploy: { order: 4 }",
        "workspace:",
        "  host: https://dbc-eu-4321.cloud.databricks.com",
        "state:",
        "  backend: s3",
        "  bucket: acme-terraform-state",
        "  key: ai-gateway/prod-eu.tfstate",
        "  region: eu-west-1",
        "  use_lockfile: true",
        "protect: true",
        "naming: { suffix: -eu }",
        "",
      ].join("\n"),
    );
    expect(Object.keys(checked(dir)).sort()).toEqual(["dev", "prod", "prod-eu", "staging"]);
    expect(matrixOf(dir)).toEqual(["dev", "staging", "prod", "prod-eu"]);
  });

  test("a one-environment config", () => {
    const dir = copyOfExample();
    for (const env of ["staging", "prod"]) fs.rmSync(path.join(dir, `environments/${env}.yaml`));
    expect(Object.keys(checked(dir))).toEqual(["dev"]);
    expect(matrixOf(dir)).toEqual(["dev"]);
  });

  test("the checks do fail: a broken edit is reported with its file and line", () => {
    const dir = copyOfExample();
    editYaml(dir, "gateway.yaml", (doc) => doc.setIn(["endpoints", "embeddings", "ai_gateway", "rate_limits", 1, "calls"], -3));
    const violations = invariantViolations(dir);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^does not validate: .*gateway\.yaml:\d+:\d+ /);
  });
});

describe(UPDATE_SNAPSHOTS, () => {
  test("runs jest -u on the config/ snapshot test only, also under CI", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    expect(UPDATE_SNAPSHOTS).toBe("npm run snapshots");
    expect(pkg.scripts.snapshots).toBe("jest --ci=false -u __tests__/user-config/config.test.ts");
  });

  test("is named in the title of every config/ snapshot, so a failure shows it", () => {
    const snap = fs.readFileSync(path.join(__dirname, "__snapshots__", "config.test.ts.snap"), "utf8");
    const titles = [...snap.matchAll(/^exports\[`(.*)`\]/gm)].map((m) => m[1]);
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(title).toContain("then run: npm run snapshots");
  });
});
