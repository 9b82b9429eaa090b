/**
 * The benchmark's inputs and yardstick stay honest: the generated config is valid (a benchmark of
 * rejected config would measure nothing), and the floor writes exactly what `npm run synth` writes
 * (so synth/floor compares equal outputs, not a cheaper one).
 */
import * as fs from "fs";
import * as path from "path";
import { floorSynth } from "../../bench/floor";
import { ENDPOINT_KINDS, endpointKey, generateConfig, writeConfig } from "../../bench/generate";
import { formatProblem } from "../../config/errors";
import { loadConfig } from "../../config/load";
import { synthesize } from "../../stacks/synth";
import { EXAMPLE_CONFIG, tempDir } from "../helpers";

const N = 10;

/** Every problem, warnings too: a realistic config is one its authors would not get warned about. */
function problemsOf(dir: string): string[] {
  return loadConfig(dir).problems.map(formatProblem);
}

function stackFiles(outdir: string): Record<string, string> {
  const dir = path.join(outdir, "stacks");
  return Object.fromEntries(fs.readdirSync(dir).map((s) => [s, fs.readFileSync(path.join(dir, s, "cdk.tf.json"), "utf8")]));
}

/** Real synth and floor of one config dir: same stacks, same bytes. */
function expectFloorMatchesSynth(configDir: string): void {
  const result = loadConfig(configDir);
  expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
  const real = path.join(tempDir("bench-real-"), "out");
  const floor = path.join(tempDir("bench-floor-"), "out");
  synthesize(
    result.environments.map((e) => e.config),
    real,
  );
  floorSynth(configDir, floor);
  const a = stackFiles(real);
  const b = stackFiles(floor);
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const stack of Object.keys(a)) {
    // Parsed first for a readable diff; then bytes (key order, indentation, metadata).
    expect({ stack, json: JSON.parse(b[stack]) }).toEqual({ stack, json: JSON.parse(a[stack]) });
    expect(b[stack]).toBe(a[stack]);
  }
}

describe("bench/generate", () => {
  const base = generateConfig({ endpoints: N });
  const head = generateConfig({ endpoints: N, variant: "head" });

  test("is deterministic and covers every endpoint kind in three environments", () => {
    expect(generateConfig({ endpoints: N })).toEqual(base);
    expect(Object.keys(base).sort()).toEqual(["environments/dev.yaml", "environments/prod.yaml", "environments/staging.yaml", "gateway.yaml"]);
    for (let i = 0; i < ENDPOINT_KINDS.length; i++) expect(base["gateway.yaml"]).toContain(`  ${endpointKey(i)}:\n`);
    for (const feature of ["fallback:", "split:", "key: user_group", "key: service_principal", "guardrails:", "inference_table:", "permissions:", "tags:"]) {
      expect(base["gateway.yaml"]).toContain(feature);
    }
  });

  test("base and head validate with no errors and no warnings", () => {
    expect(problemsOf(writeConfig(tempDir("bench-base-"), base))).toEqual([]);
    expect(problemsOf(writeConfig(tempDir("bench-head-"), head))).toEqual([]);
  });

  test("head changes about 10 % of the endpoints and keeps the rest", () => {
    const blocks = (yaml: string) => yaml.split(/\n(?= {2}\S)/).filter((b) => /^ {2}\S/.test(b));
    const a = blocks(base["gateway.yaml"]);
    const b = blocks(head["gateway.yaml"]);
    expect(b).toHaveLength(a.length);
    expect(a.filter((block, i) => block !== b[i])).toHaveLength(Math.round(N / 10));
  });

  test("the changed endpoints rotate through every endpoint kind (the review workload is mixed)", () => {
    const n = 100;
    const blocks = (yaml: string) => yaml.split(/\n(?= {2}\S)/).filter((block) => /^ {2}\S/.test(block));
    const a = blocks(generateConfig({ endpoints: n })["gateway.yaml"]);
    const b = blocks(generateConfig({ endpoints: n, variant: "head" })["gateway.yaml"]);
    const changedKinds = new Set(
      a.filter((block, i) => block !== b[i]).map((block) => ENDPOINT_KINDS.find((kind) => block.includes(`-${kind}-`))),
    );
    expect([...changedKinds].sort()).toEqual([...ENDPOINT_KINDS].sort());
  });
});

describe("bench/floor", () => {
  test("writes byte-identical cdk.tf.json to npm run synth for a generated config", () => {
    expectFloorMatchesSynth(writeConfig(tempDir("bench-floor-cfg-"), generateConfig({ endpoints: N, variant: "head" })));
  });

  test("writes byte-identical cdk.tf.json to npm run synth for the example config", () => {
    expectFloorMatchesSynth(EXAMPLE_CONFIG);
  });
});
