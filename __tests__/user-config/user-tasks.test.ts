/**
 * The README's user tasks, applied to a copy of the example config, keep every config-invariant
 * check green: the checks config.test.ts runs on config/ know no endpoint or environment name, so
 * a user editing config/ only ever has to review and update the snapshots (`npm run snapshots`).
 * The edits are the README's own snippets, read from README.md (the ```yaml blocks marked
 * `<!-- user-task: ... -->`: "Change a rate limit", "Add an endpoint", "Add an environment") and
 * pasted as the README says, so a README edit that breaks a task fails here; and a
 * one-environment config.
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

/**
 * The README's task snippets: each ```yaml block right after a `<!-- user-task: NAME FILE [under
 * KEY.PATH] -->` marker, dedented by its fence's indentation (a block inside a list item).
 */
function readmeTasks(readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")): Map<string, { file: string; under?: string[]; text: string }> {
  const tasks = new Map<string, { file: string; under?: string[]; text: string }>();
  const marker = /^( *)<!-- user-task: (\S+) (\S+)(?: under (\S+))? -->\n\1```yaml\n([\s\S]*?)\n\1```$/gm;
  for (const m of readme.matchAll(marker)) {
    const [, indent, name, file, under, body] = m;
    const text = body
      .split("\n")
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join("\n");
    tasks.set(name, { file, under: under?.split("."), text: `${text}\n` });
  }
  return tasks;
}

/**
 * Pastes a README snippet as a user would: the whole file, or its lines right below the line of
 * `under` (nested keys found by indentation), exactly as the README indents them.
 */
function pasteTask(dir: string, name: string): void {
  const task = readmeTasks().get(name);
  if (!task) throw new Error(`README.md has no <!-- user-task: ${name} ... --> block`);
  const file = path.join(dir, task.file);
  if (!task.under) {
    fs.writeFileSync(file, task.text);
    return;
  }
  const lines = fs.readFileSync(file, "utf8").split("\n");
  let at = -1;
  task.under.forEach((key, depth) => {
    const found = lines.findIndex((l, i) => i > at && l.startsWith(`${"  ".repeat(depth)}${key}:`));
    if (found < 0) throw new Error(`${task.file} has no "${task.under!.slice(0, depth + 1).join(".")}" to paste under`);
    at = found;
  });
  lines.splice(at + 1, 0, ...task.text.trimEnd().split("\n"));
  fs.writeFileSync(file, lines.join("\n"));
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
  test("README tasks are all marked (a renamed or unmarked snippet fails here, not silently)", () => {
    expect([...readmeTasks().keys()].sort()).toEqual(["add-endpoint", "add-environment", "change-rate-limit"]);
  });

  test("Change a rate limit (prod gives analysts 1200 calls/min), pasted from the README", () => {
    const dir = copyOfExample();
    pasteTask(dir, "change-rate-limit");
    const limits = checked(dir).prod.resource.databricks_model_serving.chat.ai_gateway.rate_limits;
    expect(limits).toContainEqual(expect.objectContaining({ key: "user_group", principal: "analysts", calls: 1200 }));
    // The guardrails beside the pasted rate_limits are still there.
    expect(checked(dir).prod.resource.databricks_model_serving.chat.ai_gateway.guardrails).toBeDefined();
  });

  test("Add an endpoint (support-bot, in every environment), pasted from the README", () => {
    const dir = copyOfExample();
    pasteTask(dir, "add-endpoint");
    const stacks = checked(dir);
    for (const env of ["dev", "staging", "prod"]) expect(Object.keys(stacks[env].resource.databricks_model_serving)).toContain("support-bot");
    expect(stacks.prod.resource.databricks_model_serving["support-bot"].tags).toContainEqual({ key: "cost_center", value: "4713" });
  });

  test("Add an environment (prod-eu, deployed last through deploy.order, no workflow edit), from the README", () => {
    const dir = copyOfExample();
    pasteTask(dir, "add-environment");
    expect(Object.keys(checked(dir)).sort()).toEqual(["dev", "prod", "prod-eu", "staging"]);
    expect(matrixOf(dir)).toEqual(["dev", "staging", "prod", "prod-eu"]);
  });

  test("a pasted snippet that breaks the config fails (the test reads the README, not a copy)", () => {
    const dir = copyOfExample();
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const broken = readme.replace("        - { key: user_group, principal: analysts, calls: 1200 }", "      - { key: user_group, principal: analysts, calls: 1200 }");
    expect(broken).not.toBe(readme);
    const task = readmeTasks(broken).get("change-rate-limit")!;
    const file = path.join(dir, task.file);
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const at = lines.findIndex((l) => l === "    ai_gateway:");
    lines.splice(at + 1, 0, ...task.text.trimEnd().split("\n"));
    fs.writeFileSync(file, lines.join("\n"));
    expect(invariantViolations(dir).length).toBeGreaterThan(0);
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
