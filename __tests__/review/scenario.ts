/**
 * Review scenarios in a real temporary git repository: commit a base config, change the working
 * tree, run the review in-process and read its JSON output.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runReview } from "../../cli/review";
import type { Review } from "../../review";
import { REPO_ROOT, tempDir, writeTree } from "../helpers";

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

export function git(dir: string, ...args: string[]): string {
  const r = spawnSync("git", ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args], { cwd: dir, env: GIT_ENV, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** A new repository whose first commit holds `files`; returns its directory. */
export function repoWith(files: Record<string, string>): string {
  const dir = tempDir("review-repo-");
  git(dir, "init", "-q");
  writeTree(files, dir);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  return dir;
}

export interface ReviewRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function review(configDir: string, ...flags: string[]): ReviewRun {
  let stdout = "";
  let stderr = "";
  const code = runReview(["--base", "HEAD", "--config", configDir, ...flags], {}, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

export function reviewJson(configDir: string): { code: number; review: Review & { exitCode: number }; stderr: string } {
  const run = review(configDir, "--format", "json");
  return { code: run.code, review: run.stdout ? JSON.parse(run.stdout) : undefined, stderr: run.stderr };
}

/** Replaces `from` with `to` in a file of the working tree (failing if `from` is not there). */
export function edit(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const text = fs.readFileSync(full, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  fs.writeFileSync(full, text.replace(from, to));
}

export const GATEWAY = `defaults:
  ai_gateway:
    usage_tracking: true
    guardrails:
      input: { safety: true, pii: BLOCK }
      output: { pii: BLOCK }
    rate_limits:
      - { key: user, calls: 20 }
endpoints:
  chat:
    description: Chat for apps
    task: llm/v1/chat
    served_entities:
      - name: openai
        external_model:
          provider: openai
          name: gpt-4o-mini
          openai_config: { openai_api_key: "{{secrets/llm/openai}}" }
      - name: anthropic
        external_model:
          provider: anthropic
          name: claude-sonnet-4-5
          anthropic_config: { anthropic_api_key: "{{secrets/llm/anthropic}}" }
    routing:
      fallback: [openai, anthropic]
    ai_gateway:
      inference_table: { catalog_name: ml, schema_name: logs, table_name_prefix: chat }
      rate_limits:
        - { key: endpoint, tokens: 100000 }
        - { key: user, calls: 20 }
        - { key: user_group, principal: analysts, calls: 300 }
    permissions:
      - { group_name: analysts, level: CAN_QUERY }
    tags: { cost_center: "4711" }
`;

export const DEV = "workspace:\n  host: https://dbc-dev.cloud.databricks.com\nnaming: { prefix: dev- }\n";
export const PROD = "workspace:\n  host: https://dbc-prod.cloud.databricks.com\nprotect: true\n";

export const BASE_FILES = {
  "config/gateway.yaml": GATEWAY,
  "config/environments/dev.yaml": DEV,
  "config/environments/prod.yaml": PROD,
};

/** The review fixture: a copy of the example config, independent of the user's own config/. */
export const REVIEW_FIXTURE = path.join(REPO_ROOT, "__tests__/fixtures/review");

/** A new repository whose first commit (on `main`) holds the review fixture as `config/`. */
export function fixtureRepo(): string {
  const files: Record<string, string> = { "config/gateway.yaml": fs.readFileSync(path.join(REVIEW_FIXTURE, "gateway.yaml"), "utf8") };
  for (const f of fs.readdirSync(path.join(REVIEW_FIXTURE, "environments"))) {
    files[`config/environments/${f}`] = fs.readFileSync(path.join(REVIEW_FIXTURE, "environments", f), "utf8");
  }
  return repoWith(files);
}
