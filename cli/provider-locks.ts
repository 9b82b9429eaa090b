/**
 * Terraform's provider lock file (`.terraform.lock.hcl`) across synths. Terraform writes it into
 * the stack's directory (`cdktf.out/stacks/gateway-<env>/`) on `terraform init`, and every synth
 * replaces that directory whole, so on its own it would be lost each time. The committed copy is
 * `<config>/locks/gateway-<env>.terraform.lock.hcl`; synth puts it back into each stack:
 *
 * - the committed file, or the one the previous output holds when that one is newer (written by a
 *   `terraform init` since the commit), or the previous one when nothing is committed;
 * - whenever the one used is not the committed one, a notice says how to commit it.
 *
 * Synth never writes into the config directory: committing is the user's step.
 */
import * as fs from "fs";
import * as path from "path";

export const LOCK_FILE = ".terraform.lock.hcl";
export const LOCKS_DIR = "locks";

/** `<config>/locks/<stack>.terraform.lock.hcl`. */
export function committedLock(configDir: string, stack: string): string {
  return path.join(configDir, LOCKS_DIR, `${stack}${LOCK_FILE}`);
}

interface Found {
  readonly text: string;
  readonly mtimeMs: number;
}

function readIfFile(file: string): Found | undefined {
  try {
    const st = fs.statSync(file);
    // A lock file is a few KiB; anything else there is not one.
    if (!st.isFile() || st.size > 1024 * 1024) return undefined;
    return { text: fs.readFileSync(file, "utf8"), mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/** Before synth replaces `outdir`: the lock files terraform wrote into its stacks, by stack. */
export function previousLocks(outdir: string, stacks: readonly string[]): Map<string, Found> {
  const found = new Map<string, Found>();
  for (const stack of stacks) {
    const lock = readIfFile(path.join(outdir, "stacks", stack, LOCK_FILE));
    if (lock) found.set(stack, lock);
  }
  return found;
}

/**
 * After synth: writes each stack's lock file into `outdir/stacks/<stack>/` (the new output, before
 * it is published as `shownAs`); returns one notice per stack whose lock is not the committed one.
 */
export function restoreLocks(outdir: string, configDir: string, stacks: readonly string[], previous: ReadonlyMap<string, Found>, shownAs = outdir): string[] {
  const notices: string[] = [];
  for (const stack of stacks) {
    const dir = path.join(outdir, "stacks", stack);
    if (!fs.existsSync(dir)) continue;
    const committedPath = committedLock(configDir, stack);
    const committed = readIfFile(committedPath);
    const before = previous.get(stack);
    const newer = before && (!committed || (before.text !== committed.text && before.mtimeMs > committed.mtimeMs));
    const use = newer ? before : committed;
    if (!use) continue;
    fs.writeFileSync(path.join(dir, LOCK_FILE), use.text);
    if (newer) {
      const where = path.join(shownAs, "stacks", stack, LOCK_FILE);
      notices.push(
        `${stack}: kept the provider lock file terraform wrote, ${committed ? `newer than ${committedPath}` : `not committed yet`}; commit it: mkdir -p ${path.dirname(committedPath)} && cp ${where} ${committedPath}`,
      );
    }
  }
  return notices;
}
