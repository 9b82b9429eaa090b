/** Shared test helpers: write config trees to temp dirs, load them, synthesize stacks. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { formatProblem } from "../config/errors";
import { loadConfig, LoadResult } from "../config/load";
import type { EnvironmentConfig } from "../config/schema";
import { GatewayStack } from "../stacks/gateway-stack";

export const REPO_ROOT = path.resolve(__dirname, "..");
/**
 * The product fixture: a frozen copy of the example config the repo shipped with. Product tests
 * (exact counts, review rows, snapshots of the constructs' output) run on it, never on config/.
 */
export const EXAMPLE_CONFIG = path.join(REPO_ROOT, "__tests__", "fixtures", "example");
/**
 * The user's own config (users fork the repo and edit it). Only __tests__/user-config/ tests it,
 * and only for what holds for any valid config.
 */
export const USER_CONFIG = path.join(REPO_ROOT, "config");

const tmpRoot = path.join(os.tmpdir(), "ai-gateway-stack-tests");
fs.mkdirSync(tmpRoot, { recursive: true });

export function tempDir(prefix = "cfg-"): string {
  return fs.mkdtempSync(path.join(tmpRoot, prefix));
}

/** Writes files (relative path → content) into a new temp dir and returns it. */
export function writeTree(files: Record<string, string>, dir = tempDir()): string {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return dir;
}

export const MINIMAL_ENV = "workspace:\n  host: https://dbc-1.cloud.databricks.com\n";

export const MINIMAL_GATEWAY = `endpoints:
  chat:
    task: llm/v1/chat
    served_entities:
      - name: openai
        external_model:
          provider: openai
          name: gpt-4o-mini
          openai_config: { openai_api_key: "{{secrets/llm/openai}}" }
`;

/** Loads a config tree given as files; errors and warnings formatted with paths relative to the dir. */
export function loadTree(files: Record<string, string>): LoadResult & { lines: string[]; dir: string } {
  const dir = writeTree(files);
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const result = loadConfig(".");
    return { ...result, lines: result.problems.map(formatProblem), dir };
  } finally {
    process.chdir(cwd);
  }
}

/** The valid environments of a tree, by name; fails the test with every problem otherwise. */
export function loadValid(files: Record<string, string>): Record<string, EnvironmentConfig> {
  const result = loadTree(files);
  const errors = result.lines.filter((l) => !l.includes(": warning: "));
  if (errors.length > 0) throw new Error(`expected valid config, got:\n${errors.join("\n")}`);
  return Object.fromEntries(result.environments.map((e) => [e.config.name, e.config]));
}

/** Synthesized Terraform JSON of one environment (parsed). */
export function synthEnv(env: EnvironmentConfig): any {
  const app = Testing.app();
  const stack = new GatewayStack(app, env);
  return JSON.parse(Testing.synth(stack));
}
