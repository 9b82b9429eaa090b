/**
 * The shell scripts the workflows run, executed for real with a stand-in `terraform` on PATH
 * (the Databricks provider cannot be downloaded in tests) and real synthesized stacks.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../../config/load";
import { EXAMPLE_CONFIG, loadValid, MINIMAL_GATEWAY, REPO_ROOT, synthEnv, tempDir } from "../helpers";

const SCRIPTS = path.join(REPO_ROOT, ".github", "scripts");
const HOST = "workspace:\n  host: https://dbc-1.cloud.databricks.com\n";

/** A project dir with cdktf.out/stacks/gateway-dev/cdk.tf.json synthesized from this env file. */
function projectWith(envFile: string): string {
  const dir = tempDir("ci-");
  const envs = loadValid({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": HOST + envFile });
  const stackDir = path.join(dir, "cdktf.out", "stacks", "gateway-dev");
  fs.mkdirSync(stackDir, { recursive: true });
  fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify(synthEnv(envs.dev), null, 2));
  return dir;
}

function run(script: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync("bash", [path.join(SCRIPTS, script), ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

const PLAN_WITH_DRIFT = `databricks_model_serving.chat: Refreshing state... [id=dev-chat]

Terraform will perform the following actions:

  # databricks_model_serving.chat will be updated in-place
  ~ resource "databricks_model_serving" "chat" {
        id   = "dev-chat"
      ~ ai_gateway {
          ~ rate_limits {
              ~ calls = 60 -> 20
            }
        }
    }

Plan: 0 to add, 1 to change, 0 to destroy.
`;

/** A `terraform` that logs its arguments, prints $FAKE_PLAN_FILE for plan and exits as told. */
function fakeTerraform(): string {
  const bin = tempDir("bin-");
  fs.writeFileSync(
    path.join(bin, "terraform"),
    [
      "#!/usr/bin/env bash",
      'echo "$*" >> "$FAKE_TF_LOG"',
      'case "$1" in',
      '  init) echo "init output"; exit "${FAKE_INIT_EXIT:-0}" ;;',
      '  plan) cat "$FAKE_PLAN_FILE"; echo "plan stderr" >&2; exit "$FAKE_PLAN_EXIT" ;;',
      "esac",
      "exit 99",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  return bin;
}

describe("drift.sh", () => {
  const bin = fakeTerraform();

  function drift(planExit: number, plan = PLAN_WITH_DRIFT, extra: Record<string, string> = {}) {
    const dir = projectWith("");
    const summary = path.join(dir, "summary.md");
    const log = path.join(dir, "tf.log");
    const planFile = path.join(dir, "plan-output.txt");
    fs.writeFileSync(planFile, plan);
    const r = run("drift.sh", ["dev"], dir, {
      PATH: `${bin}:${process.env.PATH}`,
      GITHUB_STEP_SUMMARY: summary,
      FAKE_TF_LOG: log,
      FAKE_PLAN_FILE: planFile,
      FAKE_PLAN_EXIT: String(planExit),
      ...extra,
    });
    const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
    return { ...r, summary: read(summary), calls: read(log).trim().split("\n") };
  }

  test("plans the synthesized stack with detailed exit codes, waiting for a deploy's lock", () => {
    const r = drift(0, "No changes.\n");
    expect(r.calls).toEqual([
      "init -input=false -no-color",
      "plan -input=false -no-color -detailed-exitcode -lock-timeout=15m",
    ]);
  });

  test("no changes (exit 0): passes and says so in the summary", () => {
    const r = drift(0, "No changes. Your infrastructure matches the configuration.\n");
    expect(r.code).toBe(0);
    expect(r.summary).toBe("### gateway-dev: no drift\n");
  });

  test("changes (exit 2): fails with the plan as a diff block in the summary", () => {
    const r = drift(2);
    expect(r.code).toBe(1);
    expect(r.out).toContain("::error::Drift in gateway-dev");
    expect(r.summary).toMatch(/^### gateway-dev: drift\n/);
    expect(r.summary).toContain("```diff\n");
    expect(r.summary).not.toContain("Refreshing state");
    expect(r.summary).toContain("  # databricks_model_serving.chat will be updated in-place");
    expect(r.summary).toMatch(/^! {15}calls = 60 -> 20$/m);
    expect(r.summary).toMatch(/^! {3}resource "databricks_model_serving" "chat" \{$/m);
    expect(r.summary.trimEnd().endsWith("```")).toBe(true);
  });

  test("a failed plan (exit 1) fails as an error, not as drift", () => {
    const r = drift(1, "Error: cannot authenticate\n");
    expect(r.code).toBe(1);
    expect(r.out).toContain("::error::terraform plan failed for gateway-dev (exit 1)");
    expect(r.out).toContain("plan stderr");
    expect(r.summary).toContain("### gateway-dev: drift check failed");
    expect(r.summary).not.toContain("```diff");
  });

  test("a failed init fails before planning", () => {
    const r = drift(0, "", { FAKE_INIT_EXIT: "1" });
    expect(r.code).toBe(1);
    expect(r.calls).toEqual(["init -input=false -no-color"]);
    expect(r.out).toContain("::error::terraform init failed for gateway-dev");
  });

  test("a huge plan is cut to fit the 1 MiB step summary", () => {
    const r = drift(2, "  ~ x = 1 -> 2\n".repeat(200_000));
    expect(r.code).toBe(1);
    expect(Buffer.byteLength(r.summary)).toBeLessThan(1024 * 1024);
  });

  test("without synthesized output it fails and says what to run", () => {
    const r = run("drift.sh", ["dev"], tempDir("empty-"), { PATH: `${bin}:${process.env.PATH}` });
    expect(r.code).toBe(1);
    expect(r.out).toContain("cdktf.out/stacks/gateway-dev/cdk.tf.json not found: run 'npm run synth' first");
  });
});

describe("require-shared-state.sh", () => {
  test("refuses a local backend, pointing at the environment file", () => {
    const r = run("require-shared-state.sh", ["dev"], projectWith(""));
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "::error file=config/environments/dev.yaml::gateway-dev keeps its Terraform state on the runner (state.backend: local)",
    );
  });

  test("refuses an s3 backend without a lock, pointing at the environment file and the README", () => {
    const r = run("require-shared-state.sh", ["dev"], projectWith("state:\n  backend: s3\n  bucket: b\n  key: k\n  region: r\n"));
    expect(r).toEqual({
      code: 1,
      out: "::error file=config/environments/dev.yaml::gateway-dev keeps its Terraform state in S3 without a lock (neither state.use_lockfile nor state.dynamodb_table is set): two deploys, or a deploy and the drift check, could write the state at once and corrupt it. Set state.use_lockfile: true (Terraform >= 1.10) or state.dynamodb_table in config/environments/dev.yaml (see README.md#deploying).\n",
    });
  });

  test("points at the README, which has the Deploying section", () => {
    const r = run("require-shared-state.sh", ["dev"], projectWith(""));
    expect(r.out).toContain("(see README.md#deploying).");
    expect(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")).toMatch(/^## Deploying$/m);
  });

  test.each<[string, string]>([
    ["s3", "state:\n  backend: s3\n  bucket: b\n  key: k\n  region: r\n  use_lockfile: true\n"],
    ["s3", "state:\n  backend: s3\n  bucket: b\n  key: k\n  region: r\n  dynamodb_table: locks\n"],
    ["gcs", "state:\n  backend: gcs\n  bucket: b\n  prefix: p\n"],
    ["azurerm", "state:\n  backend: azurerm\n  storage_account_name: s\n  container_name: c\n  key: k\n"],
    ["remote", "state:\n  backend: remote\n  organization: o\n  workspaces:\n    name: w\n"],
  ])("accepts %s", (backend, state) => {
    const r = run("require-shared-state.sh", ["dev"], projectWith(state));
    expect(r).toEqual({ code: 0, out: `gateway-dev: state in the ${backend} backend.\n` });
  });
});

describe("environments.sh", () => {
  const list = (...args: string[]) =>
    spawnSync("bash", [path.join(SCRIPTS, "environments.sh"), ...args], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", GATEWAY_CONFIG_DIR: EXAMPLE_CONFIG },
    });

  test("lists the config's environments in deploy order, as a JSON matrix", () => {
    const r = list();
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '["dev","staging","prod"]\n', stderr: "" });
  });

  test("with a name, lists just that environment, and fails on an unknown one", () => {
    expect(list("staging").stdout).toBe('["staging"]\n');
    const r = list("qa");
    expect(r.status).toBe(1);
    // The annotation on stderr: stdout goes to $GITHUB_OUTPUT.
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('::error::no environment "qa": expected one of dev, staging, prod (config/environments/<env>.yaml)\n');
  });

  test("lists .yml environment files as the loader does", () => {
    const dir = tempDir("envs-");
    fs.mkdirSync(path.join(dir, "environments"));
    fs.writeFileSync(path.join(dir, "gateway.yaml"), MINIMAL_GATEWAY);
    fs.writeFileSync(path.join(dir, "environments", "dev.yaml"), HOST);
    fs.writeFileSync(path.join(dir, "environments", "qa.yml"), HOST);
    fs.writeFileSync(path.join(dir, "environments", "notes.md"), "not an environment\n");
    const r = spawnSync("bash", [path.join(SCRIPTS, "environments.sh")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", GATEWAY_CONFIG_DIR: dir },
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(["dev", "qa"]);
    expect(loadConfig(dir).environments.map((e) => e.config.name).sort()).toEqual(["dev", "qa"]);
  });
});
