/**
 * Fault-injection kit: a tiny synth stand-in that replaces an output directory through
 * cli/output-dir.ts with a fake output (no cdktf), compiled once with swc so each run is a plain
 * `node` start (about 50 ms): tests can run and kill it many times within the test budget.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { transformFileSync } from "@swc/core";
import { replaceOutput } from "../../cli/output-dir";
import { REPO_ROOT } from "../helpers";

export const STACKS = 24;

/** The complete output of generation `g`: relative path → content. */
export function expectedOutput(g: number): Record<string, string> {
  const files: Record<string, string> = { "manifest.json": `{"generation":${g}}\n` };
  for (let i = 0; i < STACKS; i++) files[`stacks/gateway-e${i}/cdk.tf.json`] = `generation ${g} stack ${i}\n${"x".repeat(4000)}\n`;
  return files;
}

const DRIVER = `
const fs = require("fs");
const path = require("path");
const { OutputError, replaceOutput } = require("./output-dir.js");
const [outdir, generation, files] = process.argv.slice(2);
fs.writeSync(1, "go\\n"); // modules loaded: the parent times its kill from here
try {
  replaceOutput(outdir, (staging) => {
    for (const [rel, content] of Object.entries(JSON.parse(files))) {
      fs.mkdirSync(path.dirname(path.join(staging, rel)), { recursive: true });
      fs.writeFileSync(path.join(staging, rel), content.replace("{G}", generation));
    }
  }, { lockWaitMs: Number(process.env.LOCK_WAIT_MS || 10000) });
} catch (e) {
  if (!(e instanceof OutputError)) throw e;
  process.stderr.write("error: " + e.message + "\\n");
  process.exitCode = 1;
}
`;

/** Writes the compiled driver into `dir` and returns its path. */
export function compileDriver(dir: string): string {
  const js = transformFileSync(path.join(REPO_ROOT, "cli/output-dir.ts"), {
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
    swcrc: false,
  }).code;
  fs.writeFileSync(path.join(dir, "output-dir.js"), js);
  fs.writeFileSync(path.join(dir, "driver.js"), DRIVER);
  return path.join(dir, "driver.js");
}

/** Writes complete generation `g` in this process (fast: no process start). */
export function writeGeneration(outdir: string, g: number, lockWaitMs?: number): void {
  replaceOutput(
    outdir,
    (staging) => {
      for (const [rel, content] of Object.entries(expectedOutput(g))) {
        fs.mkdirSync(path.dirname(path.join(staging, rel)), { recursive: true });
        fs.writeFileSync(path.join(staging, rel), content);
      }
    },
    { lockWaitMs },
  );
}

function driverArgs(driver: string, outdir: string, g: number): string[] {
  const template = Object.fromEntries(Object.entries(expectedOutput(0)).map(([k, v]) => [k, v.replace(/generation 0|"generation":0/, (m) => m.replace("0", "{G}"))]));
  return [driver, outdir, String(g), JSON.stringify(template)];
}

export interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Runs the driver to completion (or to a kill at the step named in env). */
export function runDriver(driver: string, outdir: string, g: number, env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, driverArgs(driver, outdir, g), { env: { ...process.env, ...env }, encoding: "utf8", timeout: 20_000 });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

/**
 * Runs the driver and SIGKILLs it `killAfterMs` after it has loaded its modules and starts
 * replacing the output (it may finish first). Resolves with the run and how long the work took
 * from that point (for calibration).
 */
export function runDriverKilledAfter(driver: string, outdir: string, g: number, killAfterMs: number): Promise<Run & { workMs: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, driverArgs(driver, outdir, g), { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let started = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.once("data", () => {
      started = Date.now();
      timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ status, signal, stderr, workMs: started ? Date.now() - started : 0 });
    });
  });
}

/** Every regular file under `dir` (following the cdktf.out link): relative path → content. */
export function readTree(dir: string): Record<string, string> | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    const full = path.join(dir, rel);
    if (fs.statSync(full).isFile()) out[rel] = fs.readFileSync(full, "utf8");
  }
  return out;
}

/** Which complete generation `outdir` holds: one of `allowed`, or a description of what is wrong. */
export function generationOf(outdir: string, allowed: readonly number[]): number | string {
  const tree = readTree(outdir);
  if (!tree) return "cdktf.out is missing";
  for (const g of allowed) if (JSON.stringify(tree) === JSON.stringify(sorted(expectedOutput(g)))) return g;
  return `cdktf.out is incomplete or mixed: ${Object.keys(tree).length} files, manifest ${tree["manifest.json"]?.trim()}`;
}

function sorted(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What sits next to cdktf.out besides it and the one generation it links to. */
export function debris(outdir: string): string[] {
  const parent = path.dirname(outdir);
  let target: string | undefined;
  try {
    target = fs.readlinkSync(outdir);
  } catch {
    target = undefined;
  }
  return fs.readdirSync(parent).filter((n) => n !== path.basename(outdir) && n !== target).sort();
}
