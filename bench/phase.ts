/**
 * One measured phase in its own process, so its peak resident memory is its own. The parent
 * (bench/run.ts) runs `node --require tsx/cjs bench/phase.ts <phase> ...` and reads one JSON line.
 *
 * - `synth --config DIR --out DIR`: load + validate, then construct + synth, timed separately
 *   (the same calls `npm run synth` makes, after the same stack-trace stub as main.ts).
 * - `review --base DIR --head DIR`: `reviewStacks` + `renderMarkdown` on two synthesized outputs,
 *   when review/index.ts exports them; otherwise `{ "available": false }`.
 *
 * maxRSS is process.resourceUsage().maxRSS (KiB, the high-water mark so far): read after loading it
 * is the peak of the load phase, read at the end the peak of the whole process.
 */
import * as fs from "fs";
import * as path from "path";

const REPO = path.resolve(__dirname, "..");

function flag(name: string): string {
  const i = process.argv.indexOf(name);
  const value = i < 0 ? undefined : process.argv[i + 1];
  if (!value) throw new Error(`bench/phase.ts: missing ${name}`);
  return value;
}

const ms = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;
const maxRssKB = (): number => process.resourceUsage().maxRSS;
const emit = (result: object): void => void process.stdout.write(`${JSON.stringify(result)}\n`);

function synthPhase(): void {
  const t0 = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("../stacks/cdktf-internals");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadConfig } = require("../config/load") as typeof import("../config/load");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatProblem } = require("../config/errors") as typeof import("../config/errors");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesize } = require("../stacks/synth") as typeof import("../stacks/synth");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { collectGarbageIfLarge } = require("../config/memory") as typeof import("../config/memory");
  const importMs = ms(t0);

  const t1 = process.hrtime.bigint();
  // As runSynth does: keep the configs, let the located trees go before synthesis.
  const { problems, environments } = (() => {
    const result = loadConfig(flag("--config"));
    return { problems: result.problems, environments: result.environments.map((e) => e.config) };
  })();
  const loadMs = ms(t1);
  const loadRssKB = maxRssKB();
  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.length - errors.length;
  if (errors.length > 0) {
    emit({ importMs, loadMs, errors: errors.length, warnings, problems: errors.slice(0, 20).map(formatProblem) });
    return;
  }
  const t2 = process.hrtime.bigint();
  // As runSynth does: one collection between loading and synthesis (config/memory.ts).
  collectGarbageIfLarge();
  synthesize(environments, flag("--out"));
  const synthMs = ms(t2);
  const endpoints = environments.reduce((n, e) => n + Object.keys(e.endpoints).length, 0);
  emit({ importMs, loadMs, synthMs, errors: 0, warnings, endpoints, loadRssKB, maxRssKB: maxRssKB() });
}

/** Every stack of a synthesized output directory, by environment name. */
export function readStacks(outdir: string): Record<string, unknown> {
  const stacks: Record<string, unknown> = {};
  const dir = path.join(outdir, "stacks");
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, "cdk.tf.json");
    if (fs.existsSync(file)) stacks[name.replace(/^gateway-/, "")] = JSON.parse(fs.readFileSync(file, "utf8"));
  }
  return stacks;
}

type ReviewModule = {
  reviewStacks?: (base: Record<string, unknown>, head: Record<string, unknown>) => unknown;
  renderMarkdown?: (review: unknown) => string;
};

/** review/index.ts if it exports reviewStacks and renderMarkdown; else why not. */
export function loadReview(): { module?: Required<ReviewModule>; reason?: string } {
  // A computed path: review/ is built concurrently and may not exist when this compiles.
  const file = path.join(REPO, "review", "index");
  let mod: ReviewModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(file) as ReviewModule;
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { reason: code === "MODULE_NOT_FOUND" ? "review/index.ts not found" : `review/index.ts failed to load: ${(e as Error).message.split("\n")[0]}` };
  }
  if (typeof mod.reviewStacks !== "function" || typeof mod.renderMarkdown !== "function") {
    return { reason: "review/index.ts does not export reviewStacks and renderMarkdown" };
  }
  return { module: mod as Required<ReviewModule> };
}

function reviewPhase(): void {
  const t0 = process.hrtime.bigint();
  const review = loadReview();
  const importMs = ms(t0);
  if (!review.module) {
    emit({ available: false, reason: review.reason });
    return;
  }
  const t1 = process.hrtime.bigint();
  const base = readStacks(flag("--base"));
  const head = readStacks(flag("--head"));
  const readMs = ms(t1);
  const t2 = process.hrtime.bigint();
  const result = review.module.reviewStacks(base, head);
  const markdown = review.module.renderMarkdown(result);
  const reviewMs = ms(t2);
  emit({ available: true, importMs, readMs, reviewMs, markdownChars: markdown.length, maxRssKB: maxRssKB() });
}

if (require.main === module) {
  const phase = process.argv[2];
  if (phase === "synth") synthPhase();
  else if (phase === "review") reviewPhase();
  else throw new Error(`bench/phase.ts: unknown phase "${phase}" (synth | review)`);
}
