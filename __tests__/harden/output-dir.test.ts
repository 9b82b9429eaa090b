/**
 * Fault injection for the output replacement (cli/output-dir.ts): kills at every step and at
 * random instants, read-only and odd targets, concurrency, stale locks. After any of them
 * `cdktf.out` is the previous or the new complete output, and the next run leaves no debris.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { acquireLock, FAULT_ENV, makeDirectories, OutputError, replaceOutput, Step } from "../../cli/output-dir";
import { tempDir } from "../helpers";
import { compileDriver, debris, expectedOutput, generationOf, runDriver, runDriverKilledAfter, writeGeneration } from "./fault-kit";

const driver = compileDriver(tempDir("driver-"));

/** The message a call throws (toThrow(new Error(...)) would also compare the cause). */
function thrown(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OutputError);
    return (e as Error).message;
  }
  throw new Error("expected an OutputError");
}

function freshOutdir(): string {
  return path.join(tempDir("out-"), "cdktf.out");
}

/** An outdir holding complete generation 1, as a finished earlier run leaves it. */
function withGeneration1(): string {
  const outdir = freshOutdir();
  writeGeneration(outdir, 1);
  expect(generationOf(outdir, [1])).toBe(1);
  return outdir;
}

const STEPS: Step[] = ["locked", "cleaned", "staged", "written", "renamed-gen", "linked-tmp", "published", "removed-old"];

describe("a kill at each step keeps a complete cdktf.out, and the next run cleans up", () => {
  test.each(STEPS)("killed at %s", (step) => {
    const outdir = withGeneration1();
    const killed = runDriver(driver, outdir, 2, { [FAULT_ENV]: step });
    expect(killed.signal).toBe("SIGKILL");
    const after = generationOf(outdir, [1, 2]);
    expect([1, 2]).toContain(after);
    // Published means the new output is in place; before that, the previous one still is.
    expect(after).toBe(STEPS.indexOf(step) >= STEPS.indexOf("published") ? 2 : 1);
    writeGeneration(outdir, 3);
    expect(generationOf(outdir, [3])).toBe(3);
    expect(debris(outdir)).toEqual([]);
  });

  test("killed while adopting a cdktf.out directory of an older version: the next run restores the link", () => {
    const outdir = freshOutdir();
    for (const [rel, content] of Object.entries(expectedOutput(1))) {
      fs.mkdirSync(path.dirname(path.join(outdir, rel)), { recursive: true });
      fs.writeFileSync(path.join(outdir, rel), content);
    }
    expect(runDriver(driver, outdir, 2, { [FAULT_ENV]: "migrated-rename" }).signal).toBe("SIGKILL");
    // The one instant without cdktf.out (a directory cannot be swapped for a link atomically):
    // the previous output is whole in cdktf.out.gen-1, and any next run links it back first.
    expect(generationOf(path.join(path.dirname(outdir), "cdktf.out.gen-1"), [1])).toBe(1);
    expect(runDriver(driver, outdir, 2, { [FAULT_ENV]: "cleaned" }).signal).toBe("SIGKILL");
    expect(generationOf(outdir, [1])).toBe(1);
    writeGeneration(outdir, 2);
    expect(generationOf(outdir, [2])).toBe(2);
    expect(debris(outdir)).toEqual([]);
  });

  test("debris of the previous version's synth (cdktf.out.tmp-*, *.old) is removed too", () => {
    const outdir = withGeneration1();
    fs.mkdirSync(`${outdir}.tmp-abc123/stacks`, { recursive: true });
    fs.mkdirSync(`${outdir}.tmp-def456.old`);
    writeGeneration(outdir, 2);
    expect(debris(outdir)).toEqual([]);
  });
});

describe("random kills", () => {
  // The full 50-kill run is `npm run test:faults` (see README); a few here keep npm test fast.
  const KILLS = 6;
  test(`${KILLS} SIGKILLs at random instants: cdktf.out is always previous-or-new and complete; the run after leaves no debris`, async () => {
    const outdir = withGeneration1();
    let previous = 1;
    const calibration = await runDriverKilledAfter(driver, outdir, 2, 60_000);
    expect(calibration.status).toBe(0);
    previous = 2;
    const runMs = Math.max(10, calibration.workMs);
    for (let i = 0; i < KILLS; i++) {
      const g = previous + 1;
      await runDriverKilledAfter(driver, outdir, g, Math.floor(Math.random() * runMs * 1.2));
      const after = generationOf(outdir, [previous, g]);
      expect({ kill: i, after }).toEqual({ kill: i, after: expect.any(Number) });
      const next = g + 1;
      writeGeneration(outdir, next);
      expect(generationOf(outdir, [next])).toBe(next);
      expect(debris(outdir)).toEqual([]);
      previous = next;
    }
  });
});

describe("concurrency and locks", () => {
  test("two runs at once: both finish (the second waits for the lock), the result is complete, no debris", async () => {
    const outdir = withGeneration1();
    const [a, b] = await Promise.all([runDriverKilledAfter(driver, outdir, 2, 20_000), runDriverKilledAfter(driver, outdir, 3, 20_000)]);
    expect([a.status, b.status, a.stderr + b.stderr]).toEqual([0, 0, ""]);
    expect([2, 3]).toContain(generationOf(outdir, [2, 3]));
    expect(debris(outdir)).toEqual([]);
  });

  test("a lock held by a live process: a brief wait, then one clear line, and the output is untouched", () => {
    const outdir = withGeneration1();
    fs.writeFileSync(`${outdir}.lock`, `${process.pid}\n`);
    const started = Date.now();
    expect(thrown(() => writeGeneration(outdir, 2, 300))).toBe(`another synth (pid ${process.pid}) is writing cdktf.out: lock file ${outdir}.lock; wait for it to finish and run again (if no synth is running, delete the lock file)`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(generationOf(outdir, [1])).toBe(1);
    expect(fs.readFileSync(`${outdir}.lock`, "utf8")).toBe(`${process.pid}\n`);
  });

  test("a lock left by a dead process is taken over", () => {
    const outdir = withGeneration1();
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    fs.writeFileSync(`${outdir}.lock`, `${dead.stdout}\n`);
    writeGeneration(outdir, 2);
    expect(generationOf(outdir, [2])).toBe(2);
    expect(fs.existsSync(`${outdir}.lock`)).toBe(false);
  });

  test("an empty lock file (killed between create and write) is stale once it is a few seconds old", () => {
    const outdir = withGeneration1();
    fs.writeFileSync(`${outdir}.lock`, "");
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${outdir}.lock`, old, old);
    writeGeneration(outdir, 2);
    expect(generationOf(outdir, [2])).toBe(2);
  });

  test("a FIFO where the lock file goes is not read (it would block): it is stale after a few seconds and replaced", () => {
    const outdir = withGeneration1();
    if (spawnSync("mkfifo", [`${outdir}.lock`]).status !== 0) return;
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${outdir}.lock`, old, old);
    writeGeneration(outdir, 2);
    expect(generationOf(outdir, [2])).toBe(2);
    expect(fs.existsSync(`${outdir}.lock`)).toBe(false);
  });

  test("releasing never removes a lock another process holds", () => {
    const lock = path.join(tempDir("lock-"), "cdktf.out.lock");
    const release = acquireLock(lock, 0);
    fs.writeFileSync(lock, "1\n");
    release();
    expect(fs.readFileSync(lock, "utf8")).toBe("1\n");
  });
});

describe("targets that cannot be written: one line, exit 1, the previous output kept", () => {
  /** chattr +i stops root too (chmod does not); skipped where the file system or user cannot set it. */
  function immutable(dir: string): boolean {
    return spawnSync("chattr", ["+i", dir]).status === 0;
  }

  test("an immutable parent directory (EPERM)", () => {
    const outdir = withGeneration1();
    const parent = path.dirname(outdir);
    if (!immutable(parent)) return void console.warn("chattr +i not available: immutable-directory case skipped");
    try {
      expect(thrown(() => writeGeneration(outdir, 2))).toBe(`cannot create the lock file ${outdir}.lock: EPERM: operation not permitted (an immutable or read-only directory?): check \`lsattr\`/mount options, or point CDKTF_OUTDIR elsewhere`);
    } finally {
      spawnSync("chattr", ["-i", parent]);
    }
    expect(generationOf(outdir, [1])).toBe(1);
  });

  test("an immutable current generation is left alone; the new output still replaces it", () => {
    const outdir = withGeneration1();
    const gen1 = `${outdir}.gen-1`;
    if (!immutable(gen1)) return;
    try {
      // Published first; removing the old generation then fails: one line, and the new output is in place.
      expect(thrown(() => writeGeneration(outdir, 2))).toMatch(
        new RegExp(`^the new output is in place, but could not remove ${gen1} \\((EPERM|ENOTDIR)\\), left by an earlier synth: check its permissions and attributes \\(\`lsattr -d\`\\), then delete it$`),
      );
      expect(generationOf(outdir, [2])).toBe(2);
    } finally {
      spawnSync("chattr", ["-i", gen1]);
    }
    writeGeneration(outdir, 3);
    expect(debris(outdir)).toEqual([]);
  });

  test("a file where a directory is expected", () => {
    const file = path.join(tempDir("file-"), "not-a-dir");
    fs.writeFileSync(file, "x");
    expect(thrown(() => writeGeneration(path.join(file, "sub", "cdktf.out"), 1))).toBe(`cannot create the output directory under ${file}: it is not a directory: remove or rename it, or point CDKTF_OUTDIR elsewhere`);
  });

  test("cdktf.out itself is a file", () => {
    const outdir = freshOutdir();
    fs.mkdirSync(path.dirname(outdir), { recursive: true });
    fs.writeFileSync(outdir, "x");
    expect(thrown(() => writeGeneration(outdir, 1))).toBe(`${outdir} is not a directory: remove or rename it, or point CDKTF_OUTDIR elsewhere`);
    expect(fs.readFileSync(outdir, "utf8")).toBe("x");
    expect(fs.existsSync(`${outdir}.lock`)).toBe(false);
  });

  /** Every file under `dir` with its content: what must survive a refused run. */
  function tree(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      const full = path.join(e.parentPath, e.name);
      out[path.relative(dir, full)] = e.isFile() ? fs.readFileSync(full, "utf8") : "<dir>";
    }
    return out;
  }

  test("a directory of the user's at the output path is refused and left untouched (it would be adopted, then deleted)", () => {
    const parent = tempDir("x-");
    const proj = path.join(parent, "proj");
    fs.mkdirSync(proj);
    fs.writeFileSync(path.join(proj, "important.txt"), "keep me\n");
    const r = runDriver(driver, proj, 1);
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 1,
      stderr: `error: ${proj} is a directory that is not cdktf output (it holds "important.txt"), so synth will not replace it: point CDKTF_OUTDIR at a new directory, or move its contents away\n`,
    });
    expect(tree(proj)).toEqual({ "important.txt": "keep me\n" });
    expect(fs.readdirSync(parent)).toEqual(["proj"]);
  });

  test("CDKTF_OUTDIR=. (the project itself): refused, with the first entries named; nothing touched", () => {
    const proj = path.join(tempDir("x-"), "proj");
    fs.mkdirSync(path.join(proj, "config"), { recursive: true });
    for (const f of ["package.json", "main.ts", "README.md", "config/gateway.yaml"]) fs.writeFileSync(path.join(proj, f), f);
    // A project that has synthesized before also has manifest.json-like names: still not adopted.
    fs.mkdirSync(path.join(proj, "stacks"));
    const before = tree(proj);
    const cwd = process.cwd();
    process.chdir(proj);
    try {
      expect(thrown(() => writeGeneration(".", 1))).toBe(
        `${proj} is a directory that is not cdktf output (it holds "README.md", "config", "main.ts" and 1 more), so synth will not replace it: point CDKTF_OUTDIR at a new directory, or move its contents away`,
      );
    } finally {
      process.chdir(cwd);
    }
    expect(tree(proj)).toEqual(before);
    expect(fs.readdirSync(path.dirname(proj))).toEqual(["proj"]);
  });

  test("an older version's cdktf.out (manifest.json, stacks/, .terraform files) is still adopted and replaced", () => {
    const outdir = freshOutdir();
    fs.mkdirSync(path.join(outdir, "stacks/gateway-dev/.terraform"), { recursive: true });
    fs.mkdirSync(path.join(outdir, ".terraform"));
    fs.writeFileSync(path.join(outdir, "manifest.json"), "{}");
    fs.writeFileSync(path.join(outdir, ".terraform.lock.hcl"), "");
    writeGeneration(outdir, 2);
    expect(generationOf(outdir, [2])).toBe(2);
    expect(debris(outdir)).toEqual([]);
  });

  test("a manifest.json that is a directory, or stacks that is a file, is not cdktf output", () => {
    const outdir = freshOutdir();
    fs.mkdirSync(path.join(outdir, "manifest.json"), { recursive: true });
    fs.writeFileSync(path.join(outdir, "stacks"), "");
    expect(thrown(() => writeGeneration(outdir, 1))).toMatch(/is a directory that is not cdktf output \(it holds "manifest\.json", "stacks"\)/);
    expect(fs.statSync(path.join(outdir, "manifest.json")).isDirectory()).toBe(true);
  });

  test("cdktf.out is a symlink this tool did not make: refused, not followed or removed", () => {
    const elsewhere = tempDir("elsewhere-");
    const outdir = freshOutdir();
    fs.mkdirSync(path.dirname(outdir), { recursive: true });
    fs.symlinkSync(elsewhere, outdir);
    expect(thrown(() => writeGeneration(outdir, 1))).toBe(`${outdir} is a symlink this tool did not create (or its target is gone): remove it and run again`);
    expect(fs.readlinkSync(outdir)).toBe(elsewhere);
  });

  test("an uncreatable path under /proc fails at once (Node's recursive mkdir loops forever there)", () => {
    if (!fs.existsSync("/proc/1")) return;
    expect(() => makeDirectories("/proc/1/no-such-dir/cdktf.out")).toThrow(OutputError);
    expect(() => makeDirectories("/proc/1/no-such-dir/cdktf.out")).toThrow(/^cannot create the directory \/proc\/1\/no-such-dir: ENOENT: /);
  });

  test("a write callback that fails with an fs error: one line naming the staging path; the staging dir is removed", () => {
    const outdir = withGeneration1();
    expect(() =>
      replaceOutput(outdir, (staging) => {
        fs.writeFileSync(path.join(staging, "no/such/dir/file"), "");
      }),
    ).toThrow(/^cannot write the output to .*cdktf\.out\.staging-\d+-\w+: ENOENT: /);
    expect(generationOf(outdir, [1])).toBe(1);
    expect(debris(outdir)).toEqual([]);
  });
});
