/**
 * YAML documents as trees that remember where every value was written, and the layer merge of
 * the config format (maps merge key by key, a list replaces the list below it whole, `null`
 * removes a key). Keeping the origin on each node is what lets every error, including one found
 * after merging, point at the exact line of the layer that set the offending value.
 */
import { Alias, Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar } from "yaml";
import type { ConfigProblem, PathSegment } from "./errors";

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
}

/** Parses one YAML file once (the parser is the slow part) and keeps positions. */
export function parseYamlFile(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const problems: ConfigProblem[] = [];
  for (const err of doc.errors) {
    const pos = lineCounter.linePos(err.pos[0]);
    const duplicate = err.code === "DUPLICATE_KEY";
    problems.push({
      severity: "error",
      location: { file, line: pos.line, col: pos.col },
      path: "(yaml)",
      message: duplicate
        ? `duplicate key ${JSON.stringify(keyAt(text, err.pos[0]))}: it is already set earlier in the same map; keep one of them`
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
  const root = doc.contents == null ? emptyMap(at(null, [])) : toLocated(doc, doc.contents, [], at);
  return { file, root, problems };
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

function toLocated(
  doc: Document,
  node: unknown,
  path: readonly PathSegment[],
  at: (n: Node | null | undefined, p: readonly PathSegment[]) => Origin,
): LNode {
  if (isAlias(node)) return toLocated(doc, (node as Alias).resolve(doc), path, at);
  if (isMap(node)) {
    const entries = new Map<string, LEntry>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const childPath = [...path, key];
      const value = pair.value as Node | null;
      entries.set(key, {
        keyOrigin: at(keyNode, childPath),
        node:
          value == null
            ? { kind: "scalar", origin: at(keyNode, childPath), value: null }
            : toLocated(doc, value, childPath, at),
      });
    }
    return { kind: "map", origin: at(node, path), entries };
  }
  if (isSeq(node)) {
    const items = node.items.map((item, i) =>
      item == null
        ? ({ kind: "scalar", origin: at(node, [...path, i]), value: null } as LScalar)
        : toLocated(doc, item, [...path, i], at),
    );
    return { kind: "seq", origin: at(node, path), items };
  }
  const scalar = node as Scalar;
  return { kind: "scalar", origin: at(scalar, path), value: scalar.value };
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
  for (const [key, entry] of upper.entries) {
    if (isNull(entry.node)) {
      entries.delete(key);
      continue;
    }
    const below = entries.get(key);
    entries.set(key, { keyOrigin: entry.keyOrigin, node: mergeNodes(below?.node, entry.node) });
  }
  return { kind: "map", origin: origin ?? upper.origin, entries };
}

function dropNulls(map: LMap): LMap {
  const entries = new Map<string, LEntry>();
  for (const [key, entry] of map.entries) {
    if (isNull(entry.node)) continue;
    entries.set(key, entry.node.kind === "map" ? { ...entry, node: dropNulls(entry.node) } : entry);
  }
  return { ...map, entries };
}

function isNull(node: LNode): boolean {
  return node.kind === "scalar" && node.value === null;
}

/** The plain JavaScript value of a tree, as zod and the rest of the pipeline see it. */
export function toPlain(node: LNode): unknown {
  switch (node.kind) {
    case "map":
      return Object.fromEntries([...node.entries].map(([k, e]) => [k, toPlain(e.node)]));
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
): { origin: Origin; path: readonly PathSegment[]; found: boolean; node: LNode } {
  let node = root;
  let keyOrigin: Origin | undefined;
  for (let i = 0; i < path.length; i++) {
    const next = child(node, path[i]);
    if (!next) {
      return { origin: node.origin, path: [...node.origin.path, ...path.slice(i)], found: false, node };
    }
    node = next.node;
    keyOrigin = next.keyOrigin;
  }
  const origin = options.atKey && keyOrigin ? keyOrigin : node.origin;
  return { origin, path: node.origin.path, found: true, node };
}
