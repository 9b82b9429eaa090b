/**
 * Every use of cdktf's private internals, in one place. cdktf is archived upstream and frozen at
 * 0.21.0 (the community fork `cdktn` keeps these paths), so they do not move; keeping them here
 * means a cdktf upgrade or a move to the fork touches one file, and one test
 * (__tests__/stacks/cdktf-internals.test.ts) proves the shortcuts write what cdktf itself writes.
 *
 * What is used and why:
 * - `tokens/private/stack-trace`: cdktf captures a stack trace about 20 times per resource for
 *   metadata that never reaches the output (hashicorp/terraform-cdk#3892); stubbed on import.
 * - `_tokens.resolve`: the token resolver, called only for the values that can hold a token
 *   (`resolveTokens` below skips plain data, which is most of a stack).
 * - `tokens/private/token-map`: the global registry of token strings, which keeps every stack's
 *   tokens (and through them its constructs) alive for the life of the process;
 *   `releaseTokensSince` drops one stack's tokens once it is written.
 * - `util.deepMerge`, `TerraformStack#rawOverrides` and `#cdktfVersion`: the pieces of
 *   `TerraformStack.toTerraform` that `stackToTerraform` reassembles.
 * - `synthesize/synthesizer.invokeAspects` and cdktf's error-annotation check, for synthesis
 *   without cdktf's App (`synthesizeStack`).
 */
import * as fs from "fs";
import * as path from "path";
import { AnnotationMetadataEntryType, Annotations, TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { invokeAspects } from "cdktf/lib/synthesize/synthesizer";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import { deepMerge } from "cdktf/lib/util";
import { IConstruct } from "constructs";

// eslint-disable-next-line @typescript-eslint/no-require-imports
require("cdktf/lib/tokens/private/stack-trace").captureStackTrace = () => [];

export { invokeAspects };

interface StackInternals {
  readonly rawOverrides: Record<string, unknown>;
  readonly cdktfVersion: string;
}

const internals = (stack: TerraformStack): StackInternals => stack as unknown as StackInternals;

// ---- token resolution ----------------------------------------------------------------------

/** The substrings every encoded string, list and map token contains (`${TfToken[`, `#{…`, `&{…`). */
const TOKEN_MARKER = "{TfToken[";
/** A number token is a double near -1.9e+289; printed in a string it always has an exponent. */
const NUMBER_TOKEN_HINT = /e\+|E\+/;
/** Beyond this depth cdktf reports a circular reference; let it, with its own message. */
const MAX_FAST_DEPTH = 150;

function plainString(s: string): boolean {
  return !s.includes(TOKEN_MARKER) && !s.includes("${") && !NUMBER_TOKEN_HINT.test(s);
}

/** Number tokens are encoded as huge doubles; every config number is far below. */
function plainNumber(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n) < 1e280;
}

/**
 * `resolve(scope, value)` of cdktf, fast on plain data: strings without a token marker, ordinary
 * numbers, booleans, null, and arrays and objects of those are copied as cdktf's resolver copies
 * them (undefined dropped from objects and arrays). Anything that is or may hold a token (a
 * marker in a string or key, an encoded number, an object with `resolve()`, a Date, a function,
 * a construct) goes to cdktf's own resolver, with the same result and the same errors.
 * At 1,000 endpoints this is most of the difference between cdktf's synth and writing JSON.
 */
export function resolveTokens(scope: IConstruct, value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case "undefined":
      return undefined;
    case "boolean":
      return value;
    case "string":
      return plainString(value) ? value : resolve(scope, value);
    case "number":
      return plainNumber(value) ? value : resolve(scope, value);
    case "object":
      break;
    default:
      return resolve(scope, value);
  }
  if (value === null) return null;
  if (depth > MAX_FAST_DEPTH) return resolve(scope, value);
  if (Array.isArray(value)) {
    for (const item of value) {
      if ((typeof item === "string" && !plainString(item)) || (typeof item === "number" && !plainNumber(item))) return resolve(scope, value);
    }
    const out: unknown[] = [];
    for (const item of value) {
      const r = resolveTokens(scope, item, depth + 1);
      if (r !== undefined) out.push(r);
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return resolve(scope, value);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  for (const key of keys) if (!plainString(key)) return resolve(scope, value);
  if (typeof obj.resolve === "function") return resolve(scope, value);
  // Keys in sorted order: the written JSON sorts them, and a copy made in that order is written
  // by native JSON.stringify without a second, sorted copy (see emitStable).
  const out: Record<string, unknown> = {};
  for (const key of sortInPlace(keys)) {
    const r = resolveTokens(scope, obj[key], depth + 1);
    if (r !== undefined) out[key] = r;
  }
  return out;
}

/**
 * `keys.sort()` (code-unit order), without the scratch copy Array.prototype.sort allocates: keys
 * already in order are left as they are, a short list is insertion-sorted. Most objects of a stack
 * have a handful of keys, and sorting them was a tenth of synthesis's allocations.
 */
export function sortInPlace(keys: string[]): string[] {
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] <= keys[i];
  if (sorted) return keys;
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
  return keys;
}

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * cdktf's `deepMerge(target, source)` for a `source` that `resolveTokens` just made (no undefined,
 * no resolvable left in it, referenced from nowhere else): where the target has no such key, the
 * source's object is taken as it is instead of being copied key by key into a new one (the same
 * result; at 10,000 endpoints that copy was every resource body, once more). Every other case is
 * cdktf's deepMerge for that key.
 */
function mergeResolved(target: Record<string, unknown>, source: unknown): void {
  if (!isPlainObject(source)) {
    deepMerge(target, source);
    return;
  }
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (key !== "__proto__" && !hasOwn(target, key) && isPlainObject(value)) target[key] = value;
    else if (hasOwn(target, key) && isPlainObject(target[key]) && isPlainObject(value)) mergeResolved(target[key] as Record<string, unknown>, value);
    else deepMerge(target, { [key]: value });
  }
}

/** The next token number the global token map will hand out (a mark for `releaseTokensSince`). */
export function tokenMark(): number {
  return (TokenMap.instance() as unknown as { tokenCounter: number }).tokenCounter;
}

/**
 * Forgets the tokens registered since `mark`. cdktf keeps every token in a process-wide map, so
 * without this each synthesized stack stays in memory until the process ends. Call it only once
 * the constructs that created those tokens are no longer used: looking one up afterwards throws
 * cdktf's "Unrecognized token key" (it never resolves to something else).
 */
export function releaseTokensSince(mark: number): void {
  const map = TokenMap.instance() as unknown as { stringTokenMap: Map<string, unknown>; numberTokenMap: Map<number, unknown> };
  for (const key of map.stringTokenMap.keys()) {
    // Keys are `<display hint>.<counter>`.
    if (Number(key.slice(key.lastIndexOf(".") + 1)) >= mark) map.stringTokenMap.delete(key);
  }
  for (const key of map.numberTokenMap.keys()) if (key >= mark) map.numberTokenMap.delete(key);
}

// ---- TerraformStack overrides -------------------------------------------------------------

/**
 * The `prepareStack` of a stack that references no other stack. cdktf's default also resolves
 * every element once in "preparing" mode, which only discovers cross-stack references; for
 * environment stacks that pass is pure cost (about a quarter of synth at 1,000 endpoints).
 */
export function prepareStandaloneStack(stack: TerraformStack): void {
  stack.ensureBackendExists();
}

/** The Terraform elements of a stack, in construct-tree order (as cdktf collects them). */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) terraformElements(child, into);
  }
  return into;
}

/**
 * cdktf's `TerraformStack.prototype.toTerraform` (0.21.0) with the same steps and result, minus
 * two costs: plain data skips the token resolver (`resolveTokens`), and the whole merged
 * document is not resolved a second time after each element was (the fragments hold no tokens
 * by then, and the stack's overrides are resolved here before they are merged). Object key
 * order may differ from the stock method's; the written JSON sorts keys.
 */
export function stackToTerraform(stack: TerraformStack): Record<string, unknown> {
  const { rawOverrides, cdktfVersion } = internals(stack);
  const elements = terraformElements(stack);
  const metadata: Record<string, unknown> = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: "local",
    cloud: undefined,
    ...(Object.keys(rawOverrides).length > 0 ? { overrides: { stack: Object.keys(rawOverrides) } } : {}),
  };
  for (const element of elements) deepMerge(metadata, resolveTokens(stack, element.toMetadata()));
  const outputs: Record<string, unknown> = {};
  for (const element of elements) {
    if (!TerraformOutput.isTerraformOutput(element)) continue;
    const nested = element.node.path
      .split("/")
      .reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? element.friendlyUniqueId : inner }), {});
    deepMerge(outputs, nested);
  }
  const tf: Record<string, unknown> = { "//": { metadata, outputs } };
  for (const element of elements) mergeResolved(tf, resolveTokens(stack, element.toTerraform()));
  deepMerge(tf, resolveTokens(stack, rawOverrides));
  // The stock method's last resolve() drops undefined; only `cloud` can be undefined here.
  if (metadata.cloud === undefined) delete metadata.cloud;
  return tf;
}

// ---- serialization ------------------------------------------------------------------------

/**
 * `json-stable-stringify(value, { space: 2 })`, as cdktf writes `cdk.tf.json` and
 * `manifest.json`: keys sorted by code unit, two-space indent, an empty object or array written
 * as `{`/`[`, newline, indent, `}`/`]`, undefined dropped from objects and null in arrays.
 * The same bytes, several times faster on a large stack (see `emitStable`).
 */
export function stableStringify(value: unknown): string {
  const parts: string[] = [];
  emitStable(value, "", (s) => parts.push(s));
  return parts.join("");
}

/** Above this many characters buffered, `writeStableJson` writes them out. */
const WRITE_CHUNK_CHARS = 1 << 20;

/**
 * Writes `stableStringify(value)` to `file`, byte for byte, in chunks of about a mebibyte: a
 * large stack is never held as one string (at 10,000 endpoints that string is 33 MB of heap, at
 * the moment the stack's construct tree and Terraform JSON are live too).
 */
export function writeStableJson(file: string, value: unknown): void {
  const fd = fs.openSync(file, "w");
  try {
    let buffered = "";
    emitStable(value, "", (s) => {
      buffered += s;
      if (buffered.length >= WRITE_CHUNK_CHARS) {
        fs.writeSync(fd, buffered);
        buffered = "";
      }
    });
    if (buffered.length > 0) fs.writeSync(fd, buffered);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The stable JSON of `value` at `indent`, in pieces, through `emit`. A subtree that native
 * `JSON.stringify(v, null, 2)` already writes exactly (see `isCanonical`: keys in sorted order, no
 * empty object or array, nothing JSON drops) is written by it in one piece, re-indented; the rest
 * (an object whose keys are out of order, an empty `{}`) is walked here. No sorted copy of the
 * value is made: stackToTerraform's resource bodies come out of `resolveTokens` with sorted keys,
 * so only the few levels above them (`resource`, the resource types) are walked.
 */
function emitStable(value: unknown, indent: string, emit: (s: string) => void): void {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (typeof value !== "object" || value === null) {
    const s = JSON.stringify(value);
    if (s !== undefined) emit(s);
    return;
  }
  if (isCanonical(value, 0)) {
    emit(indent === "" ? JSON.stringify(value, null, 2) : stringifyIndented(value, indent.length / 2));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    emit("[");
    for (let i = 0; i < value.length; i++) {
      emit(i === 0 ? `\n${inner}` : `,\n${inner}`);
      if (isJsonValue(value[i])) emitStable(value[i], inner, emit);
      else emit("null");
    }
    emit(`\n${indent}]`);
    return;
  }
  const obj = value as Record<string, unknown>;
  emit("{");
  let first = true;
  for (const key of sortInPlace(Object.keys(obj))) {
    const v = obj[key];
    if (!isJsonValue(v)) continue;
    emit(`${first ? "\n" : ",\n"}${inner}${JSON.stringify(key)}: `);
    emitStable(v, inner, emit);
    first = false;
  }
  emit(`\n${indent}}`);
}

/** Per depth, the text JSON.stringify writes before and after a value nested that deep under `"k"` keys. */
const wrappers: Array<{ before: number; after: number }> = [];

/**
 * `JSON.stringify(value, null, 2)` as it appears `depth` levels deep: the value is stringified
 * inside single-key objects nested that deep and the wrapping is sliced off (a slice is not a
 * copy), rather than re-indenting every line of the text afterwards.
 */
function stringifyIndented(value: unknown, depth: number): string {
  const wrap = (v: unknown): unknown => {
    let w = v;
    for (let i = 0; i < depth; i++) w = { k: w };
    return w;
  };
  let sizes = wrappers[depth];
  if (!sizes) {
    const probe = JSON.stringify(wrap(0), null, 2);
    const at = probe.lastIndexOf(": 0") + 2;
    sizes = wrappers[depth] = { before: at, after: probe.length - at - 1 };
  }
  const s = JSON.stringify(wrap(value), null, 2);
  return s.slice(sizes.before, s.length - sizes.after);
}

/** Whether JSON has a value for it (undefined, functions and symbols have none). */
function isJsonValue(v: unknown): boolean {
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") {
    return isJsonValue((v as { toJSON(): unknown }).toJSON());
  }
  return v !== undefined && typeof v !== "function" && typeof v !== "symbol";
}

/** Beyond this depth a subtree is walked by `emitStable` (it is never that deep in practice). */
const MAX_CANONICAL_DEPTH = 100;

/**
 * Whether `JSON.stringify(value, null, 2)` writes exactly the stable JSON: strings, finite or not
 * numbers, booleans and null; arrays and plain objects that are not empty, objects with their
 * keys already in sorted order (the order JSON.stringify writes them in is Object.keys'), and no
 * value JSON would drop or convert (undefined, functions, symbols, bigint, toJSON). It stops at
 * the first thing that is not, so checking an unsorted object costs its keys only.
 */
function isCanonical(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > MAX_CANONICAL_DEPTH) return false;
  if (Array.isArray(value)) {
    if (value.length === 0) return false;
    for (const item of value) if (!isCanonical(item, depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 0 || typeof obj.toJSON === "function") return false;
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  for (const key of keys) if (!isCanonical(obj[key], depth + 1)) return false;
  return true;
}

// ---- synthesis of one stack ---------------------------------------------------------------

/** What cdktf records of one stack in `manifest.json`. */
export interface StackManifest {
  readonly name: string;
  readonly constructPath: string;
  readonly workingDirectory: string;
  readonly synthesizedStackPath: string;
  readonly stackMetadataPath: string;
  readonly annotations: ReadonlyArray<{ constructPath: string; level: string; message: unknown; stacktrace?: string[] }>;
  readonly dependencies: readonly string[];
}

const ANNOTATION_LEVELS = new Set<string>([AnnotationMetadataEntryType.INFO, AnnotationMetadataEntryType.WARN, AnnotationMetadataEntryType.ERROR]);

/** Every Annotation on the stack's constructs, as cdktf collects them into the manifest. */
function collectAnnotations(stack: TerraformStack): StackManifest["annotations"] {
  return stack.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((m) => ANNOTATION_LEVELS.has(m.type))
      .map((m) => ({ constructPath: node.node.path, level: m.type, message: m.data, stacktrace: m.trace })),
  );
}

/**
 * The error cdktf's synthesizer throws when a stack carries an error Annotation
 * (`Annotations.of(c).addError(...)`), unless CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set:
 * the same message, so `npm run synth` and the in-memory synthesis of review fail alike.
 */
export function checkErrorAnnotations(stack: TerraformStack, env: NodeJS.ProcessEnv = process.env): void {
  if (env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined) return;
  const errors = collectAnnotations(stack).filter((a) => a.level === AnnotationMetadataEntryType.ERROR);
  if (errors.length === 0) return;
  throw new Error(
    `Encountered Annotations with level "ERROR":\n${errors.map((a) => `[${a.constructPath}] ${a.message}`).join("\n")}\n\nEither fix the issues above, or set the environment variable CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS to ignore these annotations.\n`,
  );
}

/**
 * The steps of cdktf's `StackSynthesizer.synthesize` for a stack in memory: prepare, aspects,
 * validations (they throw with cdktf's message), error annotations; returns the Terraform JSON
 * (what `cdk.tf.json` holds, undefined fields dropped) and the manifest's annotations.
 */
export function synthesizeStackInMemory(stack: TerraformStack): { tf: Record<string, unknown>; annotations: StackManifest["annotations"] } {
  stack.prepareStack();
  invokeAspects(stack);
  stack.runAllValidations();
  const annotations = collectAnnotations(stack);
  checkErrorAnnotations(stack);
  return { tf: stack.toTerraform(), annotations };
}

/**
 * What cdktf's App.synth does for one stack, into `outdir`: prepare, aspects, validations,
 * error annotations, then `stacks/<name>/cdk.tf.json`. Returns the stack's manifest entry;
 * `writeManifest` writes `manifest.json` from the entries. Custom synthesis (assets) and HCL
 * output are not supported: the gateway stacks have neither.
 */
export function synthesizeStack(stack: TerraformStack, outdir: string): StackManifest {
  const { tf, annotations } = synthesizeStackInMemory(stack);
  const name = stack.node.id;
  const workingDirectory = path.join("stacks", name);
  const manifest: StackManifest = {
    name,
    constructPath: stack.node.path,
    workingDirectory,
    synthesizedStackPath: path.join(workingDirectory, "cdk.tf.json"),
    stackMetadataPath: path.join(workingDirectory, "metadata.json"),
    annotations,
    dependencies: stack.dependencies.map((d) => d.node.path),
  };
  fs.mkdirSync(path.join(outdir, workingDirectory), { recursive: true });
  writeStableJson(path.join(outdir, manifest.synthesizedStackPath), tf);
  return manifest;
}

/** `manifest.json` as cdktf writes it, from each stack's entry. */
export function writeManifest(outdir: string, version: string, stacks: readonly StackManifest[]): void {
  const byName = Object.fromEntries(stacks.map((s) => [s.name, s]));
  fs.writeFileSync(path.join(outdir, "manifest.json"), stableStringify({ version, stacks: byName }));
}

/** Re-exported for tests that compare with cdktf's own pipeline. */
export { Annotations, deepMerge, resolve };
