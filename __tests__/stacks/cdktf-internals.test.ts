/**
 * stacks/cdktf-internals.ts replaces pieces of cdktf's synthesis with faster ones. These tests
 * hold each piece to cdktf's own: the same Terraform JSON as `TerraformStack.prototype.toTerraform`,
 * the same bytes as `app.synth()` (cdk.tf.json and manifest.json), the same values as cdktf's
 * resolver, the same text as json-stable-stringify, and the same failure on error Annotations.
 */
import * as fs from "fs";
import * as path from "path";
import { Annotations, App, Fn, Lazy, TerraformStack, Token } from "cdktf";
import { ENDPOINT_KINDS, generateConfig } from "../../bench/generate";
import { loadConfig } from "../../config/load";
import type { EnvironmentConfig } from "../../config/schema";
import {
  checkErrorAnnotations,
  releaseTokensSince,
  resolve,
  resolveTokens,
  sortInPlace,
  stableStringify,
  writeStableJson,
  stackToTerraform,
  tokenMark,
} from "../../stacks/cdktf-internals";
import { GatewayStack } from "../../stacks/gateway-stack";
import { synthesizeTo } from "../../stacks/synth";
import { SynthesisError, synthesizeInMemory } from "../../stacks/synth-memory";
import { loadValid, tempDir } from "../helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonStableStringify = require(require.resolve("json-stable-stringify", { paths: [require.resolve("cdktf")] })) as (v: unknown, o: { space: number }) => string;

/**
 * Every feature the stacks render: every endpoint kind of the bench generator (fallback, split,
 * rate limits of every key, guardrails, inference tables, permissions, tags, notifications),
 * protection, and every state backend, plus endpoint import and a provider version override.
 */
function everyFeature(): EnvironmentConfig[] {
  const files = generateConfig({ endpoints: ENDPOINT_KINDS.length });
  const host = "workspace:\n  host: https://dbc-1.cloud.databricks.com\n";
  files["environments/gcs.yaml"] = `${host}state:\n  backend: gcs\n  bucket: acme-tf\n  prefix: gateway/gcs\n`;
  files["environments/azure.yaml"] =
    `${host}state:\n  backend: azurerm\n  resource_group_name: rg\n  storage_account_name: acme\n  container_name: tf\n  key: gateway.tfstate\n  use_azuread_auth: true\n`;
  files["environments/pinned.yaml"] = `${host}provider:\n  version: "= 1.99.0"\nprotect: true\nstate:\n  backend: local\n  path: state/pinned.tfstate\n`;
  const gateway = files["gateway.yaml"].split("\n");
  // The first endpoint is adopted rather than created (import blocks).
  const first = gateway.findIndex((l) => /^ {2}\S/.test(l) && gateway.indexOf("endpoints:") < gateway.indexOf(l));
  gateway.splice(first + 1, 0, "    import: true");
  files["gateway.yaml"] = gateway.join("\n");
  // Standalone AI Gateway services (issue 14), renamed so their stacks sit beside the others.
  const services = loadConfig(path.join(__dirname, "..", "fixtures", "gateway", "config"));
  expect(services.problems.filter((p) => p.severity === "error")).toEqual([]);
  return [...Object.values(loadValid(files)), ...services.environments.map((e) => ({ ...e.config, name: `services-${e.config.name}` }))];
}

/** cdktf's own pipeline: its prepareStack, toTerraform, synthesizer and manifest. */
function stockSynth(environments: readonly EnvironmentConfig[], outdir: string): void {
  const app = new App({ outdir, stackTraces: false });
  for (const env of environments) {
    const stack = new GatewayStack(app, env);
    stack.prepareStack = TerraformStack.prototype.prepareStack;
    stack.toTerraform = TerraformStack.prototype.toTerraform;
  }
  app.synth();
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("the overrides against cdktf's own", () => {
  const environments = everyFeature();

  test("the fixture has every feature", () => {
    const all = JSON.stringify(environments);
    for (const feature of ['"backend":"s3"', '"backend":"remote"', '"backend":"gcs"', '"backend":"azurerm"', '"backend":"local"', '"import":true', '"protect":true', '"split"', '"fallback"', '"guardrails"', '"inference_table"', '"permissions"', '"tags"', '"email_notifications"', '"version":"= 1.99.0"', '"ai_gateway_services"']) {
      expect(all).toContain(feature);
    }
  });

  test("stackToTerraform equals TerraformStack.prototype.toTerraform, stack by stack", () => {
    for (const env of environments) {
      const app = new App({ outdir: tempDir("internals-"), stackTraces: false });
      const stack = new GatewayStack(app, env);
      TerraformStack.prototype.prepareStack.call(stack);
      const stock = TerraformStack.prototype.toTerraform.call(stack);
      const ours = stackToTerraform(stack);
      expect(ours).toEqual(stock);
      expect(stableStringify(ours)).toBe(jsonStableStringify(stock, { space: 2 }));
      expect(stock.import ?? stock.resource).toBeDefined();
    }
  });

  test("synthesizeTo writes the bytes app.synth() writes (every cdk.tf.json and manifest.json), reporting each environment once written; synthesizeInMemory gives the parsed files", () => {
    const stock = tempDir("internals-stock-");
    const ours = tempDir("internals-ours-");
    stockSynth(environments, stock);
    const seen: string[] = [];
    synthesizeTo(ours, environments, (s) => {
      expect(fs.existsSync(path.join(ours, s.file))).toBe(true);
      seen.push(`${s.index}/${s.total} ${s.stack} ${s.endpoints}`);
    });
    const a = files(stock);
    const b = files(ours);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(Object.keys(a)).toContain("manifest.json");
    for (const f of Object.keys(a)) expect({ f, text: b[f] }).toEqual({ f, text: a[f] });
    expect(seen).toEqual(environments.map((e, i) => `${i + 1}/${environments.length} gateway-${e.name} ${Object.keys(e.endpoints).length}`));

    const inMemory = synthesizeInMemory(environments);
    expect(Object.keys(inMemory)).toEqual(environments.map((e) => e.name));
    for (const env of environments) expect(inMemory[env.name]).toEqual(JSON.parse(b[path.join("stacks", `gateway-${env.name}`, "cdk.tf.json")]));
  });
});

describe("resolveTokens", () => {
  const app = new App({ outdir: tempDir("internals-resolve-"), stackTraces: false });
  const stack = new TerraformStack(app, "s");
  const cases: Record<string, () => unknown> = {
    "plain data, undefined dropped from objects and arrays": () => ({ a: 1, b: "x", c: [1, undefined, "y", null], d: undefined, e: { f: true, g: [] }, h: {} }),
    "a string token": () => ({ name: Token.asString(Lazy.stringValue({ produce: () => "late" })) }),
    "a token inside a longer string": () => ({ url: `https://${Token.asString(Lazy.stringValue({ produce: () => "host" }))}/x` }),
    "a number token": () => ({ n: Token.asNumber(Lazy.numberValue({ produce: () => 42 })), big: 1e300, small: -1.5e-7 }),
    "a number token in a string": () => ({ s: `n=${Token.asNumber(Lazy.numberValue({ produce: () => 7 }))}` }),
    "a list token": () => ({ l: Token.asList(Lazy.listValue({ produce: () => ["a", "b"] })) }),
    "a map token": () => ({ m: Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: "v" }) })) }),
    "a resolvable object": () => ({ r: Lazy.anyValue({ produce: () => ({ deep: [1, { x: undefined, y: 2 }] }) }) }),
    "a Terraform function": () => ({ f: Fn.lower("ABC"), j: Fn.join(",", ["a", "b"]) }),
    "a token as a key": () => ({ [Token.asString(Lazy.stringValue({ produce: () => "key" }))]: 1 }),
    "a literal ${ and e+ in a string": () => ({ s: "cost $${x} and 1e+5", t: "${var.x}", u: "2e+3" }),
    "a Date": () => ({ when: new Date(0) }),
  };
  test.each(Object.entries(cases))("%s: as cdktf's resolve", (_name, make) => {
    const value = make();
    expect(resolveTokens(stack, value)).toEqual(resolve(stack, value));
  });

  test("a function is rejected with cdktf's error", () => {
    const value = { f: () => 1 };
    expect(() => resolveTokens(stack, value)).toThrow(/function/i);
  });
});

describe("stableStringify", () => {
  test.each<[string, unknown]>([
    ["nested, unsorted keys", { b: { d: [3, 2, { z: 1, a: 2 }], c: "x" }, a: null, "": 0 }],
    ["empty objects and arrays at every depth", { a: {}, b: [], c: [{}, []], d: { e: { f: [] } } }],
    ["undefined in objects and arrays, functions", { a: undefined, b: [undefined, () => 1, 1], c: () => 2 }],
    ["strings needing escapes and non-ASCII", { "k\"ey": 'quote " back \\ nl \n tab \t', ü: "ünïcödé ✓", emoji: "😀" }],
    ["numbers", { a: 0, b: -0, c: 1e21, d: 1.5e-7, e: NaN, f: Infinity }],
    ["toJSON", { d: new Date(0), o: { toJSON: () => ({ y: 1, x: 2 }) } }],
    ["top-level array", [1, { b: 1, a: 2 }]],
    ["top-level scalar", "x"],
    ["keys already in order next to keys out of order, integer-like keys", { a: { x: 1, y: [{ a: 1, b: 2 }] }, b: { "10": 1, "9": 2 }, c: { z: { b: 1, a: 2 }, y: 1 } }],
    ["sorted, non-empty levels above an empty one", { a: { b: { c: [1, { d: {} }] } } }],
  ])("%s: the bytes json-stable-stringify writes, as a string and streamed to a file", (_name, value) => {
    const expected = jsonStableStringify(value, { space: 2 });
    expect(stableStringify(value)).toBe(expected);
    const file = path.join(tempDir("internals-write-"), "out.json");
    writeStableJson(file, value);
    expect(fs.readFileSync(file, "utf8")).toBe(expected);
  });

  test("a value larger than the write chunk, mixing sorted and unsorted objects, is streamed byte for byte", () => {
    const resources: Record<string, unknown> = {};
    // Insertion order is not sorted order (as the resource ids of a stack are not).
    for (let i = 6000; i >= 0; i--) {
      resources[`r${i}`] = i % 7 === 0 ? { z: i, a: { y: "ü✓", b: [] } } : { a: `v${i}`.repeat(20), b: [i, { c: true, d: null }], e: { f: "x" } };
    }
    const value = { resource: { t: resources }, "//": { metadata: { version: "0.21.0" } } };
    const expected = jsonStableStringify(value, { space: 2 });
    expect(expected.length).toBeGreaterThan(1 << 20);
    const file = path.join(tempDir("internals-write-"), "big.json");
    writeStableJson(file, value);
    expect(fs.readFileSync(file, "utf8")).toBe(expected);
  });
});

describe("sortInPlace", () => {
  test("orders keys as Array.prototype.sort does, short and long, sorted or not", () => {
    const pool = ["a", "B", "b", "_", "a1", "a10", "a9", "ü", "😀", "10", "9", "", "zz", "Z"];
    for (let seed = 1; seed < 400; seed++) {
      const n = seed % 40;
      const keys = Array.from({ length: n }, (_, i) => pool[(seed * 7 + i * 13) % pool.length] + (i % 3 === 0 ? String(i) : ""));
      if (seed % 5 === 0) keys.sort();
      expect(sortInPlace([...keys])).toEqual([...keys].sort());
    }
  });
});

describe("releaseTokensSince", () => {
  test("forgets the tokens made since the mark, and only those", () => {
    const app = new App({ outdir: tempDir("internals-release-"), stackTraces: false });
    const stack = new TerraformStack(app, "s");
    const before = Token.asString(Lazy.stringValue({ produce: () => "kept" }));
    const mark = tokenMark();
    const after = Token.asString(Lazy.stringValue({ produce: () => "dropped" }));
    expect(resolve(stack, after)).toBe("dropped");
    releaseTokensSince(mark);
    expect(resolve(stack, before)).toBe("kept");
    expect(() => resolve(stack, after)).toThrow(/Unrecognized Token Key/);
  });
});

describe("error Annotations fail synthesis as they fail cdktf's", () => {
  const environments = everyFeature().slice(0, 1);
  const addError = jest.fn();

  beforeEach(() => {
    // An error Annotation as a construct or an aspect would add it.
    jest.spyOn(GatewayStack.prototype, "prepareStack").mockImplementation(function (this: GatewayStack) {
      addError(this);
      this.ensureBackendExists();
    });
  });
  afterEach(() => jest.restoreAllMocks());

  function stockError(): string {
    try {
      const app = new App({ outdir: tempDir("internals-annot-stock-"), stackTraces: false });
      // The spy below adds the annotations when cdktf calls prepareStack.
      new GatewayStack(app, environments[0]);
      app.synth();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("cdktf's app.synth() did not throw");
  }

  beforeEach(() =>
    addError.mockImplementation((stack: GatewayStack) => {
      Annotations.of(stack.endpoints[Object.keys(stack.endpoints)[0]]).addError("no fallback for custom models");
      Annotations.of(stack).addWarning("only a warning");
    }),
  );

  test("npm run synth's synthesizeTo throws cdktf's message and writes no stack", () => {
    const dir = tempDir("internals-annot-");
    expect(() => synthesizeTo(dir, environments)).toThrow(stockError());
    expect(stockError()).toMatch(/^Encountered Annotations with level "ERROR":\n\[gateway-\w+\/endpoints\/[\w-]+\] no fallback for custom models\n/);
    expect(fs.existsSync(path.join(dir, "stacks", `gateway-${environments[0].name}`, "cdk.tf.json"))).toBe(false);
  });

  test("review's synthesizeInMemory throws a SynthesisError with the same message", () => {
    expect(() => synthesizeInMemory(environments)).toThrow(SynthesisError);
    expect(() => synthesizeInMemory(environments)).toThrow(`gateway-${environments[0].name}: ${stockError()}`);
  });

  test("warnings alone do not fail, in either", () => {
    addError.mockImplementation((stack: GatewayStack) => Annotations.of(stack).addWarning("only a warning"));
    expect(() => synthesizeTo(tempDir("internals-warn-"), environments)).not.toThrow();
    expect(() => synthesizeInMemory(environments)).not.toThrow();
  });

  test("CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS lets both continue, as it lets cdktf", () => {
    const app = new App({ outdir: tempDir("internals-continue-"), stackTraces: false });
    const stack = new TerraformStack(app, "s");
    Annotations.of(stack).addError("e");
    expect(() => checkErrorAnnotations(stack, {})).toThrow(/level "ERROR"/);
    expect(() => checkErrorAnnotations(stack, { CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "1" })).not.toThrow();
  });
});
