/**
 * YAML documents as trees that remember where every value was written, and the layer merge of
 * the config format (maps merge key by key, a list replaces the list below it whole, `null`
 * removes a key). Keeping the origin on each node is what lets every error, including one found
 * after merging, point at the exact line of the layer that set the offending value.
 */
import { Alias, Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar, visit } from "yaml";
import { ConfigProblem, formatPath, PathSegment } from "./errors";

/** A value's position: file, 1-based line/col, and its path inside that file. */
export interface Origin {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly path: readonly PathSegment[];
}

export interface LMap {
  readonly kind: "map";
  readonly origin: Origin;
  readonly entries: ReadonlyMap<string, LEntry>;
  /** Keys an upper layer removed with `null`, and where: a problem about the missing key points there. */
  readonly removed?: ReadonlyMap<string, Origin>;
}
export interface LSeq {
  readonly kind: "seq";
  readonly origin: Origin;
  readonly items: readonly LNode[];
}
export interface LScalar {
  readonly kind: "scalar";
  readonly origin: Origin;
  readonly value: unknown;
}
export type LNode = LMap | LSeq | LScalar;
export interface LEntry {
  readonly keyOrigin: Origin;
  readonly node: LNode;
}

export interface ParsedFile {
  readonly file: string;
  /** The document as a located tree; an empty map for an empty file. */
  readonly root: LNode;
  /** YAML syntax errors and duplicate keys, with positions. */
  readonly problems: ConfigProblem[];
  /**
   * Keys left out of `root` with a problem each (YAML merge keys), where the rest of the file is
   * still worth checking in the same run.
   */
  readonly dropped?: readonly ConfigProblem[];
}

/** Parses one YAML file once (the parser is the slow part) and keeps positions. */
export function parseYamlFile(file: string, text: string): ParsedFile {
  const tooDeep = nestingBeyond(text, MAX_NESTING);
  if (tooDeep) {
    const origin = { file, line: tooDeep.line, col: tooDeep.col, path: [] };
    return { file, root: emptyMap(origin), problems: [{ severity: "error", location: origin, path: "(yaml)", message: NESTING_MESSAGE }] };
  }
  const lineCounter = new LineCounter();
  // The library's own duplicate-key check compares each key with every earlier key of its map:
  // quadratic, most of the load time at 10,000 endpoints. duplicateKeys() finds the same keys.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const errors = [...doc.errors.map((e) => ({ offset: e.pos[0], code: e.code as string, message: e.message })), ...duplicateKeys(doc)];
  const problems: ConfigProblem[] = [];
  for (const err of errors.sort((a, b) => a.offset - b.offset)) {
    const pos = lineCounter.linePos(err.offset);
    const duplicate = err.code === "DUPLICATE_KEY";
    // The parser reports its own stack overflow as a syntax error; the pre-scan should prevent it.
    const overflow = /Maximum call stack size exceeded/.test(err.message);
    problems.push({
      severity: "error",
      location: { file, line: pos.line, col: pos.col },
      path: "(yaml)",
      message: duplicate
        ? `duplicate key ${JSON.stringify(keyAt(text, err.offset))}: it is already set earlier in the same map; keep one of them`
        : overflow
          ? NESTING_MESSAGE
          : `YAML syntax error: ${firstLine(err.message)}`,
    });
  }
  if (problems.length > 0) {
    return { file, root: emptyMap({ file, line: 1, col: 1, path: [] }), problems };
  }
  const at = (node: Node | null | undefined, path: readonly PathSegment[]): Origin => {
    const offset = node?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, col: pos.col, path };
  };
  if (doc.contents == null) return { file, root: emptyMap(at(null, [])), problems };
  // A file without aliases has fewer values than characters; more means alias expansion.
  const walk: Walk = { doc, at, problems, dropped: [], expanding: new Set(), nodes: 0, maxNodes: text.length + 100_000 };
  try {
    const root = toLocated(walk, doc.contents, []);
    return { file, root, problems, dropped: walk.dropped };
  } catch (e) {
    if (!(e instanceof WalkLimit)) throw e;
    problems.push({ severity: "error", location: at(e.node, []), path: "(yaml)", message: e.message });
    return { file, root: emptyMap(at(null, [])), problems };
  }
}

/**
 * Deepest nesting a config file may have. The format needs about ten levels; the YAML parser, the
 * located tree and zod all recurse, and a few thousand levels overflow the stack.
 */
export const MAX_NESTING = 64;
const NESTING_MESSAGE = `maps and lists are nested more than ${MAX_NESTING} levels deep here: the config format needs about ten; remove the extra nesting`;

/**
 * Where a file first nests deeper than `max` levels, by a cheap scan before parsing: block
 * indentation levels (and "- " entries, which open a level each) plus flow brackets, outside
 * quotes, comments and block scalars. Approximate, and on the safe side for real config.
 */
export function nestingBeyond(text: string, max: number): { line: number; col: number } | undefined {
  const indents: number[] = [];
  let flow = 0;
  let blockScalarIndent = -1;
  const lines = text.split(/\r\n|\r|\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const indent = /^ */.exec(line)![0].length;
    const content = line.slice(indent);
    if (blockScalarIndent >= 0) {
      if (content === "" || indent > blockScalarIndent) continue;
      blockScalarIndent = -1;
    }
    if (content === "" || content.startsWith("#")) continue;
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      // "- - - x" opens a level per dash.
      const dashes = /^(-\s+)*/.exec(content)![0];
      let depth = indents.length + (dashes.match(/-/g)?.length ?? 0);
      if (depth > max) return { line: n + 1, col: indent + 1 };
      for (let i = dashes.length, quote = ""; i < content.length; i++) {
        const ch = content[i];
        if (quote) {
          if (ch === quote) quote = "";
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === "#" && /\s/.test(content[i - 1] ?? " ")) break;
        else if (ch === "[" || ch === "{") {
          flow++;
          if (depth + flow > max) return { line: n + 1, col: indent + i + 1 };
        } else if (ch === "]" || ch === "}") flow = Math.max(0, flow - 1);
      }
      if (flow === 0 && /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(content)) blockScalarIndent = indent;
    } else {
      for (let i = 0, quote = ""; i < content.length; i++) {
        const ch = content[i];
        if (quote) {
          if (ch === quote) quote = "";
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === "[" || ch === "{") {
          flow++;
          if (indents.length + flow > max) return { line: n + 1, col: indent + i + 1 };
        } else if (ch === "]" || ch === "}") flow = Math.max(0, flow - 1);
      }
    }
  }
  return undefined;
}

/**
 * The keys `uniqueKeys: true` would report (a scalar key whose value is `===` an earlier key's
 * of the same map), at the same offsets, in one pass per map.
 */
function duplicateKeys(doc: Document): Array<{ offset: number; code: string; message: string }> {
  const found: Array<{ offset: number; code: string; message: string }> = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || Number.isNaN(key.value)) continue;
        if (seen.has(key.value)) found.push({ offset: key.range?.[0] ?? 0, code: "DUPLICATE_KEY", message: "Map keys must be unique" });
        else seen.add(key.value);
      }
    },
  });
  return found;
}

/** The key written at `offset` (for messages about duplicate keys). */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset).split("\n")[0];
  return rest.replace(/^["']?([^"':]*)["']?\s*:.*$/, "$1").trim();
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

function emptyMap(origin: Origin): LMap {
  return { kind: "map", origin, entries: new Map() };
}

/**
 * Aliases are expanded here (the YAML library's own alias limit applies only to its toJS), so this
 * walk guards against an alias that contains itself and against exponential expansion
 * ("billion laughs"): either would crash or exhaust CI from a single pull request.
 */
class WalkLimit extends Error {
  constructor(
    readonly node: Node,
    message: string,
  ) {
    super(message);
  }
}

interface Walk {
  readonly doc: Document;
  readonly at: (n: Node | null | undefined, p: readonly PathSegment[]) => Origin;
  readonly problems: ConfigProblem[];
  readonly dropped: ConfigProblem[];
  /** Alias targets being expanded right now: meeting one again is a cycle. */
  readonly expanding: Set<unknown>;
  nodes: number;
  readonly maxNodes: number;
}

function toLocated(walk: Walk, node: unknown, path: readonly PathSegment[]): LNode {
  if (++walk.nodes > walk.maxNodes) {
    throw new WalkLimit(node as Node, `YAML aliases expand this file to more than ${walk.maxNodes} values: write the values out, or use defaults instead of aliases`);
  }
  const { at } = walk;
  if (isAlias(node)) {
    const target = (node as Alias).resolve(walk.doc);
    if (walk.expanding.has(target)) throw new WalkLimit(node as Node, `alias *${(node as Alias).source} refers to a value that contains it: remove the cycle`);
    walk.expanding.add(target);
    try {
      return toLocated(walk, target, path);
    } finally {
      walk.expanding.delete(target);
    }
  }
  if (isMap(node)) {
    const entries = new Map<string, LEntry>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = keyOf(walk, keyNode, path, node, entries);
      if (key === undefined) continue;
      const childPath = [...path, key];
      const value = pair.value as Node | null;
      entries.set(key, {
        keyOrigin: at(keyNode ?? node, childPath),
        node:
          value == null
            ? { kind: "scalar", origin: at(keyNode ?? node, childPath), value: null }
            : toLocated(walk, value, childPath),
      });
    }
    return { kind: "map", origin: at(node, path), entries };
  }
  if (isSeq(node)) {
    const items = node.items.map((item, i) =>
      item == null
        ? ({ kind: "scalar", origin: at(node, [...path, i]), value: null } as LScalar)
        : toLocated(walk, item, [...path, i]),
    );
    return { kind: "seq", origin: at(node, path), items };
  }
  const scalar = node as Scalar;
  return { kind: "scalar", origin: at(scalar, path), value: scalar.value };
}

/**
 * A map key as the config sees it (a string), or undefined after reporting why it cannot be one:
 * an empty or non-scalar key, `__proto__` (it would vanish from a JavaScript object), or a key
 * equal to an earlier one once both are strings (`1` and "1").
 */
function keyOf(walk: Walk, keyNode: Node | null, path: readonly PathSegment[], map: Node, seen: ReadonlyMap<string, LEntry>): string | undefined {
  const report = (message: string, key: string) =>
    walk.problems.push({ severity: "error", location: walk.at(keyNode ?? map, [...path, key]), path: formatPath([...path, key]), message });
  if (!isScalar(keyNode) || keyNode.value === null || keyNode.value === undefined || keyNode.value === "") {
    report("empty or complex key: every key must be a plain name", "(key)");
    return undefined;
  }
  const key = String(keyNode.value);
  if (key === "<<") {
    // YAML 1.1 merge keys: not part of YAML 1.2, which this parser reads, so "<<" would be an
    // ordinary key (a tag named "<<" holding a map). Reported at the "<<" itself; the rest of the
    // file is still checked.
    walk.dropped.push({
      severity: "error",
      location: walk.at(keyNode, [...path, key]),
      path: formatPath([...path, key]),
      message: `YAML merge keys ("<<") are not supported: repeat the keys, or put values shared by every endpoint in "defaults"`,
    });
    return undefined;
  }
  if (key === "__proto__") {
    report(`the key "__proto__" is not allowed: choose another name`, key);
    return undefined;
  }
  if (seen.has(key)) {
    report(`duplicate key ${JSON.stringify(key)}: it is already set earlier in the same map (keys are compared as text); keep one of them`, key);
    return undefined;
  }
  return key;
}

/**
 * Merges `upper` over `lower`: maps key by key, anything else replaced whole; an upper `null`
 * removes the key. The merged map keeps `origin` (the place a problem with the map as a whole is
 * reported at) unless one is given.
 */
export function mergeNodes(lower: LNode | undefined, upper: LNode, origin?: Origin): LNode {
  if (upper.kind !== "map" || lower?.kind !== "map") {
    return upper.kind === "map" ? dropNulls(upper) : upper;
  }
  const entries = new Map(lower.entries);
  const removed = new Map(lower.removed ?? []);
  for (const [key, entry] of upper.entries) {
    if (isNull(entry.node)) {
      entries.delete(key);
      removed.set(key, entry.keyOrigin);
      continue;
    }
    removed.delete(key);
    const below = entries.get(key);
    entries.set(key, { keyOrigin: entry.keyOrigin, node: mergeNodes(below?.node, entry.node) });
  }
  return { kind: "map", origin: origin ?? upper.origin, entries, ...(removed.size > 0 && { removed }) };
}

function dropNulls(map: LMap): LMap {
  const entries = new Map<string, LEntry>();
  const removed = new Map<string, Origin>();
  for (const [key, entry] of map.entries) {
    if (isNull(entry.node)) {
      removed.set(key, entry.keyOrigin);
      continue;
    }
    entries.set(key, entry.node.kind === "map" ? { ...entry, node: dropNulls(entry.node) } : entry);
  }
  return { ...map, entries, ...(removed.size > 0 && { removed }) };
}

function isNull(node: LNode): boolean {
  return node.kind === "scalar" && node.value === null;
}

/** The plain JavaScript value of a tree, as zod and the rest of the pipeline see it. */
export function toPlain(node: LNode): unknown {
  switch (node.kind) {
    case "map": {
      // No intermediate [key, value] arrays: this runs on every value of every environment.
      const out: Record<string, unknown> = {};
      node.entries.forEach((e, k) => {
        // "__proto__" never reaches a tree (keyOf refuses it); were it here, it stays a plain key.
        if (k === "__proto__") Object.defineProperty(out, k, { value: toPlain(e.node), enumerable: true, writable: true, configurable: true });
        else out[k] = toPlain(e.node);
      });
      return out;
    }
    case "seq":
      return node.items.map(toPlain);
    default:
      return node.value;
  }
}

export function child(node: LNode | undefined, seg: PathSegment): LEntry | undefined {
  if (node?.kind === "map" && typeof seg === "string") return node.entries.get(seg);
  if (node?.kind === "seq" && typeof seg === "number") {
    const item = node.items[seg];
    return item && { keyOrigin: item.origin, node: item };
  }
  return undefined;
}

/**
 * Where to report a problem at `path` (relative to `root`): the deepest node that exists on
 * that path, and the path as written in that node's file (with the missing rest appended).
 */
export function locate(
  root: LNode,
  path: readonly PathSegment[],
  options: { atKey?: boolean } = {},
): { origin: Origin; path: readonly PathSegment[]; found: boolean; node: LNode; removed?: boolean } {
  let node = root;
  let keyOrigin: Origin | undefined;
  for (let i = 0; i < path.length; i++) {
    const next = child(node, path[i]);
    if (!next) {
      // A key a layer set to null: the problem is on that line, not where the map began.
      const removedAt = node.kind === "map" && typeof path[i] === "string" ? node.removed?.get(path[i] as string) : undefined;
      if (removedAt) return { origin: removedAt, path: [...removedAt.path, ...path.slice(i + 1)], found: false, node, removed: true };
      return { origin: node.origin, path: [...node.origin.path, ...path.slice(i)], found: false, node };
    }
    node = next.node;
    keyOrigin = next.keyOrigin;
  }
  const origin = options.atKey && keyOrigin ? keyOrigin : node.origin;
  return { origin, path: node.origin.path, found: true, node };
}
