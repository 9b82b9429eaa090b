/**
 * Prints the environments of config/environments/ (or $GATEWAY_CONFIG_DIR) as a JSON array in
 * deploy order (`deploy.order`, see README.md#deploying), for a workflow's job matrix.
 * With an environment name (a manual dispatch), prints just that one, or fails when the config
 * has no such environment. Exit 1 with the problems when the config is not valid.
 */
import { escapeData } from "../../cli/report";
import { deployOrder } from "../../config/deploy-order";
import { formatProblem } from "../../config/errors";
import { loadConfig, resolveConfigDir } from "../../config/load";

export function listEnvironments(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (t: string) => void,
  err: (t: string) => void,
): number {
  const result = loadConfig(resolveConfigDir(undefined, env));
  const errors = result.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    // Escaped as workflow-command data: a file name with a newline cannot start another command.
    for (const p of errors) err(`::error::${escapeData(formatProblem(p))}\n`);
    return 1;
  }
  const names = deployOrder(result.environments.map((e) => e.config));
  const only = argv[0];
  if (only === undefined || only === "") {
    out(`${JSON.stringify(names)}\n`);
    return 0;
  }
  if (!names.includes(only)) {
    err(`::error::no environment "${only.replace(/[^a-z0-9-]/g, "?")}": expected one of ${names.join(", ")} (config/environments/<env>.yaml)\n`);
    return 1;
  }
  out(`${JSON.stringify([only])}\n`);
  return 0;
}

if (require.main === module) process.exitCode = listEnvironments(process.argv.slice(2), process.env, (t) => process.stdout.write(t), (t) => process.stderr.write(t));
