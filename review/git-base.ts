/**
 * The config as it is at a git ref, read straight from git's object store into memory: nothing
 * is written to disk, and the working tree, the index and HEAD are untouched. A ref's tree is
 * untrusted (a pull request can craft entries named `..`, absolute-looking names, symlinks or
 * submodules), so only regular-file blobs at the exact paths the loader reads are taken, each
 * under the same size cap, and validated by the same code as the working tree's config.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { ConfigProblem } from "../config/errors";
import { environmentFiles, LoadResult, maxConfigBytes, MAX_CONFIG_BYTES_ENV, NO_ENVIRONMENTS, NO_GATEWAY, validateFiles } from "../config/load";
import { parseYamlFile, ParsedFile } from "../config/located";

/** A git problem the user must fix (unknown ref, not a repository); exit 1. */
export class GitError extends Error {}

/** No git command here should take long; one that does (a huge or broken repository) is stopped. */
export const GIT_TIMEOUT_MS = 60_000;

export interface ConfigAtRef {
  /** `ref:path/in/repo/`, the prefix of every file name in messages about the base. */
  readonly label: string;
  /** The base config, loaded and validated; undefined when the config does not exist at the ref. */
  readonly result?: LoadResult;
}

function git(args: readonly string[], cwd: string, input?: Buffer, maxBuffer = 64 << 20): Buffer {
  const result = spawnSync("git", args, {
    cwd,
    input,
    maxBuffer,
    timeout: GIT_TIMEOUT_MS,
    killSignal: "SIGKILL",
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === "ETIMEDOUT") throw new GitError(`git ${args[0]} did not finish within ${GIT_TIMEOUT_MS / 1000} s in ${cwd}: check the repository (git fsck) and run again`);
    throw new GitError(`cannot run git ${args[0]} in ${cwd}: ${code ?? result.error.message}: install git or check the directory`);
  }
  if (result.status !== 0) {
    throw new GitError(`git ${args.join(" ")} failed: ${result.stderr.toString().trim().split("\n")[0] || `exit ${result.status}`}`);
  }
  return result.stdout;
}

/** One entry of `git ls-tree -r -l -z`. */
interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly id: string;
  readonly size: number;
  /** The path relative to the config directory. */
  readonly rel: string;
}

/** Regular files: a symlink (120000) or submodule (160000) is never config. */
const REGULAR_FILE_MODES = new Set(["100644", "100755"]);

/** Each `/`-separated part is a plain name: no `..`, `.`, empty part, absolute path or backslash. */
export function isSafeRelativePath(rel: string): boolean {
  return rel.length > 0 && !rel.includes("\\") && !rel.includes("\0") && rel.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

/** The entries of `gateway.yaml` and `environments/` under `prefix` at `commit`. */
function listConfigEntries(top: string, commit: string, prefix: string): TreeEntry[] {
  // Literal: a directory named `:infra` or `a[1]` is a path, not pathspec magic or a glob.
  const out = git(["--literal-pathspecs", "ls-tree", "-r", "-l", "-z", commit, "--", `${prefix}gateway.yaml`, `${prefix}environments/`], top).toString("utf8");
  const entries: TreeEntry[] = [];
  for (const line of out.split("\0")) {
    // `<mode> SP <type> SP <object> SP+ <size or -> TAB <path>`
    const match = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t(.*)$/s.exec(line);
    if (!match || !match[5].startsWith(prefix)) continue;
    entries.push({ mode: match[1], type: match[2], id: match[3], size: match[4] === "-" ? 0 : Number(match[4]), rel: match[5].slice(prefix.length) });
  }
  return entries;
}

/** Reads blobs with one `git cat-file --batch`, into memory. */
function readBlobs(top: string, entries: readonly TreeEntry[]): Buffer[] {
  if (entries.length === 0) return [];
  const total = entries.reduce((n, e) => n + e.size + 100, 0);
  const out = git(["cat-file", "--batch"], top, Buffer.from(`${entries.map((e) => e.id).join("\n")}\n`), total + (1 << 20));
  const blobs: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < entries.length; i++) {
    const eol = out.indexOf(10, at);
    const header = out.subarray(at, eol).toString("utf8");
    const size = Number(/^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1]);
    if (!Number.isFinite(size)) throw new GitError(`unexpected git cat-file output: ${header.slice(0, 200)}`);
    blobs.push(out.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return blobs;
}

function fileProblem(file: string, message: string): ConfigProblem {
  return { severity: "error", location: { file, line: 1, col: 1 }, path: "(file)", message };
}

/** Why a tree entry is not a config file, or undefined when it is one. */
function refusal(entry: TreeEntry, maxBytes: number): string | undefined {
  if (entry.mode === "120000") return "it is a symlink in git, expected a regular YAML file: commit the file itself";
  if (entry.mode === "160000" || entry.type === "commit") return "it is a git submodule, expected a regular YAML file";
  if (entry.type !== "blob" || !REGULAR_FILE_MODES.has(entry.mode)) return `it is a git ${entry.type} with mode ${entry.mode}, expected a regular YAML file`;
  if (entry.size > maxBytes) return `it is ${entry.size} bytes, more than the ${maxBytes}-byte limit for a config file: split it, or raise the limit with ${MAX_CONFIG_BYTES_ENV}`;
  return undefined;
}

/**
 * Loads the config directory `configDir` (in the working tree of a git repository, at any
 * depth) as it is at `ref`. A ref where the directory or its files do not exist gives no
 * `result`: the whole config is new.
 */
export function configAtRef(configDir: string, ref: string, env: NodeJS.ProcessEnv = process.env): ConfigAtRef {
  const abs = path.resolve(configDir);
  if (!fs.existsSync(abs)) throw new GitError(`config directory not found: ${configDir}`);
  const top = git(["rev-parse", "--show-toplevel"], abs).toString("utf8").trim();
  // The directory's path inside the repository, with a trailing slash (empty at the root).
  const prefix = git(["rev-parse", "--show-prefix"], abs).toString("utf8").trim();
  let commit: string;
  try {
    commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], top).toString("utf8").trim();
  } catch {
    throw new GitError(
      `unknown git ref "${ref}": give a branch, tag or commit that exists locally (in CI, check out with fetch-depth: 0)`,
    );
  }
  const label = `${ref}:${prefix}`;
  const maxBytes = maxConfigBytes(env);
  if (typeof maxBytes === "string") throw new GitError(maxBytes);
  const entries = listConfigEntries(top, commit, prefix);
  if (entries.length === 0) return { label };

  const problems: ConfigProblem[] = [];
  const wanted = new Map<string, TreeEntry>();
  // Only the paths the loader reads: gateway.yaml, and direct children of environments/.
  // Anything deeper or oddly named (`..`, `.`, empty parts) is not config and is never used.
  for (const entry of entries) {
    if (!isSafeRelativePath(entry.rel) || wanted.has(entry.rel)) continue;
    const parts = entry.rel.split("/");
    if (entry.rel === "gateway.yaml" || (parts.length === 2 && parts[0] === "environments")) wanted.set(entry.rel, entry);
  }
  const take = (entry: TreeEntry): boolean => {
    const why = refusal(entry, maxBytes);
    if (why) problems.push(fileProblem(`${label}${entry.rel}`, why));
    return !why;
  };
  const gatewayEntry = wanted.get("gateway.yaml");
  const envEntries = [...wanted.values()].filter((e) => e.rel.startsWith("environments/"));
  const envNames = environmentFiles(
    envEntries.map((e) => e.rel.slice("environments/".length)),
    (f) => `${label}environments/${f}`,
    problems,
  );
  if (!gatewayEntry) problems.push(fileProblem(`${label}gateway.yaml`, NO_GATEWAY));
  if (!envEntries.some((e) => /\.ya?ml$/.test(e.rel))) problems.push(fileProblem(`${label}environments`, NO_ENVIRONMENTS));

  const toRead: TreeEntry[] = [];
  if (gatewayEntry && take(gatewayEntry)) toRead.push(gatewayEntry);
  for (const { fileName } of envNames) {
    const entry = wanted.get(`environments/${fileName}`)!;
    if (take(entry)) toRead.push(entry);
  }
  const texts = new Map(readBlobs(top, toRead).map((blob, i) => [toRead[i].rel, blob.toString("utf8")]));
  const parse = (rel: string): ParsedFile | undefined => {
    const text = texts.get(rel);
    if (text === undefined) return undefined;
    const file = parseYamlFile(`${label}${rel}`, text);
    problems.push(...file.problems);
    return file;
  };
  const gateway = parse("gateway.yaml");
  const environments: Array<{ name: string; file: ParsedFile }> = [];
  for (const { name, fileName } of envNames) {
    const file = parse(`environments/${fileName}`);
    if (file) environments.push({ name, file });
  }
  return { label, result: validateFiles(gateway, environments, problems) };
}

/** The top directory of the git work tree holding `dir`. */
export function repositoryRoot(dir: string): string {
  return git(["rev-parse", "--show-toplevel"], path.resolve(dir)).toString("utf8").trim();
}
