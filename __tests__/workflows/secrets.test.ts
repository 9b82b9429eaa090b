/** No workflow prints a secret: secrets travel only through env:/with:, and no script echoes them. */
import { parse } from "yaml";
import { readWorkflow, secretExposures, workflowFiles } from "./workflow-files";

describe("secret hygiene of every workflow", () => {
  test.each(workflowFiles())("%s never prints a secret", (file) => {
    expect(secretExposures(readWorkflow(file).doc)).toEqual([]);
  });
});

describe("the secret-hygiene check itself", () => {
  const workflow = (job: string) => parse(`on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n${job}`);

  test.each<[string, string, string]>([
    [
      "a secret expression inside run:",
      "    steps:\n      - run: ./deploy --token ${{ secrets.TOKEN }}\n",
      "jobs.j.steps[0].run: a secret may only be passed through env: or with:, found here",
    ],
    [
      "a secret in a step name",
      "    steps:\n      - name: deploy ${{ secrets.HOST }}\n        run: true\n",
      "jobs.j.steps[0].name: a secret may only be passed through env: or with:, found here",
    ],
    [
      "toJSON(secrets)",
      "    steps:\n      - run: true\n        env:\n          ALL: ${{ toJSON(secrets) }}\n",
      "jobs.j.steps[0].env.ALL: toJSON(secrets) exposes every secret",
    ],
    [
      "echo of a secret-bound variable",
      "    steps:\n      - run: |\n          echo \"host is $DATABRICKS_HOST\"\n        env:\n          DATABRICKS_HOST: ${{ secrets.DATABRICKS_HOST }}\n",
      'jobs.j.steps[0].run: prints secret-bound $DATABRICKS_HOST: echo "host is $DATABRICKS_HOST"',
    ],
    [
      "an env expression of a secret-bound variable pasted into the script",
      "    env:\n      T: ${{ secrets.T }}\n    steps:\n      - run: ./x --token ${{ env.T }}\n",
      "jobs.j.steps[0].run: ${{ env.T }} pastes a secret into the script",
    ],
    [
      "printenv with secrets in the job environment",
      "    env:\n      T: ${{ secrets.T }}\n    steps:\n      - run: printenv | sort\n",
      "jobs.j.steps[0].run: printenv prints the environment, which holds T",
    ],
    [
      "set -x with secrets in the step environment",
      "    steps:\n      - run: |\n          set -euxo pipefail\n          ./deploy\n        env:\n          T: ${{ secrets.T }}\n",
      "jobs.j.steps[0].run: set -x prints the environment, which holds T",
    ],
  ])("catches %s", (_name, job, problem) => {
    expect(secretExposures(workflow(job))).toContain(problem);
  });

  test("passes secrets through env: and with: that no script prints", () => {
    const ok = workflow(
      [
        "    steps:",
        "      - uses: some/action@v1",
        "        with:",
        "          token: ${{ secrets.T }}",
        "      - run: |",
        "          set -eu",
        "          echo deploying",
        "          ./deploy --host-from-env",
        "        env:",
        "          T: ${{ secrets.T }}",
        "",
      ].join("\n"),
    );
    expect(secretExposures(ok)).toEqual([]);
  });
});
