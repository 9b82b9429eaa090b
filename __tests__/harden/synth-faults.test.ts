/**
 * `npm run synth` itself (the real cdktf synthesis, on a tiny fixture) against targets that
 * cannot be written and against a concurrent synth: one line, exit 1, no stack trace, no hang;
 * `cdktf.out` is complete afterwards.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runSynth } from "../../cli/synth";
import { REPO_ROOT, tempDir } from "../helpers";

const FIXTURE = path.join(REPO_ROOT, "__tests__/fixtures/harden/config");

function synth(outdir: string): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = runSynth(["--config", FIXTURE], { CDKTF_OUTDIR: outdir }, { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) });
  return { code, out, err };
}

function stackFile(outdir: string): string {
  return fs.readFileSync(path.join(outdir, "stacks/gateway-dev/cdk.tf.json"), "utf8");
}

test("a project directory that cannot be written (immutable, which stops root too): one line, exit 1", () => {
  const project = tempDir("ro-project-");
  const outdir = path.join(project, "cdktf.out");
  if (spawnSync("chattr", ["+i", project]).status !== 0) return void console.warn("chattr +i not available: case skipped");
  try {
    const run = synth(outdir);
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `error: cannot create the lock file ${outdir}.lock: EPERM: operation not permitted (an immutable or read-only directory?): check \`lsattr\`/mount options, or point CDKTF_OUTDIR elsewhere\n`,
    );
  } finally {
    spawnSync("chattr", ["-i", project]);
  }
});

test("an immutable cdktf.out of an older version: one line, exit 1, left as it was", () => {
  const outdir = path.join(tempDir("ro-out-"), "cdktf.out");
  fs.mkdirSync(path.join(outdir, "stacks/gateway-dev"), { recursive: true });
  fs.writeFileSync(path.join(outdir, "stacks/gateway-dev/cdk.tf.json"), "previous");
  if (spawnSync("chattr", ["+i", outdir]).status !== 0) return;
  try {
    const run = synth(outdir);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^error: cannot move the previous output to .*cdktf\.out\.gen-1: EPERM: [^\n]*\n$/);
  } finally {
    spawnSync("chattr", ["-i", outdir]);
  }
  expect(stackFile(outdir)).toBe("previous");
});

test("CDKTF_OUTDIR at an uncreatable path (under /proc): one line, exit 1, no hang", () => {
  if (!fs.existsSync("/proc/1")) return;
  const run = synth("/proc/1/no-such-dir/cdktf.out");
  expect(run.code).toBe(1);
  expect(run.err).toMatch(/^error: cannot create the directory \/proc\/1\/no-such-dir: ENOENT: [^\n]*\n$/);
});

test("two real synths at once: both succeed (one waits for the other), complete output, no debris", async () => {
  const outdir = path.join(tempDir("two-"), "cdktf.out");
  const start = () =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--require", "tsx/cjs", "main.ts", "--config", FIXTURE], {
        cwd: REPO_ROOT,
        env: { ...process.env, CDKTF_OUTDIR: outdir },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (status) => resolve({ status, stderr }));
    });
  const runs = await Promise.all([start(), start()]);
  expect(runs).toEqual([
    { status: 0, stderr: "" },
    { status: 0, stderr: "" },
  ]);
  expect(JSON.parse(stackFile(outdir)).resource.databricks_model_serving.chat.name).toBe("chat");
  expect(fs.readdirSync(path.dirname(outdir)).sort()).toEqual(["cdktf.out", fs.readlinkSync(outdir)].sort());
});
