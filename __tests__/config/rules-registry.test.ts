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

describe("the rules are pure: constructs/ run the same registry", () => {
  /** Runtime (non-type) import specifiers of a file. */
  function runtimeImports(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    return [...text.matchAll(/^import (?!type )[^;]*? from "([^"]+)";/gms), ...text.matchAll(/^export \* from "([^"]+)";/gm)].map((m) => m[1]);
  }

  test("config/semantic.ts and config/rules/ reach no YAML, zod or cdktf at run time", () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of runtimeImports(file)) {
        if (!spec.startsWith(".")) {
          external.add(spec);
          continue;
        }
        const base = path.resolve(path.dirname(file), spec);
        visit(fs.existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, "index.ts"));
      }
    };
    visit(path.join(REPO_ROOT, "config", "semantic.ts"));
    expect(seen.size).toBeGreaterThan(10);
    expect([...external].filter((spec) => spec !== "@cdktf/provider-databricks/package.json")).toEqual([]);
    const outside = [...seen].map((f) => path.relative(REPO_ROOT, f)).filter((f) => !/^(config\/(rules\/|semantic\.ts|errors\.ts|provider-version\.ts)|databricks\/)/.test(f));
    expect(outside).toEqual([]);
  });
});
