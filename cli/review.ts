/**
 * `npm run review -- --base REF [--config DIR] [--format markdown|json] [--max-chars N] [--out FILE] [--strict]`
 *
 * Synthesizes the config in the working tree and the config as it is at git REF, and prints the
 * review of the difference: the policy report, who gets what, and every change with its class.
 * Exit 0; 2 when a change needs an explicit sign-off (or the base cannot be validated or
 * synthesized, and is compared as empty); 1 on errors (bad arguments, unknown ref, or a head
 * config that does not validate, whose problems are printed like `npm run validate`, or does not
 * synthesize).
 */
import "../stacks/cdktf-internals";
import { ConfigProblem, formatProblem } from "../config/errors";
import { fromInvocationDir, hasErrors, LoadedEnvironment, loadConfig, resolveConfigDir } from "../config/load";
import type { PathSegment } from "../config/errors";
import { LNode, locate, parseYamlFile } from "../config/located";
import * as fs from "fs";
import { exitCodeFor, renderMarkdown, ReviewOptions, reviewStacks } from "../review";
import * as path from "path";
import { configAtRef, GitError, repositoryRoot } from "../review/git-base";
import type { Notice } from "../review/types";
import type { EnvironmentConfig } from "../config/schema";
import { SynthesisError, synthesizeInMemory } from "../stacks/synth-memory";
import { CommandHelp, CONFIG_FLAG, parseArgs, printHelpIfAsked, UsageError } from "./args";
import { hasErrorsOrStrict, summarizeProblems } from "./report";

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: Output = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

const USAGE = "usage: npm run review -- --base REF [--config DIR] [--format markdown|json] [--max-chars N] [--out FILE] [--strict]";

export const REVIEW_HELP: CommandHelp = {
  usage: "npm run --silent review -- --base REF [options]",
  summary:
    "Reviews what the working tree's config changes against git REF: the policy report, who gets what,\nand every change with its class (Markdown on stdout, or FILE with --out).",
  flags: [
    { name: "base", value: "REF", help: "the git branch, tag or commit to compare with (required)" },
    CONFIG_FLAG,
    { name: "format", value: "FMT", help: "markdown (default) or json (the review and its exit code)" },
    {
      name: "max-chars",
      value: "N",
      help: "cut the Markdown at N characters, with a note saying so (a GitHub comment holds 65,536; CI uses 60000)",
    },
    { name: "out", value: "FILE", help: "write the review to FILE instead of stdout (a relative FILE is from where you ran the command)" },
    { name: "strict", help: "warnings in the head config fail the review (exit 1)" },
  ],
  exitCodes: [
    [0, "reviewed; nothing needs a sign-off"],
    [2, "reviewed; a change replaces an endpoint, is not applied by the provider, or loosens policy in a\n     protected environment (or the base cannot be reviewed): it needs an explicit sign-off"],
    [1, "bad arguments, unknown REF, or a head config that does not validate or synthesize"],
  ],
  more: "With npm, use `npm run --silent review ... > review.md` (or --out review.md): without --silent,\nnpm prints its own banner on stdout first.",
};

interface ReviewArgs {
  readonly base: string;
  readonly configDir: string;
  readonly format: "markdown" | "json";
  readonly maxChars?: number;
  /** `--out FILE`, resolved; undefined: stdout. */
  readonly out?: string;
  readonly strict: boolean;
}

function reviewArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ReviewArgs {
  const args = parseArgs(argv, ["base", "format", "max-chars", "out"]);
  const base = args.extra.base;
  if (!base) throw new UsageError(`--base REF is required (the git branch, tag or commit to compare with)\n${USAGE}`);
  const format = args.extra.format ?? "markdown";
  if (format !== "markdown" && format !== "json") throw new UsageError(`--format must be markdown or json, got "${format}"`);
  const maxChars = args.extra["max-chars"] === undefined ? undefined : Number(args.extra["max-chars"]);
  if (maxChars !== undefined && !(Number.isInteger(maxChars) && maxChars > 0)) {
    throw new UsageError(`--max-chars must be a positive integer, got "${args.extra["max-chars"]}"`);
  }
  const outFile = args.extra.out === undefined ? undefined : fromInvocationDir(args.extra.out, env);
  return { base, configDir: resolveConfigDir(args.config, env), format, maxChars, out: outFile, strict: args.strict };
}

/** Synthesizes environments in memory (replaceable in tests). */
export type Synthesize = (environments: readonly EnvironmentConfig[]) => Record<string, unknown>;

/** A base that cannot be reviewed: compared as empty, with a notice that needs sign-off. */
function unreviewableBase(text: string): Base {
  return { stacks: {}, notices: [{ text: `${text}, so it is compared as empty: every endpoint shows as new.`, signOff: true }] };
}

/**
 * The base config, synthesized; a base that does not validate or does not synthesize becomes a
 * notice, not an error.
 */
interface Base {
  readonly stacks: Record<string, unknown>;
  readonly notices: Notice[];
  /** The base's merged trees; their files are already named `ref:path` (to locate what the head removed). */
  readonly trees?: ReadonlyMap<string, { tree: LoadedEnvironment["tree"]; file: (f: string) => string }>;
}

function synthesizeBase(configDir: string, ref: string, out: Output, synthesize: Synthesize, env: NodeJS.ProcessEnv): Base {
  const at = configAtRef(configDir, ref, env);
  if (!at.result) {
    return { stacks: {}, notices: [{ text: `${at.label} does not exist: every environment and endpoint is new.`, signOff: false }] };
  }
  const problems: ConfigProblem[] = at.result.problems;
  if (hasErrors(problems)) {
    // For example a rule added in this very change that the old config breaks: the review
    // cannot tell what changes, so it asks for a sign-off rather than failing the PR.
    for (const p of problems) out.stderr(`base: ${formatProblem(p)}\n`);
    return unreviewableBase(`The config at ${ref} does not validate with this version of the code (${summarizeProblems(problems)}; listed on stderr)`);
  }
  try {
    const file = (f: string) => f;
    const trees = new Map(at.result.environments.map((e) => [e.config.name, { tree: e.tree, file }]));
    return { stacks: synthesize(at.result.environments.map((e) => e.config)), notices: [], trees };
  } catch (e) {
    if (!(e instanceof SynthesisError)) throw e;
    out.stderr(`base: ${e.message}\n`);
    return unreviewableBase(`The config at ${ref} validates but does not synthesize with this version of the code (listed on stderr)`);
  }
}

/**
 * `config/environments/prod.yaml:20`: the line of the head config that sets a changed value.
 * The merged tree keeps, for each value, the place of the layer that set it (defaults, endpoint,
 * environment defaults, environment endpoint); a value the change removed points at the nearest
 * map that still exists (its parent), an endpoint the change removed at its place in the base
 * (`main:config/gateway.yaml:40`), and a change of the environment itself at its file.
 */
export function changeLocator(environments: readonly LoadedEnvironment[], root: string, base?: Base["trees"]): NonNullable<ReviewOptions["locate"]> {
  const trees = new Map(environments.map((e) => [e.config.name, e.tree]));
  // Relative to the repository, as the pull request shows files; `/` on every platform.
  const file = (f: string) => path.relative(root, path.resolve(f)).split(path.sep).join("/");
  // The environment file as written (the merged tree has no disabled endpoints), parsed once.
  const parsed = new Map<string, LNode | undefined>();
  const environmentFile = (f: string): LNode | undefined => {
    if (!parsed.has(f)) {
      let root: LNode | undefined;
      try {
        root = parseYamlFile(f, fs.readFileSync(f, "utf8")).root;
      } catch {
        root = undefined; // read a moment ago by the loader; a location is not worth failing for
      }
      parsed.set(f, root);
    }
    return parsed.get(f);
  };
  return (environment, endpoint, field) => {
    const tree = trees.get(environment);
    if (!tree) return undefined;
    let at: PathSegment[];
    if (field && field[0] === "$environment") at = field.slice(1) as PathSegment[];
    else if (endpoint?.startsWith(SERVICES)) at = ["ai_gateway_services", endpoint.slice(SERVICES.length), ...((field ?? []) as PathSegment[])];
    else if (endpoint !== undefined) at = ["endpoints", endpoint, ...((field ?? []) as PathSegment[])];
    else return `${file(tree.origin.file)}:1`;
    // A whole endpoint (or setting) is where its key is written, not its first field.
    const options = { atKey: !field || field.length === 0 || field[0] === "$environment" };
    const found = locate(tree, at, options);
    if (!found.found && endpoint !== undefined && !endpoint.startsWith(SERVICES) && !locate(tree, ["endpoints", endpoint]).found) {
      // Gone from the head: switched off in the environment file, or deleted (then where it was).
      const own = environmentFile(tree.origin.file);
      const disabled = own && locate(own, ["endpoints", endpoint, "enabled"]);
      if (disabled?.found) return `${file(disabled.origin.file)}:${disabled.origin.line}`;
      const old = base?.get(environment);
      const before = old && locate(old.tree, at, options);
      if (old && before?.found) return `${old.file(before.origin.file)}:${before.origin.line}`;
    }
    return `${file(found.origin.file)}:${found.origin.line}`;
  };
}

/** How a service change names its place (review/services/changes.ts `serviceLocation`). */
const SERVICES = "ai_gateway_services.";

/** Runs the review; returns the exit code. */
export function runReview(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  out: Output = processOutput,
  synthesize: Synthesize = synthesizeInMemory,
): number {
  if (printHelpIfAsked(argv, REVIEW_HELP, { write: (t) => out.stdout(t) })) return 0;
  let args: ReviewArgs;
  try {
    args = reviewArgs(argv, env);
  } catch (e) {
    if (e instanceof UsageError) {
      out.stderr(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }

  const head = loadConfig(args.configDir, env);
  for (const p of head.problems) out.stderr(`${formatProblem(p)}\n`);
  if (hasErrorsOrStrict(head.problems, args.strict)) {
    out.stderr(`${summarizeProblems(head.problems)}; the change was not reviewed.\n`);
    return 1;
  }

  let base: Base;
  try {
    base = synthesizeBase(args.configDir, args.base, out, synthesize, env);
  } catch (e) {
    if (e instanceof GitError) {
      out.stderr(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }

  let headStacks: Record<string, unknown>;
  try {
    headStacks = synthesize(head.environments.map((e) => e.config));
  } catch (e) {
    if (!(e instanceof SynthesisError)) throw e;
    out.stderr(`error: ${e.message}\nThe config validates but does not synthesize; the change was not reviewed.\n`);
    return 1;
  }
  const review = reviewStacks(base.stacks, headStacks, {
    order: head.environments.map((e) => e.config.name),
    baseLabel: args.base,
    headLabel: "working tree",
    notices: base.notices,
    locate: changeLocator(head.environments, repositoryRoot(args.configDir), base.trees),
  });
  const text = args.format === "json" ? `${JSON.stringify({ ...review, exitCode: exitCodeFor(review) }, null, 2)}\n` : renderMarkdown(review, { maxChars: args.maxChars });
  if (args.out === undefined) out.stdout(text);
  else {
    try {
      fs.writeFileSync(args.out, text);
    } catch (e) {
      out.stderr(`error: cannot write the review to ${args.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 1;
    }
    out.stderr(`review written to ${args.out} (exit ${exitCodeFor(review)})\n`);
  }
  return exitCodeFor(review);
}

if (require.main === module) {
  process.exitCode = runReview(process.argv.slice(2));
}
