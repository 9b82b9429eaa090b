/**
 * `npm run validate [-- --config DIR] [--strict]`: every problem of every environment, one line
 * each (`file:line:col path: message`), sorted by file and line. Exit 0 when clean (warnings are
 * printed but pass unless --strict), 1 on any error. Writes nothing.
 */
import { CommandHelp, CONFIG_FLAG, parseArgs, printHelpIfAsked, STRICT_FLAG, UsageError } from "./args";
import { githubAnnotation, hasErrorsOrStrict, summarizeProblems, Writable } from "./report";
import { formatProblem } from "../config/errors";
import { loadConfig, resolveConfigDir } from "../config/load";

export const VALIDATE_HELP: CommandHelp = {
  usage: "npm run validate [-- --config DIR] [--strict]",
  summary:
    "Validates every environment and prints every problem, one line each (file:line:col path: message),\nsorted by file and line. Writes nothing. In GitHub Actions, also one annotation per problem.",
  flags: [CONFIG_FLAG, STRICT_FLAG],
  exitCodes: [
    [0, "valid (warnings are printed but pass)"],
    [1, "any error, a warning with --strict, or a bad argument"],
  ],
};

export function runValidate(argv: readonly string[], env: NodeJS.ProcessEnv, out: Writable = process.stdout, err: Writable = process.stderr): number {
  if (printHelpIfAsked(argv, VALIDATE_HELP, out)) return 0;
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(`error: ${e.message}\n`);
    return 1;
  }
  const configDir = resolveConfigDir(args.config, env);
  const result = loadConfig(configDir, env);
  for (const p of result.problems) {
    err.write(`${formatProblem(p)}\n`);
    if (env.GITHUB_ACTIONS === "true") out.write(`${githubAnnotation(p)}\n`);
  }
  const failed = hasErrorsOrStrict(result.problems, args.strict);
  if (failed) {
    err.write(`${configDir}: ${summarizeProblems(result.problems)}${args.strict ? " (--strict: warnings fail)" : ""}\n`);
    return 1;
  }
  const endpoints = result.environments.reduce((n, e) => n + Object.keys(e.config.endpoints).length, 0);
  out.write(
    `${configDir}: valid: ${result.environments.length} environment(s) (${result.environments.map((e) => e.config.name).join(", ")}), ${endpoints} endpoint(s), ${summarizeProblems(result.problems)}\n`,
  );
  return 0;
}

if (require.main === module) process.exitCode = runValidate(process.argv.slice(2), process.env);
