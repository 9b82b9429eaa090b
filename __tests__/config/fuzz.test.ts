/**
 * Property-based tests: mutations of the valid example config must always come back as
 * structured problems with a location (never an exception), and whatever the validator accepts
 * must synthesize (the validator and the constructs agree).
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { Testing } from "cdktf";
import { LoadResult, validateFiles } from "../../config/load";
import { parseYamlFile } from "../../config/located";
import { GatewayStack } from "../../stacks/gateway-stack";
import { EXAMPLE_CONFIG } from "../helpers";

type Files = { gateway: string; envs: Record<string, string> };

const example: Files = {
  gateway: fs.readFileSync(path.join(EXAMPLE_CONFIG, "gateway.yaml"), "utf8"),
  envs: Object.fromEntries(
    ["dev", "staging", "prod"].map((e) => [e, fs.readFileSync(path.join(EXAMPLE_CONFIG, "environments", `${e}.yaml`), "utf8")]),
  ),
};

function load(files: Files): LoadResult {
  return validateFiles(
    parseYamlFile("gateway.yaml", files.gateway),
    Object.entries(files.envs).map(([name, text]) => ({ name, file: parseYamlFile(`environments/${name}.yaml`, text) })),
  );
}

type Json = unknown;
type PathSeg = string | number;

/** Every path to a value in a plain tree. */
function paths(value: Json, at: PathSeg[] = []): PathSeg[][] {
  const out: PathSeg[][] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function update(value: Json, at: PathSeg[], fn: (old: Json, parent: any, key: PathSeg) => void): Json {
  const copy = structuredClone(value);
  if (at.length === 0) return copy;
  let parent: any = copy;
  for (const seg of at.slice(0, -1)) parent = parent[seg];
  fn(parent[at[at.length - 1]], parent, at[at.length - 1]);
  return copy;
}

/** Names that have broken JavaScript or cdktf code before: prototype members, construct ids, templates. */
const NASTY_NAMES = ["constructor", "__proto__", "toString", "databricks", "backend", "endpoints", "outputs", "chat-output", "${x}", "%{y}", "<<", "1"];

const replacement = fc.oneof(
  fc.integer({ min: -1000, max: 1_000_000 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
  fc.constantFrom("BLOCK", "MASK", "user_group", "endpoint", "llm/v1/chat", "openai", "CAN_QUERY", "{{secrets/a/b}}", "s3"),
  fc.constantFrom(...NASTY_NAMES),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

type Mutation = { kind: "replace" | "delete" | "unknown-key" | "rename-key"; pick: number; value: Json; key: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("replace", "delete", "unknown-key", "rename-key"),
  pick: fc.nat(),
  value: replacement,
  key: fc.oneof(fc.string({ minLength: 1, maxLength: 16 }), fc.constantFrom(...NASTY_NAMES)),
});

function mutate(doc: Json, m: Mutation): Json {
  const all = paths(doc).filter((p) => p.length > 0);
  const at = all[m.pick % all.length];
  if (m.kind === "replace") return update(doc, at, (_o, parent, key) => (parent[key] = m.value));
  if (m.kind === "delete") {
    return update(doc, at, (_o, parent, key) => (Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key]));
  }
  if (m.kind === "rename-key") {
    // Rename a map key in place (endpoint keys, entity names in a split, tag keys...).
    return update(doc, at, (_o, parent, key) => {
      if (Array.isArray(parent) || typeof key !== "string" || key === m.key) return;
      const entries = Object.entries(parent).map(([k, v]) => [k === key ? m.key : k, v] as const);
      for (const k of Object.keys(parent)) delete parent[k];
      for (const [k, v] of entries) Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true });
    });
  }
  return update(doc, at, (old) => {
    if (old && typeof old === "object" && !Array.isArray(old)) Object.defineProperty(old, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  });
}

/** Outcomes seen, so a generator that only ever breaks (or never breaks) the config is noticed. */
const outcomes = { rejected: 0, accepted: 0 };

function assertStructured(result: LoadResult): void {
  if (result.problems.some((p) => p.severity === "error")) outcomes.rejected++;
  else outcomes.accepted++;
  for (const p of result.problems) {
    expect(typeof p.location.file).toBe("string");
    expect(p.location.line).toBeGreaterThanOrEqual(1);
    expect(p.location.col).toBeGreaterThanOrEqual(1);
    expect(p.path.length).toBeGreaterThan(0);
    expect(p.message.length).toBeGreaterThan(10);
    expect(p.message).not.toMatch(/\[object Object\]|undefined/);
  }
  if (result.problems.some((p) => p.severity === "error")) expect(result.environments).toEqual([]);
}

/** What the validator accepts, the constructs must render without throwing. */
function assertSynthesizes(result: LoadResult): void {
  for (const env of result.environments) {
    expect(() => Testing.synth(new GatewayStack(Testing.app(), env.config))).not.toThrow();
  }
}

describe("fuzzed config", () => {
  const docs = { gateway: parse(example.gateway), envs: Object.fromEntries(Object.entries(example.envs).map(([k, v]) => [k, parse(v)])) };

  test("the unmutated example is valid (the starting point of every mutation)", () => {
    expect(load(example).problems).toEqual([]);
  });

  test("mutations of gateway.yaml give structured, located problems or a config that synthesizes", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        let doc = docs.gateway;
        for (const m of ms) doc = mutate(doc, m);
        const result = load({ ...example, gateway: stringify(doc) });
        assertStructured(result);
        assertSynthesizes(result);
      }),
      { numRuns: 200, seed: 4711 },
    );
  });

  test("mutations of an environment file give structured, located problems or a config that synthesizes", () => {
    fc.assert(
      fc.property(fc.constantFrom("dev", "staging", "prod"), fc.array(mutation, { minLength: 1, maxLength: 3 }), (env, ms) => {
        let doc = docs.envs[env];
        for (const m of ms) doc = mutate(doc, m);
        const result = load({ ...example, envs: { ...example.envs, [env]: stringify(doc) } });
        assertStructured(result);
        assertSynthesizes(result);
      }),
      { numRuns: 100, seed: 1234 },
    );
  });

  test("mutations exercised both outcomes: rejected and accepted configs", () => {
    expect(outcomes.rejected).toBeGreaterThan(50);
    expect(outcomes.accepted).toBeGreaterThan(10);
  });

  test("random edits of the YAML text never throw", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 6 }), (pos, del, insert) => {
        const text = example.gateway;
        const at = pos % text.length;
        const edited = text.slice(0, at) + insert + text.slice(at + del);
        assertStructured(load({ ...example, gateway: edited }));
      }),
      { numRuns: 200, seed: 99 },
    );
  });
});
