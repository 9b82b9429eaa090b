/**
 * The pull-request workflow: the review step's script, run for real with a stand-in `npm` that
 * exits as the review would, records exit 2 without failing and fails on exit 1; the base step in
 * a real merge commit; the comment script with a stand-in GitHub API.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { REPO_ROOT, tempDir, writeTree } from "../helpers";
import { git } from "./scenario";

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
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write", issues: "write" });
    expect(step("actions/checkout@v4") ?? job.steps[0]).toMatchObject({ uses: "actions/checkout@v4", with: { "fetch-depth": 0, "persist-credentials": false } });
    expect(JSON.stringify(workflow)).not.toMatch(/secrets\./);
    expect(job.steps.filter((s: any) => s.run).map((s: any) => s.run.split("\n")[0])).toEqual([
      "npm ci",
      "npm test",
      "npm run binding-schema -- --install --check",
      "npm run validate",
      "npm run synth",
      "# The checkout is the PR's merge commit (refs/pull/N/merge). Its first parent is the base",
      "# BASE_SHA..HEAD is exactly what merging would change. Exit 2 (sign-off) is recorded,",
    ]);
    expect(step("Review against the base commit").env).toEqual({ BASE_SHA: "${{ steps.base.outputs.sha }}" });
  });

  describe("the base commit", () => {
    function findBase(merge: boolean) {
      const dir = tempDir("pr-base-");
      git(dir, "init", "-q");
      git(dir, "commit", "-q", "--allow-empty", "-m", "old base");
      const eventBase = git(dir, "rev-parse", "HEAD").trim();
      git(dir, "checkout", "-q", "-b", "feature");
      git(dir, "commit", "-q", "--allow-empty", "-m", "pull request");
      git(dir, "checkout", "-q", "main");
      git(dir, "commit", "-q", "--allow-empty", "-m", "base moved on");
      const moved = git(dir, "rev-parse", "HEAD").trim();
      if (merge) git(dir, "merge", "-q", "--no-ff", "-m", "Merge into main", "feature");
      const out = path.join(dir, "output");
      const r = spawnSync("bash", ["-e", "-c", step("Find the base commit").run], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH, GITHUB_OUTPUT: out, EVENT_BASE_SHA: eventBase } });
      return { code: r.status, output: fs.readFileSync(out, "utf8"), log: r.stdout, eventBase, moved };
    }

    test("is the merge commit's first parent, not the event's (older) base.sha", () => {
      const r = findBase(true);
      expect(r.code).toBe(0);
      expect(r.output).toBe(`sha=${r.moved}\n`);
    });

    test("falls back to the event's base.sha, with a warning, when HEAD is not a merge commit", () => {
      const r = findBase(false);
      expect(r.output).toBe(`sha=${r.eventBase}\n`);
      expect(r.log).toContain("::warning title=not a merge commit::");
    });
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

  describe("the comment step", () => {
    const comment = job.steps.find((s: any) => s.uses === "actions/github-script@v7");

    test("runs after failures too, for the repository's own branches but not Dependabot, and never fails the check", () => {
      expect(comment.if).toBe("always() && github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'");
      expect(comment["continue-on-error"]).toBe(true);
      expect(comment.env.REVIEW_OUTCOME).toBe("${{ steps.review.outcome }}");
    });

    interface Call {
      readonly method: string;
      readonly params: Record<string, unknown>;
    }

    /** Runs the step's script as actions/github-script does, against a stand-in GitHub API. */
    async function runComment(options: { outcome: string; signOff?: string; comments?: unknown[]; labels?: string[]; removeLabelStatus?: number }) {
      const dir = tempDir("pr-comment-");
      fs.writeFileSync(path.join(dir, "review.md"), "## AI Gateway review\n");
      const calls: Call[] = [];
      const api = (method: string, result: unknown = {}) => async (params: Record<string, unknown>) => {
        calls.push({ method, params });
        if (method === "removeLabel" && options.removeLabelStatus) throw Object.assign(new Error("HTTP error"), { status: options.removeLabelStatus });
        return result;
      };
      const github = {
        paginate: async (fn: (p: Record<string, unknown>) => Promise<unknown>, params: Record<string, unknown>) => fn(params),
        rest: {
          issues: {
            listComments: api("listComments", options.comments ?? []),
            updateComment: api("updateComment"),
            createComment: api("createComment"),
            listLabelsOnIssue: api("listLabelsOnIssue", (options.labels ?? []).map((name) => ({ name }))),
            addLabels: api("addLabels"),
            removeLabel: api("removeLabel"),
          },
        },
      };
      const context = {
        repo: { owner: "acme", repo: "gateway" },
        // The event's labels are stale on purpose: the script must ask for the current ones.
        payload: { pull_request: { number: 7, head: { sha: "0123456789abcdef" }, labels: [{ name: "gateway: needs sign-off" }] } },
      };
      const env = { REVIEW_OUTCOME: options.outcome, SIGN_OFF: options.signOff ?? "", RUN_URL: "https://github.com/acme/gateway/actions/runs/42" };
      const fakeRequire = (m: string) => (m === "fs" ? { readFileSync: (p: string, e: BufferEncoding) => fs.readFileSync(path.join(dir, p), e) } : require(m));
      const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
      await new AsyncFunction("require", "github", "context", "process", comment.with.script)(fakeRequire, github, context, { env });
      return calls.filter((c) => !c.method.startsWith("list")).map((c) => [c.method, c.params]);
    }

    const where = { owner: "acme", repo: "gateway", issue_number: 7 };
    const marker = "<!-- ai-gateway-review -->";
    const mine = { id: 99, user: { type: "Bot" }, body: `${marker}\nold verdict` };

    test("posts the review once, then updates that comment, and labels a change that needs sign-off", async () => {
      expect(await runComment({ outcome: "success", signOff: "true" })).toEqual([
        ["createComment", { ...where, body: `${marker}\n## AI Gateway review\n` }],
        ["addLabels", { ...where, labels: ["gateway: needs sign-off"] }],
      ]);
      expect(await runComment({ outcome: "success", signOff: "true", comments: [mine], labels: ["gateway: needs sign-off"] })).toEqual([
        ["updateComment", { owner: "acme", repo: "gateway", comment_id: 99, body: `${marker}\n## AI Gateway review\n` }],
      ]);
    });

    test("a failed review replaces the earlier verdict with a pointer to the log, and leaves the label alone", async () => {
      expect(await runComment({ outcome: "failure", comments: [mine], labels: [] })).toEqual([
        [
          "updateComment",
          {
            owner: "acme",
            repo: "gateway",
            comment_id: 99,
            body: `${marker}\n## AI Gateway review failed\n\nThe review of 0123456 did not finish (tests, validation, synthesis or the review failed, or the run was cancelled): see the job log at https://github.com/acme/gateway/actions/runs/42. No earlier verdict on this pull request applies any more.\n`,
          },
        ],
      ]);
      expect((await runComment({ outcome: "skipped", comments: [mine] }))[0][1]).toMatchObject({ body: expect.stringContaining("## AI Gateway review failed") });
    });

    test("removes the label by the current labels, not the event's, and a label removed meanwhile (404) is fine", async () => {
      expect(await runComment({ outcome: "success", signOff: "false", comments: [mine], labels: [] })).toEqual([["updateComment", expect.anything()]]);
      expect(await runComment({ outcome: "success", signOff: "false", comments: [mine], labels: ["gateway: needs sign-off"], removeLabelStatus: 404 })).toEqual([
        ["updateComment", expect.anything()],
        ["removeLabel", { ...where, name: "gateway: needs sign-off" }],
      ]);
      await expect(runComment({ outcome: "success", signOff: "false", comments: [mine], labels: ["gateway: needs sign-off"], removeLabelStatus: 500 })).rejects.toMatchObject({ status: 500 });
    });
  });
});
