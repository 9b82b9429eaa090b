/**
 * The config as it is at a git ref, without touching the working tree, the index or HEAD: the
 * files are read from git's object store and written to a temporary directory that the normal
 * loader reads (so base and head are validated by exactly the same code).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A git problem the user must fix (unknown ref, not a repository); exit 1. */
export class GitError extends Error {}

export interface ConfigAtRef {
  /** The config directory at the ref, materialized; undefined when it does not exist there. */
  readonly dir?: string;
  /** `ref:path/in/repo/` to show in place of the temporary directory in messages. */
  readonly label: string;
  /** Removes the temporary directory. */
  cleanup(): void;
}

function git(args: readonly string[], cwd: string, input?: Buffer): Buffer {
  const result = spawnSync("git", args, { cwd, input, maxBuffer: 1 << 30, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
  if (result.error) throw new GitError(`cannot run git: ${result.error.message}`);
  if (result.status !== 0) {
    throw new GitError(`git ${args.join(" ")} failed: ${result.stderr.toString().trim() || `exit ${result.status}`}`);
  }
  return result.stdout;
}

/** The files of `gateway.yaml` and `environments/` under `prefix` at `commit`: path → blob id. */
function listConfigBlobs(top: string, commit: string, prefix: string): Map<string, string> {
  // Literal: a directory named `:infra` or `a[1]` is a path, not pathspec magic or a glob.
  const out = git(["--literal-pathspecs", "ls-tree", "-r", "-z", commit, "--", `${prefix}gateway.yaml`, `${prefix}environments/`], top).toString("utf8");
  const blobs = new Map<string, string>();
  for (const entry of out.split("\0")) {
    // `<mode> SP <type> SP <object> TAB <path>`; symlinks (120000) and submodules are not config.
    const match = /^(\d+) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match && match[1] !== "120000") blobs.set(match[3], match[2]);
  }
  return blobs;
}

/** Reads many blobs with one `git cat-file --batch`. */
function readBlobs(top: string, ids: readonly string[]): Buffer[] {
  if (ids.length === 0) return [];
  const out = git(["cat-file", "--batch"], top, Buffer.from(`${ids.join("\n")}\n`));
  const blobs: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    const eol = out.indexOf(10, at);
    const header = out.subarray(at, eol).toString("utf8");
    const size = Number(/^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1]);
    if (!Number.isFinite(size)) throw new GitError(`unexpected git cat-file output: ${header}`);
    blobs.push(out.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return blobs;
}

/**
 * Materializes the config directory `configDir` (in the working tree of a git repository, at
 * any depth) as it is at `ref`. A ref where the directory or its files do not exist gives no
 * `dir`: the whole config is new.
 */
export function configAtRef(configDir: string, ref: string): ConfigAtRef {
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
  const blobs = listConfigBlobs(top, commit, prefix);
  if (blobs.size === 0) return { label, cleanup: () => undefined };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-review-base-"));
  const paths = [...blobs.keys()];
  const contents = readBlobs(top, paths.map((p) => blobs.get(p)!));
  paths.forEach((p, i) => {
    const target = path.join(dir, p.slice(prefix.length));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, contents[i]);
  });
  return { dir, label, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The top directory of the git work tree holding `dir`. */
export function repositoryRoot(dir: string): string {
  return git(["rev-parse", "--show-toplevel"], path.resolve(dir)).toString("utf8").trim();
}

/** A file name in a message about the base config: the temporary path becomes `ref:path`. */
export function relabel(file: string, at: ConfigAtRef): string {
  if (!at.dir) return file;
  const resolved = path.resolve(file);
  return resolved.startsWith(at.dir + path.sep) ? `${at.label}${path.relative(at.dir, resolved).split(path.sep).join("/")}` : file;
}
