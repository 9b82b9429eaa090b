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
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const r = resolveTokens(scope, obj[key], depth + 1);
    if (r !== undefined) out[key] = r;
  }
  return out;
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
  for (const element of elements) deepMerge(tf, resolveTokens(stack, element.toTerraform()));
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
 * The same bytes, about three times faster on a large stack.
 */
export function stableStringify(value: unknown): string {
  // Native JSON.stringify of a key-sorted copy writes the same bytes, three times faster, except
  // for empty objects and arrays (`{}` where json-stable-stringify writes `{`, newline, `}`).
  const copy = { empty: false };
  const sorted = sortedCopy(value, copy);
  if (!copy.empty) return JSON.stringify(sorted, null, 2) ?? "";
  return stringifyAt(value, "") ?? "";
}

/** JSON's values only (toJSON applied, undefined and functions dropped), keys sorted. */
function sortedCopy(value: unknown, copy: { empty: boolean }): unknown {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    if (value.length === 0) copy.empty = true;
    return value.map((item) => sortedCopy(item, copy));
  }
  const out: Record<string, unknown> = {};
  let keys = 0;
  for (const key of Object.keys(value).sort()) {
    const v = sortedCopy((value as Record<string, unknown>)[key], copy);
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    out[key] = v;
    keys++;
  }
  if (keys === 0) copy.empty = true;
  return out;
}

/** One value at one indent; undefined where JSON has no value (undefined, a function). */
function stringifyAt(value: unknown, indent: string): string | undefined {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  // String concatenation, not an array of parts: V8 builds ropes and flattens once.
  if (Array.isArray(value)) {
    let s = "[";
    for (let i = 0; i < value.length; i++) s += `${i === 0 ? "\n" : ",\n"}${inner}${stringifyAt(value[i], inner) ?? "null"}`;
    return `${s}\n${indent}]`;
  }
  const obj = value as Record<string, unknown>;
  let s = "{";
  let first = true;
  for (const key of Object.keys(obj).sort()) {
    const v = stringifyAt(obj[key], inner);
    if (v === undefined) continue;
    s += `${first ? "\n" : ",\n"}${inner}${JSON.stringify(key)}: ${v}`;
    first = false;
  }
  return `${s}\n${indent}}`;
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
  fs.writeFileSync(path.join(outdir, manifest.synthesizedStackPath), stableStringify(tf));
  return manifest;
}

/** `manifest.json` as cdktf writes it, from each stack's entry. */
export function writeManifest(outdir: string, version: string, stacks: readonly StackManifest[]): void {
  const byName = Object.fromEntries(stacks.map((s) => [s.name, s]));
  fs.writeFileSync(path.join(outdir, "manifest.json"), stableStringify({ version, stacks: byName }));
}

/** Re-exported for tests that compare with cdktf's own pipeline. */
export { Annotations, deepMerge, resolve };
