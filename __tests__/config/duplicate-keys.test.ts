/**
 * The loader finds duplicate keys itself (yaml's own `uniqueKeys` check is quadratic in the size
 * of a map): it must report exactly the keys, at exactly the places, that yaml would.
 */
import { LineCounter, parseDocument } from "yaml";
import { parseYamlFile } from "../../config/located";

/** `line:col` of every duplicate key yaml itself reports with `uniqueKeys: true`. */
function yamlDuplicates(text: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  return doc.errors.filter((e) => e.code === "DUPLICATE_KEY").map((e) => `${lineCounter.linePos(e.pos[0]).line}:${lineCounter.linePos(e.pos[0]).col}`);
}

function loaderDuplicates(text: string): string[] {
  return parseYamlFile("f.yaml", text)
    .problems.filter((p) => p.path === "(yaml)" && p.message.startsWith("duplicate key"))
    .map((p) => `${p.location.line}:${p.location.col}`);
}

const CASES: Record<string, string> = {
  "block map": "a: 1\nb: 2\na: 3\n",
  "three times": "a: 1\na: 2\na: 3\n",
  nested: "x:\n  a: 1\n  b: 2\n  a: 3\ny:\n  a: 1\n",
  "flow map": "x: {a: 1, b: 2, a: 3}\n",
  "flow in block": "x:\n  - {a: 1, a: 2}\n  - a: 1\n    a: 2\n",
  "quoted and plain": 'a: 1\n"a": 2\n\'a\': 3\n',
  "number and string are different values": '1: a\n"1": b\n',
  "numbers equal by value": "1: a\n1: b\n0x1: c\n",
  "booleans and nulls": "true: a\ntrue: b\n~: c\nnull: d\n",
  "anchored key": "&k a: 1\na: 2\n",
  "explicit key": "? a\n: 1\n? a\n: 2\n",
  "keys in a key": "? {a: 1, a: 2}\n: x\n",
  "no duplicates": "a: 1\nb: {c: 1, d: 2}\ne: [1, 1]\n",
  "alias values are not keys": "a: &x 1\nb: *x\n",
  "NaN is never equal": ".nan: a\n.nan: b\n",
};

describe("duplicate keys", () => {
  test.each(Object.entries(CASES))("%s: same keys and places as yaml's uniqueKeys", (_name, text) => {
    expect(loaderDuplicates(text)).toEqual(yamlDuplicates(text));
  });

  test("the cases exercise the check (some have duplicates)", () => {
    expect(Object.values(CASES).filter((t) => yamlDuplicates(t).length > 0).length).toBeGreaterThan(8);
  });

  test("a duplicate key empties the file and names the key", () => {
    const parsed = parseYamlFile("f.yaml", "endpoints:\n  chat:\n    task: llm/v1/chat\n    task: llm/v1/embeddings\n");
    expect(parsed.problems.map((p) => `${p.location.line}:${p.location.col} ${p.path}: ${p.message}`)).toEqual([
      '4:5 (yaml): duplicate key "task": it is already set earlier in the same map; keep one of them',
    ]);
    expect(parsed.root).toEqual({ kind: "map", origin: expect.anything(), entries: new Map() });
  });
});
