/** Accepted but suspicious input: each a warning with its exact message and location. */
import { chat, OPENAI } from "./rejected-cases";
import { loadTree, MINIMAL_ENV, MINIMAL_GATEWAY } from "../helpers";

function warnings(files: Record<string, string>): string[] {
  const result = loadTree(files);
  expect(result.lines.filter((l) => !l.includes(": warning: "))).toEqual([]);
  expect(result.environments.length).toBeGreaterThan(0);
  return result.lines;
}

describe("warnings for input the loader used to accept silently", () => {
  test("every file in environments/ that is not loaded", () => {
    const lines = warnings({
      "gateway.yaml": MINIMAL_GATEWAY,
      "environments/dev.yaml": MINIMAL_ENV,
      "environments/PROD.YAML": MINIMAL_ENV,
      "environments/staging.yaml.bak": MINIMAL_ENV,
      "environments/notes.txt": "todo",
      "environments/old/qa.yaml": MINIMAL_ENV,
      "environments/.gitkeep": "",
    });
    const NOT_LOADED = "warning: not loaded: only files named <env>.yaml or <env>.yml are environments, so this";
    expect(lines).toEqual([
      `environments/PROD.YAML:1:1 (file): ${NOT_LOADED} file is neither synthesized nor reviewed; rename it to prod.yaml if it is an environment`,
      `environments/notes.txt:1:1 (file): ${NOT_LOADED} file is neither synthesized nor reviewed; name it <env>.yaml if it is an environment, or move it out of environments/`,
      `environments/old:1:1 (file): ${NOT_LOADED} directory is neither synthesized nor reviewed; name it <env>.yaml if it is an environment, or move it out of environments/`,
      `environments/staging.yaml.bak:1:1 (file): ${NOT_LOADED} file is neither synthesized nor reviewed; name it <env>.yaml if it is an environment, or move it out of environments/`,
    ]);
  });

  test("group names that differ only in case, and a user name with upper case", () => {
    expect(
      warnings(chat(OPENAI + "permissions:\n  - { group_name: analysts, level: CAN_QUERY }\n  - { group_name: Analysts, level: CAN_VIEW }\n  - { user_name: Alice@acme.com, level: CAN_QUERY }\n")),
    ).toEqual([
      "gateway.yaml:13:23 endpoints.chat.permissions[1].group_name: warning: group \"Analysts\" differs from \"analysts\" in permissions[0] only in case; Databricks group names are case-sensitive, so these are two different groups: check the spelling",
      "gateway.yaml:14:22 endpoints.chat.permissions[2].user_name: warning: user \"Alice@acme.com\" has upper-case letters; Databricks stores user names (e-mail addresses) in lower case and provider 1.99 compares them as written, so every plan shows a change: write \"alice@acme.com\"",
    ]);
  });

  test("tag keys and values beyond Databricks' documented tag lengths", () => {
    const key = "k".repeat(256);
    expect(warnings(chat(OPENAI + `tags:\n  ${key}: v\n  long: ${"v".repeat(1001)}\n  ok: ${"v".repeat(1000)}\n`))).toEqual([
      `gateway.yaml:12:7 endpoints.chat.tags.${key}: warning: tag key is 256 characters; Databricks documents tag keys of at most 255: shorten it`,
      "gateway.yaml:13:13 endpoints.chat.tags.long: warning: tag value is 1001 characters; Databricks documents tag values of at most 1000: shorten it",
    ]);
  });

  test("the limits themselves pass without a word", () => {
    expect(warnings(chat(OPENAI + `tags:\n  ${"k".repeat(255)}: ${"v".repeat(1000)}\npermissions:\n  - { user_name: alice@acme.com, level: CAN_QUERY }\n`))).toEqual([]);
  });
});
