/**
 * The README's review example is real output: its diff is applied to the review fixture (a copy
 * of the example config) in a git repository, and every line the README shows must be printed,
 * in the same order ("…" marks a cut), with the exit code the README states.
 */
import * as fs from "fs";
import * as path from "path";
import { runReview } from "../../cli/review";
import { REPO_ROOT, writeTree } from "../helpers";
import { fixtureRepo, git } from "./scenario";

const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
// From the section's Example to the end: the blocks are the first ones after it (the output
// itself holds "## " headings, so the section's end cannot be found by the next heading).
const example = readme.slice(readme.indexOf("### Example", readme.indexOf("## Reviewing a change")));

function block(fence: string, lang: string): string {
  const start = example.indexOf(`${fence}${lang}\n`);
  if (start < 0) throw new Error(`README.md, Reviewing a change > Example: no ${fence}${lang} block`);
  const body = start + fence.length + lang.length + 1;
  return example.slice(body, example.indexOf(`\n${fence}\n`, body) + 1);
}

describe("README.md, Reviewing a change > Example", () => {
  test("the diff applied to the example config gives the output shown, line for line, and the exit code", () => {
    const dir = fixtureRepo();
    writeTree({ "example.diff": block("```", "diff") }, dir);
    git(dir, "apply", "example.diff");
    let stdout = "";
    const code = runReview(["--base", "main", "--config", path.join(dir, "config")], {}, { stdout: (t) => (stdout += t), stderr: () => undefined });

    const shown = block("````", "markdown").split("\n");
    const printed = stdout.split("\n");
    let at = 0;
    for (const line of shown) {
      if (line === "…") continue;
      const found = printed.indexOf(line, at);
      // The failure names the README line that the review no longer prints.
      expect({ line, found: found >= 0 }).toEqual({ line, found: true });
      at = found + 1;
    }
    expect(shown.filter((l) => l.startsWith("- ")).length).toBeGreaterThan(3);
    expect(example).toMatch(new RegExp(`prints \\(exit code ${code}[;)]`));
  });
});
