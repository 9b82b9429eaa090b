/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by package,
 * and inclusive time of chosen frames (each sample counted once per frame, so recursion does not
 * inflate it). Used by `npm run bench -- --profile`; also runs alone:
 * `node --require tsx/cjs bench/profile.ts FILE.cpuprofile`.
 */
import * as fs from "fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  readonly name: string;
  readonly ms: number;
  readonly pct: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly selfByFunction: ProfileRow[];
  readonly selfByPackage: ProfileRow[];
  readonly inclusive: ProfileRow[];
}

/** `node_modules/<pkg>` (scoped too), our own top-level folder, `node:internal`, or a V8 marker. */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return "node (internal)";
  const m = /\/(bench|config|constructs|stacks|review|cli)\//.exec(url);
  if (m) return `project ${m[1]}/`;
  return url.split("/").slice(-2).join("/");
}

function frameLabel(f: CallFrame): string {
  const file = f.url ? f.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(bench|config|constructs|stacks|review|cli)\//, "$1/") : "";
  return `${f.functionName || "(anonymous)"} ${file ? `${file}:${f.lineNumber + 1}` : ""}`.trim();
}

/**
 * `inclusiveOf` maps a report label to a predicate on frames: a sample counts toward the label when
 * any frame of its stack matches.
 */
export function summarizeProfile(file: string, inclusiveOf: Record<string, (f: CallFrame) => boolean> = {}, top = 20): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) byId.set(n.id, n);
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfFn = new Map<string, number>();
  const selfPkg = new Map<string, number>();
  const incl = new Map<string, number>();
  const labels = Object.entries(inclusiveOf);
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    total += dt;
    const f = node.callFrame;
    selfFn.set(frameLabel(f), (selfFn.get(frameLabel(f)) ?? 0) + dt);
    const pkg = packageOf(f.url, f.functionName);
    selfPkg.set(pkg, (selfPkg.get(pkg) ?? 0) + dt);
    if (labels.length === 0) continue;
    const hit = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      for (const [label, match] of labels) if (!hit.has(label) && match(frame)) hit.add(label);
    }
    for (const label of hit) incl.set(label, (incl.get(label) ?? 0) + dt);
  }
  const rows = (m: Map<string, number>, n: number): ProfileRow[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, v]) => ({ name, ms: Math.round(v), pct: Math.round((1000 * v) / total) / 10 }));
  return {
    totalMs: Math.round(total),
    selfByFunction: rows(selfFn, top),
    selfByPackage: rows(selfPkg, top),
    inclusive: labels.map(([label]) => ({ name: label, ms: Math.round(incl.get(label) ?? 0), pct: Math.round((1000 * (incl.get(label) ?? 0)) / total) / 10 })),
  };
}

/** Frames worth knowing the inclusive cost of on the synth path. */
export const SYNTH_PATH_FRAMES: Record<string, (f: CallFrame) => boolean> = {
  "loadConfig (read+parse+merge+validate)": (f) => f.functionName === "loadConfig" && f.url.includes("/config/load"),
  "  yaml parseDocument": (f) => f.functionName === "parseDocument" && f.url.includes("node_modules/yaml"),
  "  zod safeParse": (f) => /safeParse/.test(f.functionName) && f.url.includes("node_modules/zod"),
  "  checkEnvironment (semantic)": (f) => f.functionName === "checkEnvironment",
  "synthesize (construct + synth + write)": (f) => f.functionName === "synthesizeTo" && f.url.includes("/stacks/synth"),
  "  GatewayStack constructor (construct tree)": (f) => f.functionName === "GatewayStack",
  "  synthesizeStack (one stack: aspects, validations, toTerraform, write)": (f) => f.functionName === "synthesizeStack" && f.url.includes("/stacks/cdktf-internals"),
  "    stackToTerraform (elements' toTerraform + resolve)": (f) => f.functionName === "stackToTerraform",
  "    resolveTokens (plain data fast, tokens to cdktf)": (f) => f.functionName === "resolveTokens",
  "    cdktf resolve() (tokens only)": (f) => f.functionName === "resolve" && f.url.includes("cdktf/lib/tokens/private/resolve"),
  "    stableStringify": (f) => f.functionName === "stableStringify",
  "    validations (node.validate)": (f) => /runAllValidations|validate$/.test(f.functionName) && f.url.includes("cdktf/lib"),
  "  stack-trace capture": (f) => f.functionName === "captureStackTrace",
  "garbage collector": (f) => f.functionName === "(garbage collector)",
};

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: profile.ts FILE.cpuprofile");
  process.stdout.write(`${JSON.stringify(summarizeProfile(file, SYNTH_PATH_FRAMES), null, 2)}\n`);
}
