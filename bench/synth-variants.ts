/**
 * Candidate speed-ups of the synth path, tried without editing stacks/ (patched at run time in a
 * child process each), timed interleaved against the current code, and checked to write
 * byte-identical output. The evidence for the changes proposed in docs/performance.md.
 *
 * `node --require tsx/cjs bench/synth-variants.ts [--n 1000] [--repeats 5]`
 *
 * Variants:
 * - `current`: stacks/ as they are.
 * - `no-prepare`: GatewayStack overrides `prepareStack()` with only `ensureBackendExists()`.
 *   cdktf's `prepareStack` runs a full "preparing" resolve of every element to discover cross-stack
 *   references; gateway stacks never reference each other, so the pass produces nothing.
 * - `semi-space`: `node --max-semi-space-size=64` (a larger young generation: fewer scavenges).
 * - `both`: the two together.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateConfig, writeConfig } from "./generate";

const REPO = path.resolve(__dirname, "..");
const VARIANTS: Record<string, { patch: boolean; execArgv: string[] }> = {
  current: { patch: false, execArgv: [] },
  "no-prepare": { patch: true, execArgv: [] },
  "semi-space": { patch: false, execArgv: ["--max-semi-space-size=64"] },
  both: { patch: true, execArgv: ["--max-semi-space-size=64"] },
};

function child(variant: string, configDir: string, outdir: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("../stacks/no-stack-traces");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GatewayStack } = require("../stacks/gateway-stack") as typeof import("../stacks/gateway-stack");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadConfig } = require("../config/load") as typeof import("../config/load");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesize } = require("../stacks/synth") as typeof import("../stacks/synth");
  if (VARIANTS[variant].patch) {
    GatewayStack.prototype.prepareStack = function (this: InstanceType<typeof GatewayStack>) {
      this.ensureBackendExists();
    };
  }
  const t0 = process.hrtime.bigint();
  const envs = loadConfig(configDir).environments.map((e) => e.config);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage();
  synthesize(envs, outdir);
  const synthMs = Number(process.hrtime.bigint() - t1) / 1e6;
  const cpu = process.cpuUsage(c1);
  // CPU time (all threads, GC helpers included) is steadier than wall time on a shared machine.
  process.stdout.write(`${JSON.stringify({ loadMs, synthMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKB: process.resourceUsage().maxRSS })}\n`);
}

function same(a: string, b: string): boolean {
  const files = (d: string) => fs.readdirSync(path.join(d, "stacks")).sort();
  return files(a).every((s) => fs.readFileSync(path.join(a, "stacks", s, "cdk.tf.json")).equals(fs.readFileSync(path.join(b, "stacks", s, "cdk.tf.json"))));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(): void {
  const arg = (f: string, d: number) => (process.argv.includes(f) ? Number(process.argv[process.argv.indexOf(f) + 1]) : d);
  const n = arg("--n", 1000);
  const repeats = arg("--repeats", 5);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ai-gateway-variants-"));
  try {
    const cfg = writeConfig(path.join(work, "cfg"), generateConfig({ endpoints: n }));
    const samples: Record<string, { synth: number[]; cpu: number[]; rss: number[] }> = {};
    for (let r = -1; r < repeats; r++) {
      for (const [name, v] of Object.entries(VARIANTS)) {
        const out = path.join(work, `out-${name}`);
        const res = spawnSync(process.execPath, [...v.execArgv, "--require", "tsx/cjs", __filename, "child", name, cfg, out], { cwd: REPO, encoding: "utf8" });
        if (res.status !== 0) throw new Error(res.stderr);
        if (r < 0) continue; // warm-up
        const m = JSON.parse(res.stdout.trim().split("\n").pop()!) as { synthMs: number; cpuMs: number; maxRssKB: number };
        (samples[name] ??= { synth: [], cpu: [], rss: [] }).synth.push(m.synthMs);
        samples[name].cpu.push(m.cpuMs);
        samples[name].rss.push(m.maxRssKB);
      }
    }
    const base = median(samples.current.synth);
    const baseCpu = median(samples.current.cpu);
    process.stdout.write(`N=${n} × 3 environments, construct+synth in-process, median of ${repeats} (interleaved)\n`);
    process.stdout.write("| variant | synth wall ms | vs current | synth CPU ms | vs current | peak RSS MiB | output identical |\n|---|--:|--:|--:|--:|--:|---|\n");
    for (const name of Object.keys(VARIANTS)) {
      const ms = median(samples[name].synth);
      const cpu = median(samples[name].cpu);
      const rss = Math.max(...samples[name].rss) / 1024;
      const identical = same(path.join(work, "out-current"), path.join(work, `out-${name}`));
      process.stdout.write(`| ${name} | ${ms.toFixed(0)} | ${((100 * (ms - base)) / base).toFixed(0)} % | ${cpu.toFixed(0)} | ${((100 * (cpu - baseCpu)) / baseCpu).toFixed(0)} % | ${rss.toFixed(0)} | ${identical ? "yes" : "NO"} |\n`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  if (process.argv[2] === "child") child(process.argv[3], process.argv[4], process.argv[5]);
  else main();
}
