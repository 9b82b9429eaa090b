/**
 * The deploy and drift workflows do what README.md#deploying promises, for any set of
 * environments: the environment list and order come from config/environments/ (deploy.order),
 * never from the workflow.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { listEnvironments } from "../../.github/scripts/environments";
import { stackName } from "../../databricks";
import { EXAMPLE_CONFIG, REPO_ROOT, tempDir, writeTree } from "../helpers";
import { needsOf, readWorkflow } from "./workflow-files";

const deploy = readWorkflow(".github/workflows/deploy.yml").doc;
const drift = readWorkflow(".github/workflows/drift.yml").doc;
const SECRET_ENV = ["DATABRICKS_HOST", "DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET"];
const MATRIX = "${{ fromJSON(needs.environments.outputs.names) }}";

const steps = (job: any): any[] => job.steps;
const stepIndex = (job: any, match: (s: any) => boolean): number => steps(job).findIndex(match);
const runs = (cmd: string) => (s: any) => typeof s.run === "string" && s.run.trim() === cmd;
const uses = (action: string) => (s: any) => typeof s.uses === "string" && s.uses.startsWith(`${action}@`);
const hasSecret = (value: unknown) => /\bsecrets\./.test(JSON.stringify(value ?? {}));

/** Environments, with and without deploy.order: not the example's set, nor its order. */
const OTHER_ENVIRONMENTS = writeTree({
  "gateway.yaml": fs.readFileSync(path.join(EXAMPLE_CONFIG, "gateway.yaml"), "utf8"),
  "environments/sandbox.yaml": "workspace: { host: https://dbc-sb.cloud.databricks.com }\n",
  "environments/qa.yaml": "deploy: { order: 5 }\nworkspace: { host: https://dbc-qa.cloud.databricks.com }\n",
  "environments/prod-eu.yaml": "deploy: { order: 20 }\nworkspace: { host: https://dbc-eu.cloud.databricks.com }\n",
  "environments/prod-us.yaml": "deploy: { order: 20 }\nworkspace: { host: https://dbc-us.cloud.databricks.com }\n",
  "environments/int.yaml": "deploy: { order: 10 }\nworkspace: { host: https://dbc-int.cloud.databricks.com }\n",
});

/** What the `environments` job outputs for a config dir (and an optional dispatched environment). */
function listed(configDir: string, only?: string): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = listEnvironments(only === undefined ? [] : [only], { GATEWAY_CONFIG_DIR: configDir }, (t) => (out += t), (t) => (err += t));
  return { code, out, err };
}

/**
 * Runs a workflow's `list` step as GitHub runs it (`bash -e -o pipefail`, $GITHUB_OUTPUT a file)
 * against a config dir: its exit code, what it wrote to $GITHUB_OUTPUT, and its stderr.
 */
function runListStep(workflow: any, configDir: string, only = ""): { status: number | null; output: string; stderr: string } {
  const step = workflow.jobs.environments.steps.find((s: any) => s.id === "list");
  const output = path.join(tempDir("gh-output-"), "output");
  fs.writeFileSync(output, "");
  const r = spawnSync("bash", ["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step.run], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: output, GATEWAY_CONFIG_DIR: configDir, ONLY: only },
  });
  return { status: r.status, output: fs.readFileSync(output, "utf8"), stderr: r.stderr };
}

/** A config whose deploy.order is not a number. */
const BAD_ORDER = writeTree({
  "gateway.yaml": fs.readFileSync(path.join(EXAMPLE_CONFIG, "gateway.yaml"), "utf8"),
  "environments/dev.yaml": "deploy: { order: one }\nworkspace: { host: https://dbc-1.cloud.databricks.com }\n",
});

/** The deploy job as GitHub instantiates it for one matrix value. */
function instantiate(job: any, environment: string): any {
  return JSON.parse(JSON.stringify(job).replace(/\$\{\{ matrix\.environment \}\}/g, environment));
}

/** A job's `if:` evaluated as GitHub would, for ==, &&, ||, !, parentheses and status functions. */
function runsWhen(job: any, when: { event: "push" | "workflow_dispatch"; input?: string; ref?: string; needs?: Record<string, string>; runCancelled?: boolean }): boolean {
  const expr = String(job.if).replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  expect(expr).toMatch(/^[\w\s.'()!=&|/-]*$/);
  const js = expr.replace(/!=/g, "\u0000").replace(/==/g, "===").replace(/\u0000/g, "!==");
  const results = Object.values(when.needs ?? {});
  const fn = new Function("github", "inputs", "needs", "cancelled", "failure", "success", "always", `return (${js});`);
  return fn(
    { ref: when.ref ?? "refs/heads/main", event_name: when.event },
    { environment: when.input ?? "" },
    Object.fromEntries(Object.entries(when.needs ?? {}).map(([k, result]) => [k, { result }])),
    () => when.runCancelled === true,
    () => results.includes("failure"),
    () => results.every((r) => r === "success") && when.runCancelled !== true,
    () => true,
  ) as boolean;
}


describe("deploy.yml", () => {
  test("runs only on push to main and on a manual dispatch of one environment, named freely", () => {
    expect(Object.keys(deploy.on).sort()).toEqual(["push", "workflow_dispatch"]);
    expect(deploy.on.push).toEqual({ branches: ["main"] });
    const input = deploy.on.workflow_dispatch.inputs.environment;
    // A choice list would have to be edited for each new environment.
    expect(input).toEqual(expect.objectContaining({ type: "string", required: true }));
    expect(input.options).toBeUndefined();
  });

  test("lists the environments in a job of its own, only on main, then deploys them as a matrix", () => {
    expect(Object.keys(deploy.jobs).sort()).toEqual(["deploy", "environments"]);
    const list = deploy.jobs.environments;
    expect(runsWhen(list, { event: "push" })).toBe(true);
    expect(runsWhen(list, { event: "workflow_dispatch", input: "dev" })).toBe(true);
    expect(runsWhen(list, { event: "push", ref: "refs/heads/feature" })).toBe(false);
    const step = list.steps.find((s: any) => s.id === "list");
    expect(step.run).toMatch(/\.github\/scripts\/environments\.sh "\$ONLY"/);
    expect(step.env).toEqual({ ONLY: "${{ inputs.environment }}" });
    expect(stepIndex(list, runs("npm ci"))).toBeLessThan(list.steps.indexOf(step));
    expect(list.outputs).toEqual({ names: "${{ steps.list.outputs.names }}" });
    expect(needsOf(deploy.jobs.deploy)).toEqual(["environments"]);
  });

  test("deploys one environment at a time, in the listed order, and stops at the first failure", () => {
    expect(deploy.jobs.deploy.strategy).toEqual({ "max-parallel": 1, "fail-fast": true, matrix: { environment: MATRIX } });
    expect(deploy.jobs.deploy.if).toBeUndefined();
  });

  test("hard-codes no environment name", () => {
    const text = readWorkflow(".github/workflows/deploy.yml").text.replace(/^\s*#.*$/gm, "");
    for (const name of ["dev", "staging", "prod"]) expect(text).not.toMatch(new RegExp(`\\b${name}\\b`));
  });

  describe.each<[string, string, string[]]>([
    ["the example", EXAMPLE_CONFIG, ["dev", "staging", "prod"]],
    ["another set of environments", OTHER_ENVIRONMENTS, ["qa", "int", "prod-eu", "prod-us", "sandbox"]],
  ])("with %s", (_, configDir, order) => {
    test("the matrix is every environment in deploy order (deploy.order, then by name)", () => {
      expect(listed(configDir)).toEqual({ code: 0, out: `${JSON.stringify(order)}\n`, err: "" });
    });

    test("a dispatch deploys the one environment chosen, and an unknown one fails the run", () => {
      for (const env of order) expect(listed(configDir, env)).toEqual({ code: 0, out: `${JSON.stringify([env])}\n`, err: "" });
      expect(listed(configDir, "nope")).toEqual({ code: 1, out: "", err: `::error::no environment "nope": expected one of ${order.join(", ")} (config/environments/<env>.yaml)\n` });
    });

    test.each(order)("job for %s: its GitHub environment, its own concurrency group, its stack", (env) => {
      const job = instantiate(deploy.jobs.deploy, env);
      expect(job.name).toBe(`deploy ${stackName(env)}`);
      expect(job.environment).toBe(env);
      expect(job.concurrency).toEqual({ group: `deploy-${env}`, "cancel-in-progress": false });
      const deployStep = steps(job).find((s) => typeof s.run === "string" && s.run.includes("cdktf deploy"));
      expect(deployStep.run).toBe('npx cdktf deploy "gateway-$ENVIRONMENT" --auto-approve');
      expect(deployStep.env.ENVIRONMENT).toBe(env);
    });
  });

  test("an invalid config or deploy.order fails the listing with the problem's file and line", () => {
    const dir = writeTree({
      "gateway.yaml": fs.readFileSync(path.join(EXAMPLE_CONFIG, "gateway.yaml"), "utf8"),
      "environments/dev.yaml": "deploy: { order: -1 }\nworkspace: { host: https://dbc-1.cloud.databricks.com }\n",
    });
    const r = listed(dir);
    expect(r.code).toBe(1);
    // On stderr: the workflow writes stdout to $GITHUB_OUTPUT.
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^::error::.*environments\/dev\.yaml:1:\d+ deploy\.order: /);
  });

  describe.each<[string, any, string]>([
    ["deploy.yml", deploy, "dev"],
    ["drift.yml", drift, ""],
  ])("%s's list step, run as GitHub runs it (bash -e -o pipefail)", (_, workflow, only) => {
    test("fails on a config error, annotates it, and writes nothing to $GITHUB_OUTPUT", () => {
      const r = runListStep(workflow, BAD_ORDER, only);
      expect(r.status).not.toBe(0);
      expect(r.output).toBe("");
      expect(r.stderr).toMatch(/^::error::.*environments\/dev\.yaml:1:\d+ deploy\.order: /m);
    });

    test("outputs the names for a valid config", () => {
      const r = runListStep(workflow, OTHER_ENVIRONMENTS, only === "" ? "" : "qa");
      expect(r).toEqual({
        status: 0,
        output: only === "" ? 'names=["qa","int","prod-eu","prod-us","sandbox"]\n' : 'names=["qa"]\n',
        stderr: "",
      });
    });
  });

  describe("the deploy job", () => {
    const job = deploy.jobs.deploy;

    test("sets up Node with the npm cache, then npm ci, npm test, Terraform, the guards, deploy, in that order", () => {
      const node = stepIndex(job, uses("actions/setup-node"));
      expect(steps(job)[node].with).toEqual(expect.objectContaining({ cache: "npm" }));
      const ci = stepIndex(job, runs("npm ci"));
      const test = stepIndex(job, runs("npm test"));
      const terraform = stepIndex(job, uses("hashicorp/setup-terraform"));
      const state = stepIndex(job, runs('npm run synth && .github/scripts/require-shared-state.sh "$ENVIRONMENT"'));
      const previous = stepIndex(job, runs('.github/scripts/previous-stage.sh "$ENVIRONMENT"'));
      const deployStep = stepIndex(job, (s) => typeof s.run === "string" && s.run.includes("cdktf deploy"));
      const order = [node, ci, test, terraform, state, previous, deployStep];
      expect(order.every((i) => i >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      // cdktf parses Terraform's output; the setup-terraform wrapper rewrites it.
      expect(steps(job)[terraform].with).toEqual(expect.objectContaining({ terraform_wrapper: false }));
      expect(steps(job)[state].env).toEqual({ ENVIRONMENT: "${{ matrix.environment }}" });
      expect(steps(job)[previous].env).toEqual({
        ENVIRONMENT: "${{ matrix.environment }}",
        ORDER: "${{ needs.environments.outputs.names }}",
        GH_TOKEN: "${{ github.token }}",
      });
      expect(deploy.permissions).toEqual({ contents: "read", actions: "read" });
    });

    test("gives the Databricks OAuth M2M secrets of its environment to the deploy step only", () => {
      const deployStep = steps(job).find((s) => typeof s.run === "string" && s.run.includes("cdktf deploy"));
      for (const name of SECRET_ENV) expect(deployStep.env[name]).toBe(`\${{ secrets.${name} }}`);
      expect(hasSecret(deploy.env)).toBe(false);
      expect(hasSecret(job.env)).toBe(false);
      expect(steps(job).filter((s) => s !== deployStep && hasSecret(s))).toEqual([]);
      expect(hasSecret(deploy.jobs.environments)).toBe(false);
    });
  });
});

/**
 * previous-stage.sh, run for real with a stand-in `gh` on PATH that answers this run's jobs API
 * call from a file: each environment deploys only after the one before it succeeded in the run.
 */
describe("previous-stage.sh", () => {
  const bin = tempDir("gh-");
  fs.writeFileSync(
    path.join(bin, "gh"),
    [
      "#!/usr/bin/env bash",
      '[[ "$1 $2 $3 $4" == "api --paginate repos/acme/gateway/actions/runs/42/jobs?filter=latest --jq" ]] || { echo "unexpected: $*" >&2; exit 2; }',
      'jq -r "$5" "$JOBS_FILE"',
      "",
    ].join("\n"),
    { mode: 0o755 },
  );

  function guard(env: string, order: string[], jobs: Record<string, string | null>) {
    const jobsFile = path.join(tempDir("jobs-"), "jobs.json");
    const list = Object.entries(jobs).map(([e, conclusion]) => ({ name: `deploy gateway-${e}`, conclusion }));
    fs.writeFileSync(jobsFile, JSON.stringify({ total_count: list.length + 1, jobs: [{ name: "list environments", conclusion: "success" }, ...list] }));
    const r = spawnSync("bash", [path.join(REPO_ROOT, ".github/scripts/previous-stage.sh"), env], {
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        ORDER: JSON.stringify(order),
        JOBS_FILE: jobsFile,
        GH_TOKEN: "t",
        GITHUB_REPOSITORY: "acme/gateway",
        GITHUB_RUN_ID: "42",
      },
    });
    return { code: r.status, out: r.stdout + r.stderr };
  }

  test.each<[string[]]>([[["dev", "staging", "prod"]], [["qa", "int", "prod-eu", "prod-us", "sandbox"]]])("order %j: the first always deploys", (order) => {
    expect(guard(order[0], order, {})).toEqual({ code: 0, out: `gateway-${order[0]} is the first environment of this run.\n` });
  });

  // "cancelled" is also a pending deploy superseded by a newer run in the concurrency group.
  test.each<[string | null, number]>([
    ["success", 0],
    ["failure", 1],
    ["cancelled", 1],
    ["skipped", 1],
    [null, 1],
  ])("the environment before concluded %s: exit %s", (conclusion, code) => {
    const order = ["qa", "int", "prod-eu"];
    const r = guard("int", order, { qa: conclusion, "prod-eu": "success" });
    expect(r.code).toBe(code);
    expect(r.out).toBe(
      code === 0
        ? "gateway-qa succeeded; deploying gateway-int.\n"
        : `::error::gateway-int deploys only after gateway-qa succeeded in this run (gateway-qa: ${conclusion ?? "not finished"}).\n`,
    );
  });

  test("the environment before missing from the run (it never started) stops the deploy", () => {
    expect(guard("staging", ["dev", "staging", "prod"], { prod: "success" })).toEqual({
      code: 1,
      out: "::error::gateway-staging deploys only after gateway-dev succeeded in this run (gateway-dev: not finished).\n",
    });
  });

  test("an environment not in the run's order is an error, not a deploy", () => {
    expect(guard("eu", ["dev", "prod"], { dev: "success" }).code).not.toBe(0);
  });
});

describe("drift.yml", () => {
  test("runs nightly and on demand, never on push", () => {
    expect(Object.keys(drift.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(drift.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
  });

  test("checks every environment listed from config/environments, one failing job each", () => {
    const job = drift.jobs.drift;
    expect(needsOf(job)).toEqual(["environments"]);
    expect(job.strategy).toEqual({
      "fail-fast": false,
      matrix: { environment: "${{ fromJSON(needs.environments.outputs.names) }}" },
    });
    expect(drift.jobs.environments.steps.some((s: any) => /\.github\/scripts\/environments\.sh/.test(s.run ?? ""))).toBe(true);
  });

  test("uses <env>-drift environments, so a nightly run never waits for prod's reviewers", () => {
    expect(drift.jobs.drift.environment).toBe("${{ matrix.environment }}-drift");
  });

  test("shares no concurrency group with deploys (a waiting check would cancel a waiting deploy)", () => {
    expect(drift.concurrency).toBeUndefined();
    expect(drift.jobs.drift.concurrency).toBeUndefined();
  });

  test("synthesizes, then plans with detailed exit codes on the unwrapped Terraform binary", () => {
    const job = drift.jobs.drift;
    const terraform = stepIndex(job, uses("hashicorp/setup-terraform"));
    expect(steps(job)[terraform].with).toEqual(expect.objectContaining({ terraform_wrapper: false }));
    const synth = stepIndex(job, runs("npm run synth"));
    const check = stepIndex(job, runs('.github/scripts/drift.sh "$ENVIRONMENT"'));
    expect(terraform).toBeLessThan(check);
    expect(synth).toBeLessThan(check);
    expect(steps(job)[check].env).toEqual(
      expect.objectContaining({ ENVIRONMENT: "${{ matrix.environment }}", ...Object.fromEntries(SECRET_ENV.map((n) => [n, `\${{ secrets.${n} }}`])) }),
    );
  });
});
