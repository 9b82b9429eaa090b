/** The validation rule registry: every rule file is registered once, with an id, a what and a why. */
import * as fs from "fs";
import * as path from "path";
import { ENDPOINT_RULES, ENVIRONMENT_RULES, SERVICE_RULES } from "../../config/rules";
import { REPO_ROOT } from "../helpers";

const rules = [...ENVIRONMENT_RULES, ...ENDPOINT_RULES, ...SERVICE_RULES];

test("rule ids are unique, and each rule says what it checks and why", () => {
  expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  for (const rule of rules) {
    expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(rule.what.length).toBeGreaterThan(10);
    expect(rule.why.length).toBeGreaterThan(10);
  }
});

test("every file in config/rules/ (but the registry and the interfaces) is one registered rule named by its file", () => {
  const dir = path.join(REPO_ROOT, "config", "rules");
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "rule.ts");
  expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual(rules.map((r) => r.id).sort());
});
