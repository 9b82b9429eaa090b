/**
 * `npm run bench [-- --quick] [--large] [--sizes 10,100] [--repeats K] [--profile] [--keep]`
 *
 * Generates synthetic configs (bench/generate.ts) of N endpoints × 3 environments and measures, in
 * one run, each figure as the median of several repeats, every phase in its own process:
 * - load + validate, and construct + synth, in-process (bench/phase.ts, no CLI, no node start-up);
 * - `npm run synth -- --config DIR` as a child process (wall: npm, node start-up, imports);
 * - the floor (bench/floor.ts: same parser, plain merge, JSON.stringify, no constructs), in-process
 *   and as a child process, and the ratios of synth to it;
 * - review of base vs head with 10 % of endpoints changed (review/index.ts, when it exists);
 * - peak resident memory of each child (GNU time's %M, or the child's own maxRSS).
 * - `npm run validate -- --config DIR` as a child process (wall and peak RSS).
 * `--large` adds N = 10,000 (one repeat, no review: about ten minutes on a 2-core machine).
 * Also the example config through `npm run synth`. Prints a table, writes bench-results.json,
 * checks linear growth (time and memory per endpoint) and the targets. `--profile` adds one `node --cpu-prof` run of
 * `npm run synth`'s command at the largest N and prints where the time goes.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { printHelpIfAsked } from "../cli/args";
import { generateConfig, writeConfig } from "./generate";
import { BENCH_HELP } from "./help";
import { summarizeProfile, SYNTH_PATH_FRAMES } from "./profile";

const REPO = path.resolve(__dirname, "..");
const GNU_TIME = "/usr/bin/time";
const HAS_GNU_TIME = fs.existsSync(GNU_TIME) && spawnSync(GNU_TIME, ["-f", "%M", "true"]).status === 0;
/** Issue 15's targets: ratios to the floor measured in the same run, not absolute times. */
const TARGETS = { synthOverFloor: 3, peakRssMiB: 1024, exampleSynthMs: 1000, linearGrowth: 1.5 };
/** Sizes above this run once, without the review and the warm-up (each run takes minutes). */
const LARGE = 1000;

interface Options {
  quick: boolean;
  sizes: number[];
  repeats: (n: number) => number;
  profile: boolean;
  keep: boolean;
  out: string;
}

function parseOptions(argv: readonly string[]): Options {
  const quick = argv.includes("--quick");
  const large = argv.includes("--large");
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i < 0 ? undefined : argv[i + 1];
  };
  const known = new Set(["--quick", "--large", "--sizes", "--repeats", "--profile", "--keep", "--out"]);
  for (let i = 0; i < argv.length; i++) {
    if (!known.has(argv[i])) throw new Error(`unknown argument "${argv[i]}"; accepted: --quick, --large, --sizes 10,100, --repeats K, --profile, --keep, --out FILE`);
    if (["--sizes", "--repeats", "--out"].includes(argv[i])) i++;
  }
  const sizes = value("--sizes")?.split(",").map(Number) ?? [...(quick ? [10, 100] : [10, 100, 500, 1000]), ...(large ? [10000] : [])];
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--sizes takes positive integers, e.g. --sizes 10,100");
  const fixed = value("--repeats") !== undefined ? Number(value("--repeats")) : undefined;
  return {
    quick,
    sizes,
    // Small sizes are cheap and noisier: more repeats there.
    repeats: (n) => (n > LARGE ? 1 : fixed ?? (quick ? 3 : n >= 500 ? 3 : 5)),
    profile: argv.includes("--profile"),
    keep: argv.includes("--keep"),
    out: value("--out") ?? path.join(REPO, "bench-results.json"),
  };
}

// ---- child processes ---------------------------------------------------------------------

interface ChildRun {
  wallMs: number;
  maxRssKB?: number;
  /** User + system CPU time of the child and its children (GNU time): robust to a loaded machine. */
  cpuMs?: number;
  stdout: string;
}

/** Runs a command; wall time from here, peak RSS from GNU time when present. */
function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildRun {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}`);
  const [file, argv] = HAS_GNU_TIME ? [GNU_TIME, ["-f", "%M %U %S", "-o", rssFile, cmd, ...args]] : [cmd, [...args]];
  const started = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd: REPO, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stderr?.slice(-4000)}\n${r.stdout?.slice(-2000)}`);
  }
  let maxRssKB: number | undefined;
  let cpuMs: number | undefined;
  if (HAS_GNU_TIME) {
    const [rssKB, user, sys] = (fs.readFileSync(rssFile, "utf8").trim().split("\n").pop() ?? "").split(" ").map(Number);
    maxRssKB = rssKB;
    cpuMs = (user + sys) * 1000;
    fs.rmSync(rssFile, { force: true });
  }
  return { wallMs, maxRssKB, cpuMs, stdout: r.stdout };
}

const TSX = ["--expose-gc", "--require", "tsx/cjs"];
/** The floor starts the way `npm run synth` starts (scripts/run.cjs: bundled, cached), so wall ratios compare equal start-ups. */
const LAUNCHER = ["--expose-gc", "scripts/run.cjs"];
/** npm must not stop to check for updates in the middle of a measurement. */
const QUIET_NPM = { npm_config_update_notifier: "false", NO_UPDATE_NOTIFIER: "1", CHECKPOINT_DISABLE: "1" };

function lastJson<T>(stdout: string): T {
  const line = stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as T;
}

interface SynthPhase {
  importMs: number;
  loadMs: number;
  synthMs?: number;
  errors: number;
  warnings: number;
  endpoints?: number;
  loadRssKB?: number;
  maxRssKB?: number;
  problems?: string[];
}

function synthPhase(configDir: string, outdir: string): SynthPhase & { childRssKB?: number } {
  const r = run(process.execPath, [...TSX, "bench/phase.ts", "synth", "--config", configDir, "--out", outdir]);
  return { ...lastJson<SynthPhase>(r.stdout), childRssKB: r.maxRssKB };
}

function floorRun(configDir: string, outdir: string): { wallMs: number; ms: number; maxRssKB: number; cpuMs?: number } {
  const r = run(process.execPath, [...LAUNCHER, "bench/floor.ts", "--config", configDir, "--out", outdir]);
  const own = lastJson<{ ms: number; maxRssKB: number }>(r.stdout);
  return { wallMs: r.wallMs, ms: own.ms, maxRssKB: r.maxRssKB ?? own.maxRssKB, cpuMs: r.cpuMs };
}

function npmSynth(configDir: string, outdir: string): { wallMs: number; maxRssKB?: number; cpuMs?: number } {
  const r = run("npm", ["run", "synth", "--", "--config", configDir], { ...QUIET_NPM, CDKTF_OUTDIR: outdir });
  return { wallMs: r.wallMs, maxRssKB: r.maxRssKB, cpuMs: r.cpuMs };
}

function npmValidate(configDir: string): { wallMs: number; maxRssKB?: number } {
  const r = run("npm", ["run", "validate", "--", "--config", configDir], QUIET_NPM);
  return { wallMs: r.wallMs, maxRssKB: r.maxRssKB };
}

type ReviewPhase = { available: false; reason: string } | { available: true; reviewMs: number; readMs: number; markdownChars: number; maxRssKB: number };

function reviewRun(baseOut: string, headOut: string): ReviewPhase & { childRssKB?: number } {
  const r = run(process.execPath, [...TSX, "bench/phase.ts", "review", "--base", baseOut, "--head", headOut]);
  return { ...lastJson<ReviewPhase>(r.stdout), childRssKB: r.maxRssKB };
}

// ---- statistics --------------------------------------------------------------------------

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const max = (xs: readonly number[]): number => Math.max(...xs);
const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;
const mib = (kb: number | undefined): number | undefined => (kb === undefined ? undefined : round(kb / 1024, 1));

/** Median and the spread of one figure, in ms. */
interface Stat {
  median: number;
  min: number;
  max: number;
  samples: number[];
}
function stat(xs: readonly number[]): Stat {
  return { median: round(median(xs), 1), min: round(Math.min(...xs), 1), max: round(max(xs), 1), samples: xs.map((x) => round(x, 1)) };
}

function sameOutput(a: string, b: string): boolean {
  const stacks = (d: string) => fs.readdirSync(path.join(d, "stacks")).sort();
  const names = stacks(a);
  if (names.join() !== stacks(b).join()) return false;
  return names.every((s) => fs.readFileSync(path.join(a, "stacks", s, "cdk.tf.json")).equals(fs.readFileSync(path.join(b, "stacks", s, "cdk.tf.json"))));
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

// ---- one size ----------------------------------------------------------------------------

interface SizeResult {
  n: number;
  endpointsSynthesized: number;
  configKB: number;
  outputKB: number;
  repeats: number;
  warnings: number;
  floorIdentical: boolean;
  loadValidateMs: Stat;
  constructSynthMs: Stat;
  inProcessTotalMs: Stat;
  npmSynthWallMs: Stat;
  npmValidateWallMs: Stat;
  floorMs: Stat;
  floorWallMs: Stat;
  npmSynthCpuMs?: Stat;
  floorCpuMs?: Stat;
  reviewMs?: Stat;
  ratios: { npmSynthWallOverFloorWall: number; inProcessOverFloor: number; npmSynthCpuOverFloorCpu?: number };
  peakRssMiB: { npmSynth?: number; npmValidate?: number; inProcessSynth: number; loadValidate?: number; floor: number; review?: number };
}

function measureSize(n: number, work: string, options: Options, review: { available: boolean; reason?: string }, log: (s: string) => void): SizeResult {
  const dir = path.join(work, `n${n}`);
  const baseCfg = writeConfig(path.join(dir, "base"), generateConfig({ endpoints: n }));
  const large = n > LARGE;
  const headCfg = large ? baseCfg : writeConfig(path.join(dir, "head"), generateConfig({ endpoints: n, variant: "head", changedFraction: 0.1 }));
  const out = (what: string) => path.join(dir, `out-${what}`);
  if (large) review = { available: false, reason: `not run above N=${LARGE}` };

  // Warm-up (file cache, tsx cache) and the validity gate: the generated config must validate.
  // Large sizes skip it: the measured in-process run below fails on an invalid config.
  for (const [what, cfg] of large ? [] : ([["base", baseCfg], ["head", headCfg]] as const)) {
    const gate = synthPhase(cfg, out(`${what}-synth`));
    if (gate.errors > 0) {
      throw new Error(`generated ${what} config at N=${n} does not validate (${gate.errors} errors); fix bench/generate.ts:\n${gate.problems?.join("\n")}`);
    }
  }

  const reps = options.repeats(n);
  const s = { load: [] as number[], synth: [] as number[], total: [] as number[], npm: [] as number[], validate: [] as number[], floor: [] as number[], floorWall: [] as number[], review: [] as number[], npmCpu: [] as number[], floorCpu: [] as number[] };
  const rss = { npm: [] as number[], validate: [] as number[], inproc: [] as number[], load: [] as number[], floor: [] as number[], review: [] as number[] };
  let warnings = 0;
  let endpoints = 0;
  for (let r = 0; r < reps; r++) {
    const p = synthPhase(baseCfg, out("base-synth"));
    if (p.errors > 0) throw new Error(`generated config at N=${n} does not validate (${p.errors} errors); fix bench/generate.ts:\n${p.problems?.join("\n")}`);
    s.load.push(p.loadMs);
    s.synth.push(p.synthMs!);
    s.total.push(p.loadMs + p.synthMs!);
    rss.inproc.push(p.childRssKB ?? p.maxRssKB!);
    if (p.loadRssKB) rss.load.push(p.loadRssKB);
    warnings = p.warnings;
    endpoints = p.endpoints ?? 0;

    const f = floorRun(baseCfg, out("floor"));
    s.floor.push(f.ms);
    s.floorWall.push(f.wallMs);
    if (f.cpuMs !== undefined) s.floorCpu.push(f.cpuMs);
    rss.floor.push(f.maxRssKB);

    const m = npmSynth(baseCfg, out("npm"));
    s.npm.push(m.wallMs);
    if (m.cpuMs !== undefined) s.npmCpu.push(m.cpuMs);
    if (m.maxRssKB !== undefined) rss.npm.push(m.maxRssKB);

    const v = npmValidate(baseCfg);
    s.validate.push(v.wallMs);
    if (v.maxRssKB !== undefined) rss.validate.push(v.maxRssKB);

    if (review.available) {
      const v = reviewRun(out("base-synth"), out("head-synth"));
      if (v.available) {
        s.review.push(v.reviewMs);
        rss.review.push(v.childRssKB ?? v.maxRssKB);
      } else {
        review.available = false;
        review.reason = v.reason;
      }
    }
    log(`  N=${n} repeat ${r + 1}/${reps}: load ${round(p.loadMs)} ms, synth ${round(p.synthMs!)} ms, npm run synth ${round(m.wallMs)} ms, floor ${round(f.ms)} ms (wall ${round(f.wallMs)}), npm run validate ${round(v.wallMs)} ms${s.review.length > r ? `, review ${round(s.review[r])} ms` : ""}`);
  }
  const floorIdentical = sameOutput(out("base-synth"), out("floor")) && sameOutput(out("npm"), out("floor"));
  const median_ = (xs: number[]) => median(xs);
  return {
    n,
    endpointsSynthesized: endpoints,
    configKB: round(dirBytes(baseCfg) / 1024),
    outputKB: round(dirBytes(path.join(out("floor"), "stacks")) / 1024),
    repeats: reps,
    warnings,
    floorIdentical,
    loadValidateMs: stat(s.load),
    constructSynthMs: stat(s.synth),
    inProcessTotalMs: stat(s.total),
    npmSynthWallMs: stat(s.npm),
    npmValidateWallMs: stat(s.validate),
    floorMs: stat(s.floor),
    floorWallMs: stat(s.floorWall),
    npmSynthCpuMs: s.npmCpu.length ? stat(s.npmCpu) : undefined,
    floorCpuMs: s.floorCpu.length ? stat(s.floorCpu) : undefined,
    reviewMs: s.review.length > 0 ? stat(s.review) : undefined,
    ratios: {
      npmSynthWallOverFloorWall: round(median_(s.npm) / median_(s.floorWall), 2),
      inProcessOverFloor: round(median_(s.total) / median_(s.floor), 2),
      npmSynthCpuOverFloorCpu: s.npmCpu.length && s.floorCpu.length ? round(median_(s.npmCpu) / median_(s.floorCpu), 2) : undefined,
    },
    peakRssMiB: {
      npmSynth: rss.npm.length ? mib(max(rss.npm)) : undefined,
      npmValidate: rss.validate.length ? mib(max(rss.validate)) : undefined,
      inProcessSynth: mib(max(rss.inproc))!,
      loadValidate: rss.load.length ? mib(max(rss.load)) : undefined,
      floor: mib(max(rss.floor))!,
      review: rss.review.length ? mib(max(rss.review)) : undefined,
    },
  };
}

// ---- report ------------------------------------------------------------------------------

function table(headers: string[], rows: (string | number | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined ? "n/a" : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  return [line(headers), `|${widths.map((w, i) => (i === 0 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`, ...cells.map(line)].join("\n");
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim(),
    totalMemMiB: round(os.totalmem() / 1024 / 1024),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAvg: os.loadavg().map((x) => round(x, 2)),
  };
}

function main(): number {
  if (printHelpIfAsked(process.argv.slice(2), BENCH_HELP, process.stdout)) return 0;
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ai-gateway-bench-"));
  const machineBefore = machine();
  log(`bench: sizes ${options.sizes.join(", ")} × 3 environments; work dir ${work}${HAS_GNU_TIME ? "" : " (no GNU time: peak RSS of npm run synth not measured)"}`);
  try {
    const reviewFile = ["index.ts", "index.js"].some((f) => fs.existsSync(path.join(REPO, "review", f)));
    const review = { available: reviewFile, reason: reviewFile ? undefined : "review/index.ts not found" } as { available: boolean; reason?: string };

    // The example config, as a user runs it.
    const exampleRuns: { wallMs: number; maxRssKB?: number }[] = [];
    npmSynth(path.join(REPO, "config"), path.join(work, "example-out")); // warm-up
    for (let r = 0; r < 5; r++) exampleRuns.push(npmSynth(path.join(REPO, "config"), path.join(work, "example-out")));
    const example = {
      npmSynthWallMs: stat(exampleRuns.map((r) => r.wallMs)),
      peakRssMiB: exampleRuns[0].maxRssKB === undefined ? undefined : mib(max(exampleRuns.map((r) => r.maxRssKB!))),
    };
    log(`  example config: npm run synth ${example.npmSynthWallMs.median} ms (median of 5)`);

    const sizes: SizeResult[] = [];
    for (const n of options.sizes) sizes.push(measureSize(n, work, options, review, log));

    // Growth per endpoint: what each endpoint adds over the smallest size, in time and memory.
    // Linear when the time per endpoint at each larger size stays within TARGETS.linearGrowth× of
    // the one at N=100 (a quadratic step shows up as a ratio that grows with N).
    const base = sizes[0];
    const perEndpoint = (x: SizeResult, pick: (y: SizeResult) => number | undefined, scale = 1) => {
      const a = pick(base);
      const b = pick(x);
      return x === base || a === undefined || b === undefined ? undefined : round(((b - a) / (x.n - base.n)) * scale, 3);
    };
    const growthRows = sizes.map((x) => ({
      n: x.n,
      synthMsPerEndpoint: perEndpoint(x, (y) => y.npmSynthWallMs.median),
      floorMsPerEndpoint: perEndpoint(x, (y) => y.floorWallMs.median),
      validateMsPerEndpoint: perEndpoint(x, (y) => y.npmValidateWallMs.median),
      synthKiBPerEndpoint: perEndpoint(x, (y) => y.peakRssMiB.npmSynth, 1024),
    }));
    const at = (n: number) => sizes.find((x) => x.n === n);
    const ref = at(100);
    const perEndpointAt = (x: SizeResult | undefined) => (x ? x.inProcessTotalMs.median / x.n : undefined);
    const linearChecks = sizes
      .filter((x) => ref && x.n > ref.n)
      .map((x) => ({ n: x.n, ratio: round(perEndpointAt(x)! / perEndpointAt(ref)!, 2) }));
    const linearPass = linearChecks.length === 0 ? undefined : linearChecks.every((c) => c.ratio <= TARGETS.linearGrowth);
    const linear = {
      rule: `in-process load+synth time per endpoint at each N within ${TARGETS.linearGrowth}× of N=100`,
      checks: linearChecks,
      perEndpoint: growthRows,
    };

    const target = (n: number) => {
      const x = at(n);
      if (!x) return `not measured (needs N=${n}${n > LARGE ? ", --large" : ""})`;
      const rssMiB = x.peakRssMiB.npmSynth ?? x.peakRssMiB.inProcessSynth;
      return {
        synthOverFloorWall: x.ratios.npmSynthWallOverFloorWall,
        synthOverFloorInProcess: x.ratios.inProcessOverFloor,
        synthOverFloorCpu: x.ratios.npmSynthCpuOverFloorCpu,
        ratioPass: x.ratios.npmSynthWallOverFloorWall <= TARGETS.synthOverFloor,
        peakRssMiB: rssMiB,
        rssPass: rssMiB < TARGETS.peakRssMiB,
      };
    };
    const targets = {
      n1000: target(1000),
      n10000: target(10000),
      exampleSynth: { valueMs: example.npmSynthWallMs.median, pass: example.npmSynthWallMs.median <= TARGETS.exampleSynthMs },
      linearGrowth: linearPass === undefined ? "not measured (needs N=100 and a larger N)" : { checks: linearChecks, pass: linearPass },
    };

    const results = {
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
      date: new Date().toISOString(),
      machine: { ...machineBefore, loadAvgAfter: machine().loadAvg },
      method:
        "medians of repeats (one repeat above N=1000); each phase in its own child process; npm run synth, npm run validate and the floor timed as child processes (wall, node start-up included); load/synth/floor/review also timed inside their process; peak RSS from GNU time %M (max over repeats)",
      review: review.available ? "measured" : `not available (${review.reason})`,
      targetsDefinition: TARGETS,
      example,
      sizes,
      linearGrowth: { ...linear, pass: linearPass },
      targets,
      durationS: 0,
    };

    const header = ["N", "endpoints", "npm run synth ms", "floor wall ms", "synth/floor (wall)", "synth/floor (in-proc)", "synth CPU ms", "floor CPU ms", "synth/floor (CPU)", "synth peak RSS MiB", "floor peak RSS MiB", "npm run validate ms", "validate peak RSS MiB", "synth ms/endpoint", "synth KiB/endpoint", "review ms"];
    const rows = sizes.map((x, i) => [
      x.n,
      x.endpointsSynthesized,
      round(x.npmSynthWallMs.median),
      round(x.floorWallMs.median),
      `${x.ratios.npmSynthWallOverFloorWall}×`,
      `${x.ratios.inProcessOverFloor}×`,
      x.npmSynthCpuMs && round(x.npmSynthCpuMs.median),
      x.floorCpuMs && round(x.floorCpuMs.median),
      x.ratios.npmSynthCpuOverFloorCpu !== undefined ? `${x.ratios.npmSynthCpuOverFloorCpu}×` : undefined,
      x.peakRssMiB.npmSynth ?? x.peakRssMiB.inProcessSynth,
      x.peakRssMiB.floor,
      round(x.npmValidateWallMs.median),
      x.peakRssMiB.npmValidate,
      growthRows[i].synthMsPerEndpoint,
      growthRows[i].synthKiBPerEndpoint,
      x.reviewMs ? round(x.reviewMs.median, 1) : undefined,
    ]);
    const pf = (p: boolean | undefined) => (p === undefined ? "not measured" : p ? "PASS" : "FAIL");
    const targetLine = (n: number, t: ReturnType<typeof target>) =>
      typeof t === "string"
        ? `N=${n}: ${t}`
        : `N=${n}: npm run synth / floor = ${t.synthOverFloorWall}× wall, ${t.synthOverFloorInProcess}× in-process, ${t.synthOverFloorCpu ?? "n/a"}× CPU time (target ≤ ${TARGETS.synthOverFloor}×): ${pf(t.ratioPass)}; peak RSS ${t.peakRssMiB} MiB (target < ${TARGETS.peakRssMiB} MiB${n === 1000 ? ", set for N=10000" : ""}): ${pf(t.rssPass)}`;
    const lines = [
      "",
      table(header, rows),
      "",
      `(ms/endpoint and KiB/endpoint: growth over N=${base.n}, per endpoint of gateway.yaml; each is synthesized in up to 3 environments)`,
      `example config: npm run synth ${round(example.npmSynthWallMs.median)} ms wall (target ≤ ${TARGETS.exampleSynthMs} ms): ${pf(targets.exampleSynth.pass)}`,
      targetLine(1000, targets.n1000),
      targetLine(10000, targets.n10000),
      `linear growth (${linear.rule}): ${linearChecks.map((c) => `N=${c.n} ${c.ratio}×`).join(", ")} ${pf(linearPass)}`,
      `floor output byte-identical to npm run synth: ${sizes.every((x) => x.floorIdentical) ? "yes" : `NO at N=${sizes.filter((x) => !x.floorIdentical).map((x) => x.n).join(", ")}`}`,
      `validation of generated configs: 0 errors, ${sizes.map((x) => x.warnings).reduce((a, b) => a + b, 0)} warnings`,
      review.available ? `review: base vs head, 10 % of endpoints changed${sizes.some((x) => x.n > LARGE) ? ` (not run above N=${LARGE})` : ""}` : `review: not available (${review.reason})`,
      `machine: ${machineBefore.cpus} × ${machineBefore.cpuModel}, ${machineBefore.os}, node ${machineBefore.node}, load average ${machineBefore.loadAvg.join(" ")} before, ${results.machine.loadAvgAfter.join(" ")} after`,
    ];
    if (options.profile) {
      const n = Math.max(...options.sizes);
      const profDir = path.join(work, "profile");
      run(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${profDir}`, ...TSX, "main.ts", "--config", path.join(work, `n${n}`, "base")], { CDKTF_OUTDIR: path.join(work, "profile-out") });
      const file = path.join(profDir, fs.readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"))!);
      const summary = summarizeProfile(file, SYNTH_PATH_FRAMES, 15);
      const part = (label: string) => summary.inclusive.find((r) => r.name.startsWith(label))?.ms ?? 0;
      const startup = summary.totalMs - part("loadConfig") - part("synthesize");
      summary.inclusive.unshift({ name: "start-up and the rest (module loading, tsx, output)", ms: startup, pct: round((100 * startup) / summary.totalMs, 1) });
      (results as Record<string, unknown>).profile = { n, ...summary };
      lines.push(
        "",
        `profile of \`node --require tsx/cjs main.ts\` at N=${n} (${summary.totalMs} ms sampled): inclusive`,
        table(["frame", "ms", "%"], summary.inclusive.map((r) => [r.name, r.ms, r.pct])),
        "self time by package",
        table(["package", "ms", "%"], summary.selfByPackage.slice(0, 10).map((r) => [r.name, r.ms, r.pct])),
        "self time by function",
        table(["function", "ms", "%"], summary.selfByFunction.slice(0, 12).map((r) => [r.name, r.ms, r.pct])),
      );
    }

    results.durationS = round((Date.now() - started) / 1000, 1);
    lines.push(`bench took ${results.durationS} s; results in ${path.relative(process.cwd(), options.out) || options.out}`);
    fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    if (options.keep) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main();
