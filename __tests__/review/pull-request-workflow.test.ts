/**
 * The pull-request workflow: the review step's script, run for real with a stand-in `npm` that
 * exits as the review would, records exit 2 without failing and fails on exit 1.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { REPO_ROOT, tempDir, writeTree } from "../helpers";

const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, ".github/workflows/pull-request.yml"), "utf8"));
const job = workflow.jobs.review;
const step = (name: string) => job.steps.find((s: any) => s.name === name || s.run === name);

function runReviewStep(reviewExit: number) {
  const dir = tempDir("pr-step-");
  const bin = writeTree({ "bin/npm": `#!/bin/sh\necho "# review of $6" \nexit ${reviewExit}\n` }, dir);
  fs.chmodSync(path.join(bin, "bin/npm"), 0o755);
  const out = path.join(dir, "output");
  const summary = path.join(dir, "summary");
  const r = spawnSync("bash", ["-e", "-c", step("Review against the base commit").run], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: summary, BASE_SHA: "abc123" },
  });
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
  return { code: r.status, output: read(out), summary: read(summary), review: read(path.join(dir, "review.md")), log: r.stdout };
}

describe("pull-request.yml", () => {
  test("runs on pull requests with a read-only checkout of the whole history and no secrets", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(step("actions/checkout@v4") ?? job.steps[0]).toMatchObject({ uses: "actions/checkout@v4", with: { "fetch-depth": 0, "persist-credentials": false } });
    expect(JSON.stringify(workflow)).not.toMatch(/secrets\./);
    expect(job.steps.filter((s: any) => s.run).map((s: any) => s.run.split("\n")[0])).toEqual([
      "npm ci",
      "npm test",
      "npm run validate",
      "npm run synth",
      "# The checkout is the merge of the PR into its base, so base.sha..HEAD is exactly what",
    ]);
  });

  test("exit 2 is recorded as sign-off and does not fail the job", () => {
    const r = runReviewStep(2);
    expect(r.code).toBe(0);
    expect(r.output).toBe("exit-code=2\nsign-off=true\n");
    expect(r.review).toBe("# review of abc123\n");
    expect(r.summary).toBe("# review of abc123\n");
  });

  test("exit 0 passes without sign-off; exit 1 fails the job", () => {
    expect(runReviewStep(0)).toMatchObject({ code: 0, output: "exit-code=0\nsign-off=false\n" });
    expect(runReviewStep(1)).toMatchObject({ code: 1, output: "exit-code=1\n" });
  });

  test("the comment step updates one comment found by its hidden marker", () => {
    const comment = job.steps.find((s: any) => s.uses === "actions/github-script@v7");
    expect(comment.with.script).toContain('const marker = "<!-- ai-gateway-review -->";');
    expect(comment.with.script).toContain("github.rest.issues.updateComment");
    expect(comment.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
  });
});
