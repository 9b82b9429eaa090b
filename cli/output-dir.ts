/**
 * Replaces the synthesized output directory (`cdktf.out`) so that at every instant it is either
 * the previous complete output or the new complete output, whatever kills the process.
 *
 * Layout, all siblings of `cdktf.out` in its parent directory:
 * - `cdktf.out` is a symlink to `cdktf.out.gen-<N>`, a complete output. A new output is written
 *   into `cdktf.out.staging-<pid>-<random>`, renamed to `cdktf.out.gen-<N+1>` (so a `gen-` directory
 *   is always complete) and published by renaming a fresh symlink over `cdktf.out`: rename(2) is
 *   atomic, so a reader (or `cdktf deploy`) sees the old link or the new one, never none.
 * - `cdktf.out.lock` holds the pid of the synth that owns the directory: one synth at a time.
 *   A lock whose pid is dead is stale and taken over; a live one is waited for briefly.
 * - Under the lock, anything left by a killed run (staging directories, unpublished or superseded
 *   `gen-` directories, temporary links) is removed before writing.
 *
 * A `cdktf.out` that is a real directory (from an older version) is moved to a `gen-` directory
 * once; if that one-time move is interrupted, the next run restores the link. Only a directory
 * that holds nothing but what cdktf wrote there (see looksLikeCdktfOutput) is adopted: any other
 * directory (CDKTF_OUTDIR=. or a path to a user's folder) is refused and left untouched, since
 * an adopted directory is deleted once the next output is published.
 *
 * Local Terraform state lives at the project root (`../../../terraform.<stack>.tfstate` from
 * `cdktf.out/stacks/<stack>/`); `gen-` directories are siblings of `cdktf.out`, so that relative
 * path reaches the same file through the link and through the real path.
 */
import * as fs from "fs";
import * as path from "path";

/** A file-system problem with the output directory, as one line: what, which path, how to fix. */
export class OutputError extends Error {}

/** How long a synth waits for another one holding the lock before giving up (ms). */
export const DEFAULT_LOCK_WAIT_MS = 10_000;

/** Test-only: makes the process SIGKILL itself at a named step (fault-injection tests). */
export const FAULT_ENV = "GATEWAY_TEST_KILL_AT";

export type Step =
  | "locked"
  | "cleaned"
  | "staged"
  | "written"
  | "renamed-gen"
  | "linked-tmp"
  | "published"
  | "removed-old"
  | "migrated-rename";

export interface ReplaceOptions {
  /** Wait this long for a concurrent synth (default DEFAULT_LOCK_WAIT_MS). */
  readonly lockWaitMs?: number;
  /** The environment read for the fault-injection hook (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Paths of everything the module keeps next to `outdir`. */
export function outputPaths(outdir: string) {
  const abs = path.resolve(outdir);
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  return {
    outdir: abs,
    parent,
    base,
    lock: path.join(parent, `${base}.lock`),
    gen: (n: number) => path.join(parent, `${base}.gen-${n}`),
  };
}

function fault(step: Step, env: NodeJS.ProcessEnv): void {
  if (env[FAULT_ENV] === step) process.kill(process.pid, "SIGKILL");
}

const HINTS: Record<string, string> = {
  EACCES: "permission denied: make the directory writable for this user, or point CDKTF_OUTDIR at a writable directory",
  EPERM: "operation not permitted (an immutable or read-only directory?): check `lsattr`/mount options, or point CDKTF_OUTDIR elsewhere",
  EROFS: "the file system is read-only: point CDKTF_OUTDIR at a writable directory",
  ENOSPC: "no space left on the device: free some space and run again",
  EDQUOT: "disk quota exceeded: free some space and run again",
  ENOTDIR: "a part of the path is a file, not a directory: remove or rename it, or point CDKTF_OUTDIR elsewhere",
  EEXIST: "something unexpected is in the way: remove it and run again",
  ENOENT: "a directory on the path does not exist and cannot be created here: point CDKTF_OUTDIR at a directory that can exist",
  ELOOP: "too many levels of symbolic links: fix the link",
  ENAMETOOLONG: "the path is too long: use a shorter CDKTF_OUTDIR",
  EISDIR: "a directory is where a file was expected: remove it and run again",
  ENOTEMPTY: "a directory is in the way: remove it and run again",
  EMFILE: "too many open files: raise `ulimit -n` and run again",
};

/** Runs a file-system step; an errno error becomes a one-line OutputError naming the path. */
export function fsStep<T>(what: string, target: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toOutputError(e, what, target);
  }
}

export function toOutputError(e: unknown, what: string, target: string): Error {
  if (e instanceof OutputError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (!code) return e instanceof Error ? e : new Error(String(e));
  const hint = HINTS[code] ?? "check the path and its permissions";
  return new OutputError(`cannot ${what} ${target}: ${code}: ${hint}`, { cause: e });
}

/**
 * `mkdir -p` with a bounded number of steps. Node's recursive mkdir loops forever when mkdir
 * answers ENOENT for a directory whose parent exists (for example anywhere under /proc/<pid>/),
 * which is how an uncreatable CDKTF_OUTDIR used to hang.
 */
export function makeDirectories(dir: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: a file further up; walking up finds it and says so.
      if (code !== "ENOENT" && code !== "ENOTDIR") throw toOutputError(e, "use the directory", at);
    }
    if (st) {
      if (!st.isDirectory()) throw new OutputError(`cannot create the output directory under ${at}: it is not a directory: remove or rename it, or point CDKTF_OUTDIR elsewhere`);
      break;
    }
    missing.push(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing.reverse()) {
    fsStep("create the directory", d, () => {
      try {
        fs.mkdirSync(d);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    });
  }
}

/** A synchronous sleep (no busy loop). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid in a lock file; undefined for anything but a small regular file (a FIFO there must not block us). */
function readLockPid(lock: string): number | undefined {
  let fd: number | undefined;
  try {
    const st = fs.lstatSync(lock);
    if (!st.isFile() || st.size > 64) return undefined;
    fd = fs.openSync(lock, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
    const buf = Buffer.alloc(64);
    const text = buf.subarray(0, fs.readSync(fd, buf, 0, 64, 0)).toString("utf8").trim();
    return /^\d+$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A lock file older than this with no readable pid is stale (a kill between create and write). */
const UNREADABLE_LOCK_STALE_MS = 2_000;

/**
 * Takes `<outdir>.lock` (created with O_EXCL, holding our pid). Waits up to `waitMs` for a live
 * holder; a lock left by a dead process is taken over. Returns the release function.
 */
export function acquireLock(lock: string, waitMs: number): () => void {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(lock, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw toOutputError(e, "create the lock file", lock);
    }
    if (fd !== undefined) {
      const mine = String(process.pid);
      try {
        fs.writeSync(fd, `${mine}\n`);
      } catch (e) {
        fs.closeSync(fd);
        fs.rmSync(lock, { force: true });
        throw toOutputError(e, "write the lock file", lock);
      }
      fs.closeSync(fd);
      return () => {
        // Only our own lock: never remove one another process took over.
        if (readLockPid(lock) === process.pid) fs.rmSync(lock, { force: true });
      };
    }
    const holder = readLockPid(lock);
    if (isStale(lock, holder)) {
      breakStaleLock(lock, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new OutputError(
        `another synth (pid ${holder ?? "unknown"}) is writing ${path.basename(lock).replace(/\.lock$/, "")}: lock file ${lock}; wait for it to finish and run again (if no synth is running, delete the lock file)`,
      );
    }
    sleep(Math.min(50 + attempt * 10, 200));
  }
}

function isStale(lock: string, holder: number | undefined): boolean {
  if (holder !== undefined) return holder !== process.pid && !pidAlive(holder);
  try {
    return Date.now() - fs.lstatSync(lock).mtimeMs > UNREADABLE_LOCK_STALE_MS;
  } catch {
    return false; // gone already: the next attempt creates it
  }
}

/**
 * Removes a stale lock without removing a fresh one another process created meanwhile: the lock
 * is first renamed to a private name, then checked; a live lock caught by mistake is put back.
 */
function breakStaleLock(lock: string, holder: number | undefined): void {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    fs.renameSync(lock, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw toOutputError(e, "remove the stale lock file", lock);
  }
  const caught = readLockPid(aside);
  if (caught !== holder && caught !== undefined && pidAlive(caught)) {
    try {
      fs.linkSync(aside, lock); // fails if yet another lock appeared: then that one rules
    } catch {
      /* the other process's lock stays in place */
    }
  }
  fs.rmSync(aside, { force: true });
}

/** The `gen-` number `outdir` links to, or undefined when it is not our symlink. */
function currentGen(p: ReturnType<typeof outputPaths>): number | undefined {
  let target: string;
  try {
    target = fs.readlinkSync(p.outdir);
  } catch {
    return undefined;
  }
  const m = new RegExp(`^${escapeRegExp(p.base)}\\.gen-(\\d+)$`).exec(target);
  return m ? Number(m[1]) : undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Our entries next to `outdir`: gen-N directories, staging directories, temporary links, old debris. */
function siblings(p: ReturnType<typeof outputPaths>): { gens: number[]; debris: string[] } {
  const names = fsStep("list the directory", p.parent, () => fs.readdirSync(p.parent));
  const gen = new RegExp(`^${escapeRegExp(p.base)}\\.gen-(\\d+)$`);
  const junk = new RegExp(`^${escapeRegExp(p.base)}\\.(staging-|link-|tmp-|lock\\.stale-)`);
  const gens: number[] = [];
  const debris: string[] = [];
  for (const name of names) {
    const m = gen.exec(name);
    if (m) gens.push(Number(m[1]));
    else if (junk.test(name)) debris.push(path.join(p.parent, name));
  }
  return { gens: gens.sort((a, b) => a - b), debris };
}

function remove(target: string): void {
  try {
    fs.rmSync(target, { recursive: true, force: true });
  } catch (e) {
    // rm's error code is of whichever entry failed deep inside; the hint is about the whole.
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new OutputError(`cannot remove ${target} (${code}), left by an earlier synth: check its permissions and attributes (\`lsattr -d\`), then delete it`);
  }
}

/** Points `outdir` at `gen-N` atomically: a new symlink renamed over the old one. */
function publish(p: ReturnType<typeof outputPaths>, n: number, env: NodeJS.ProcessEnv): void {
  const tmp = path.join(p.parent, `${p.base}.link-${process.pid}`);
  fs.rmSync(tmp, { force: true });
  fsStep("create the symlink", tmp, () => fs.symlinkSync(`${p.base}.gen-${n}`, tmp));
  fault("linked-tmp", env);
  fsStep("replace", p.outdir, () => fs.renameSync(tmp, p.outdir));
}

/**
 * Top-level entries an older version's cdktf.out held: cdktf writes `manifest.json` and
 * `stacks/<stack>/`; Terraform run at that level leaves `.terraform/` and `.terraform.lock.hcl`.
 */
const CDKTF_OUTPUT_ENTRY = /^(manifest\.json|stacks|\.terraform.*)$/;

/**
 * The entries of directory `dir` that cdktf output does not hold (empty: it is safe to adopt,
 * and delete later). `manifest.json` must be a file and `stacks` a directory.
 */
export function foreignEntries(dir: string): string[] {
  const foreign: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const ok =
      CDKTF_OUTPUT_ENTRY.test(e.name) && (e.name === "manifest.json" ? e.isFile() : e.name === "stacks" ? e.isDirectory() : true);
    if (!ok) foreign.push(e.name);
  }
  return foreign.sort();
}

/**
 * Brings the directory to a clean state under the lock: `outdir` is our symlink to a complete
 * `gen-` directory (or absent on a first run) and nothing else of ours is there.
 * @returns the gen number outdir points at, if any.
 */
function recover(p: ReturnType<typeof outputPaths>, env: NodeJS.ProcessEnv): number | undefined {
  let { gens, debris } = siblings(p);
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(p.outdir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw toOutputError(e, "read", p.outdir);
  }
  let current: number | undefined;
  if (st?.isSymbolicLink()) {
    current = currentGen(p);
    if (current === undefined || !gens.includes(current)) {
      throw new OutputError(`${p.outdir} is a symlink this tool did not create (or its target is gone): remove it and run again`);
    }
  } else if (st?.isDirectory()) {
    // Output of an older version, or of a tool that writes cdktf.out directly: adopt it once,
    // but only if it holds nothing else (it is deleted once superseded).
    const foreign = fsStep("read", p.outdir, () => foreignEntries(p.outdir));
    if (foreign.length > 0) {
      const shown = foreign.slice(0, 3).map((n) => JSON.stringify(n.replace(/[^\x20-\x7e]/g, "?"))).join(", ");
      const more = foreign.length > 3 ? ` and ${foreign.length - 3} more` : "";
      throw new OutputError(
        `${p.outdir} is a directory that is not cdktf output (it holds ${shown}${more}), so synth will not replace it: point CDKTF_OUTDIR at a new directory, or move its contents away`,
      );
    }
    const n = (gens[gens.length - 1] ?? 0) + 1;
    fsStep("move the previous output to", p.gen(n), () => fs.renameSync(p.outdir, p.gen(n)));
    fault("migrated-rename", env);
    publish(p, n, env);
    gens.push(n);
    current = n;
  } else if (st) {
    throw new OutputError(`${p.outdir} is not a directory: remove or rename it, or point CDKTF_OUTDIR elsewhere`);
  } else if (gens.length > 0) {
    // Killed during the one-time move above: every gen- directory is complete; the newest wins.
    current = gens[gens.length - 1];
    publish(p, current, env);
  }
  for (const n of gens) if (n !== current) debris.push(p.gen(n));
  for (const d of debris) remove(d);
  return current;
}

/**
 * Replaces `outdir` with what `write` puts in the staging directory it is given. Throws
 * OutputError (one line) on any file-system problem; `outdir` then still holds the previous
 * output, and the next run removes whatever this one left.
 */
export function replaceOutput(outdir: string, write: (stagingDir: string) => void, options: ReplaceOptions = {}): void {
  const env = options.env ?? process.env;
  const p = outputPaths(outdir);
  makeDirectories(p.parent);
  const release = acquireLock(p.lock, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  try {
    fault("locked", env);
    const current = recover(p, env);
    fault("cleaned", env);
    const staging = fsStep("create a staging directory in", p.parent, () => fs.mkdtempSync(path.join(p.parent, `${p.base}.staging-${process.pid}-`)));
    fault("staged", env);
    try {
      write(staging);
    } catch (e) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw toOutputError(e, "write the output to", staging);
    }
    fault("written", env);
    const next = (current ?? 0) + 1;
    fsStep("rename the staging directory to", p.gen(next), () => fs.renameSync(staging, p.gen(next)));
    fault("renamed-gen", env);
    publish(p, next, env);
    fault("published", env);
    if (current !== undefined) {
      try {
        remove(p.gen(current));
      } catch (e) {
        throw new OutputError(`the new output is in place, but ${(e as Error).message.replace(/^cannot /, "could not ")}`);
      }
    }
    fault("removed-old", env);
  } finally {
    release();
  }
}
