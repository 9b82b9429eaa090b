/** The deploy and drift workflows do what README.md#deploying promises. */
import { loadConfig } from "../../config/load";
import { stackName } from "../../databricks";
import { EXAMPLE_CONFIG } from "../helpers";
import { needsOf, readWorkflow, topologicalOrder } from "./workflow-files";

const deploy = readWorkflow(".github/workflows/deploy.yml").doc;
const drift = readWorkflow(".github/workflows/drift.yml").doc;
const ORDER = ["dev", "staging", "prod"];
const SECRET_ENV = ["DATABRICKS_HOST", "DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET"];

const steps = (job: any): any[] => job.steps;
const stepIndex = (job: any, match: (s: any) => boolean): number => steps(job).findIndex(match);
const runs = (cmd: string) => (s: any) => typeof s.run === "string" && s.run.trim() === cmd;
const uses = (action: string) => (s: any) => typeof s.uses === "string" && s.uses.startsWith(`${action}@`);
const hasSecret = (value: unknown) => /\bsecrets\./.test(JSON.stringify(value ?? {}));

describe("deploy.yml", () => {
  test("runs only on push to main and on a manual dispatch of one chosen environment", () => {
    expect(Object.keys(deploy.on).sort()).toEqual(["push", "workflow_dispatch"]);
    expect(deploy.on.push).toEqual({ branches: ["main"] });
    const input = deploy.on.workflow_dispatch.inputs.environment;
    expect(input).toEqual(expect.objectContaining({ type: "choice", required: true, options: ORDER }));
  });

  test("deploys dev, then staging, then prod, each needing the one before", () => {
    expect(Object.keys(deploy.jobs).sort()).toEqual([...ORDER].sort());
    expect(topologicalOrder(deploy.jobs)).toEqual(ORDER);
    expect(ORDER.map((env) => needsOf(deploy.jobs[env]))).toEqual([[], ["dev"], ["staging"]]);
  });

  test("deploys every configured environment", () => {
    const configured = loadConfig(EXAMPLE_CONFIG).environments.map((e) => e.config.name);
    expect([...ORDER].sort()).toEqual([...configured].sort());
  });

  describe.each(ORDER)("job %s", (env) => {
    const job = deploy.jobs[env];

    test("runs only from main, on push or when dispatched for this environment", () => {
      expect(job.if).toContain("github.ref == 'refs/heads/main'");
      expect(job.if).toContain(`inputs.environment == '${env}'`);
      expect(job.if).toContain("github.event_name == 'push'");
      for (const other of ORDER.filter((e) => e !== env)) expect(job.if).not.toContain(`'${other}'`);
    });

    test("is bound to the GitHub environment of the same name", () => {
      expect(typeof job.environment === "string" ? job.environment : job.environment?.name).toBe(env);
    });

    test("holds a concurrency group of its own and never cancels a running deploy", () => {
      expect(job.concurrency).toEqual({ group: `deploy-${env}`, "cancel-in-progress": false });
    });

    test("sets up Node with the npm cache, then npm ci, npm test, Terraform, deploy, in that order", () => {
      const node = stepIndex(job, uses("actions/setup-node"));
      expect(steps(job)[node].with).toEqual(expect.objectContaining({ cache: "npm" }));
      const ci = stepIndex(job, runs("npm ci"));
      const test = stepIndex(job, runs("npm test"));
      const terraform = stepIndex(job, uses("hashicorp/setup-terraform"));
      const deployStep = stepIndex(job, runs(`npx cdktf deploy ${stackName(env)} --auto-approve`));
      expect([node, ci, test, terraform, deployStep].every((i) => i >= 0)).toBe(true);
      expect([node, ci, test, terraform, deployStep]).toEqual([...[node, ci, test, terraform, deployStep]].sort((a, b) => a - b));
      // cdktf parses Terraform's output; the setup-terraform wrapper rewrites it.
      expect(steps(job)[terraform].with).toEqual(expect.objectContaining({ terraform_wrapper: false }));
    });

    test("refuses to deploy with state on the runner before deploying", () => {
      const guard = stepIndex(job, (s) => typeof s.run === "string" && s.run.includes(`require-shared-state.sh ${env}`));
      const deployStep = stepIndex(job, (s) => typeof s.run === "string" && s.run.includes("cdktf deploy"));
      expect(guard).toBeGreaterThanOrEqual(0);
      expect(guard).toBeLessThan(deployStep);
    });

    test("gives the Databricks OAuth M2M secrets of its environment to the deploy step only", () => {
      const deployStep = steps(job).find((s) => typeof s.run === "string" && s.run.includes("cdktf deploy"));
      for (const name of SECRET_ENV) expect(deployStep.env[name]).toBe(`\${{ secrets.${name} }}`);
      expect(hasSecret(deploy.env)).toBe(false);
      expect(hasSecret(job.env)).toBe(false);
      expect(steps(job).filter((s) => s !== deployStep && hasSecret(s))).toEqual([]);
    });
  });
});

/**
 * A job's `if:` evaluated as GitHub would, for the operators the deploy workflow uses (==, &&,
 * ||, !, parentheses, status functions): translated to JavaScript and run.
 */
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

describe("deploy.yml stage conditions, evaluated", () => {
  test("dev: every push to main, or dispatched for dev", () => {
    expect(runsWhen(deploy.jobs.dev, { event: "push" })).toBe(true);
    expect(runsWhen(deploy.jobs.dev, { event: "push", ref: "refs/heads/feature" })).toBe(false);
    expect(runsWhen(deploy.jobs.dev, { event: "workflow_dispatch", input: "dev" })).toBe(true);
    expect(runsWhen(deploy.jobs.dev, { event: "workflow_dispatch", input: "prod" })).toBe(false);
  });

  describe.each([
    ["staging", "dev"],
    ["prod", "staging"],
  ])("%s (after %s)", (env, prev) => {
    const job = deploy.jobs[env];

    // "cancelled" is also a pending deploy superseded by a newer run in the concurrency group.
    test.each<[string, boolean]>([
      ["success", true],
      ["failure", false],
      ["cancelled", false],
      ["skipped", false],
    ])("on push, the stage before it %s: runs %s", (result, expected) => {
      expect(runsWhen(job, { event: "push", needs: { [prev]: result } })).toBe(expected);
    });

    test("on push: not when the run was cancelled, nor off main", () => {
      expect(runsWhen(job, { event: "push", needs: { [prev]: "success" }, runCancelled: true })).toBe(false);
      expect(runsWhen(job, { event: "push", ref: "refs/heads/feature", needs: { [prev]: "success" } })).toBe(false);
    });

    test("dispatched: alone for this environment (the stage before skipped), never for another", () => {
      expect(runsWhen(job, { event: "workflow_dispatch", input: env, needs: { [prev]: "skipped" } })).toBe(true);
      for (const other of ORDER.filter((e) => e !== env)) {
        for (const result of ["skipped", "success"]) expect(runsWhen(job, { event: "workflow_dispatch", input: other, needs: { [prev]: result } })).toBe(false);
      }
    });
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
