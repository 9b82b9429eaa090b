/**
 * `npm run import -- --env NAME [--permissions FILE]... [--key KEY] [--dry-run] [--config DIR] FILE`
 *
 * Adopts endpoints that already run: FILE is the JSON of `databricks serving-endpoints get NAME
 * -o json` (or `list -o json`; `-` reads stdin). Each endpoint is added to gateway.yaml (disabled
 * there, so other environments are untouched) and enabled with `import: true` in the chosen
 * environment's file, keeping every comment and line of both files. The result is validated before
 * anything is written; any problem in the input is reported with file:line:col and nothing is written.
 * Exit 0 on success, 1 on any error.
 */
import * as fs from "fs";
import * as path from "path";
import { Document, isMap, isScalar, LineCounter, parseDocument, YAMLMap } from "yaml";
import { AdoptedEndpoint, adoptEndpoint, AdoptError, AdoptPermissionsError, endpointsOf, inputPathOf, JsonPath, shownKey } from "../config/adopt";
import { formatPath, formatProblem } from "../config/errors";
import { jsonSyntaxProblem } from "../config/json-position";
import type { ConfigProblem } from "../config/errors";
import { decodeUtf8 } from "../config/decode";
import { fromInvocationDir, loadConfig, MAX_CONFIG_BYTES_ENV, maxConfigBytes, readBoundedFile, readConfigText, resolveConfigDir } from "../config/load";
import { ENVIRONMENT_NAME_PATTERN } from "../config/schema";
import type { Writable } from "./report";
import { CommandHelp, CONFIG_FLAG, renderHelp } from "./args";

export const IMPORT_HELP_SPEC: CommandHelp = {
  usage: "npm run import -- --env NAME [options] FILE",
  summary:
    "Adopts serving endpoints that already run into config/ (gateway.yaml + environments/NAME.yaml).\n" +
    "FILE: JSON of `databricks serving-endpoints get ENDPOINT -o json` (one endpoint) or of\n" +
    "`databricks serving-endpoints list -o json` (several); \"-\" reads stdin. A relative FILE is read\n" +
    "from where you ran the command.",
  flags: [
    { name: "env", value: "NAME", help: "the environment the endpoints run in (required): import: true goes there; its naming is stripped to give keys" },
    { name: "permissions", value: "FILE", help: "JSON of `databricks permissions get serving-endpoints ENDPOINT_ID`; repeat for several (matched by id)" },
    { name: "key", value: "KEY", help: "the endpoint key to use (one endpoint only); default: the name without naming" },
    { name: "kind", value: "KIND", help: "serving (default) or provisioned_throughput (databricks_model_serving_provisioned_throughput)" },
    { name: "dry-run", help: "print what would be added and the summary; write nothing" },
    CONFIG_FLAG,
  ],
  exitCodes: [
    [0, "imported (or, with --dry-run, shown)"],
    [1, "bad arguments or input (reported with file:line:col), or a result that does not validate: nothing is written"],
  ],
  more:
    "Then: npm run validate, npm run review -- --base main, and deploy: the plan adopts the endpoint\n" +
    "(import) with no changes to it; databricks_permissions, when given, is created with the same grants.",
};

export const IMPORT_HELP = renderHelp(IMPORT_HELP_SPEC);

interface ImportArgs {
  env?: string;
  config?: string;
  key?: string;
  kind?: string;
  permissions: string[];
  dryRun: boolean;
  help: boolean;
  files: string[];
}

class UsageError extends Error {}

function parseImportArgs(argv: readonly string[]): ImportArgs {
  const args: ImportArgs = { permissions: [], dryRun: false, help: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (v.startsWith("--") && inline === undefined)) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--help" || flag === "-h") args.help = true;
    else if (flag === "--dry-run") args.dryRun = true;
    else if (flag === "--env") args.env = value();
    else if (flag === "--config") args.config = value();
    else if (flag === "--key") args.key = value();
    else if (flag === "--kind") args.kind = value();
    else if (flag === "--permissions") args.permissions.push(((v) => (v === "-" ? v : fromInvocationDir(v)))(value()));
    else if (flag.startsWith("-") && flag !== "-") throw new UsageError(`unknown argument "${arg}"; see --help`);
    else args.files.push(arg === "-" ? arg : fromInvocationDir(arg));
  }
  return args;
}

/**
 * Reads stdin the way a file is read: into `buf`, returning how many bytes came (0 at the end).
 * Injectable so tests can feed chunks; the default reads file descriptor 0.
 */
export type ReadChunk = (buf: Buffer) => number;

/** fs.readSync on fd 0, waiting out EAGAIN (a non-blocking pipe or terminal not ready yet). */
function readStdinChunk(buf: Buffer): number {
  for (;;) {
    try {
      return fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EOF") return 0;
      if (code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

const STDIN_CHUNK_BYTES = 64 * 1024;

/**
 * The bytes on stdin if there are at most `maxBytes`, else why they are refused. Read in chunks
 * and never more than one byte past the limit, so `cat /dev/zero | npm run import -- ... -` stops
 * with the same message (and the same GATEWAY_MAX_CONFIG_BYTES) as a file that is too large.
 */
export function readBoundedStdin(read: ReadChunk, maxBytes: number): { bytes: Buffer } | { refused: string } {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(Math.min(STDIN_CHUNK_BYTES, maxBytes + 1));
  let total = 0;
  for (;;) {
    const n = read(chunk.subarray(0, Math.min(chunk.length, maxBytes + 1 - total)));
    if (n <= 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
    if (total > maxBytes) {
      return { refused: `stdin has more than the ${maxBytes}-byte limit for an input file (reading stopped there): split it, or raise the limit with ${MAX_CONFIG_BYTES_ENV}` };
    }
  }
  return { bytes: Buffer.concat(chunks, total) };
}

/**
 * Reads and parses one JSON input; a located error when it is not JSON. A file is read as the
 * config loader reads one (readBoundedFile): a regular file of at most `maxBytes`, opened
 * non-blocking, so /dev/zero, a FIFO or a device is refused instead of hanging or exhausting memory.
 * Stdin ("-") has the same cap (readBoundedStdin). Either must be UTF-8, checked as config files are.
 */
function readJson(file: string, stdin: ReadChunk, maxBytes: number): { text: string; value: unknown; lines: LineCounter; doc: Document } {
  let read: { bytes: Buffer } | { refused: string };
  if (file === "-") {
    try {
      read = readBoundedStdin(stdin, maxBytes);
    } catch (e) {
      throw new InputError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  } else {
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch (e) {
      throw new InputError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    read = readBoundedFile(real, maxBytes, "JSON file", "an input file");
  }
  if ("refused" in read) throw new InputError(`${file}: ${read.refused}`);
  const decoded = decodeUtf8(file, read.bytes);
  if ("problem" in decoded) {
    const { location, message } = decoded.problem;
    throw new InputError(`${location.file}:${location.line}:${location.col}: ${message}`);
  }
  const text = decoded.text;
  const problem = jsonSyntaxProblem(text);
  if (problem) {
    const where = lineCol(text, problem.offset);
    throw new InputError(`${file}:${where.line}:${where.col}: not JSON (${problem.reason}): expected the output of \`databricks serving-endpoints get NAME -o json\``);
  }
  const value: unknown = JSON.parse(text);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  return { text, value, lines, doc };
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/** file:line:col of a JSON path: the key of its last segment where there is one, else the nearest node. */
function locate(file: string, input: { doc: Document; lines: LineCounter }, p: JsonPath): string {
  const at = (offset: number) => {
    const pos = input.lines.linePos(offset);
    return `${file}:${pos.line}:${pos.col}`;
  };
  for (let n = p.length - 1; n >= 0; n--) {
    const parent = n === 0 ? input.doc.contents : input.doc.getIn(p.slice(0, n), true);
    if (isMap(parent)) {
      const pair = parent.items.find((it) => isScalar(it.key) && it.key.value === p[n]);
      const range = (pair?.key as { range?: number[] } | undefined)?.range;
      if (range) return at(range[0]);
    }
    const node = input.doc.getIn(p.slice(0, n + 1), true) as { range?: number[] } | undefined;
    if (node?.range) return at(node.range[0]);
  }
  const root = input.doc.contents as { range?: number[] } | null;
  return root?.range ? at(root.range[0]) : `${file}:1:1`;
}

class InputError extends Error {}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function realOrSelf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * The line of `before` (the file on disk) that line `line` of `after` (the same text with one
 * block inserted or replaced) is; undefined for a line of the changed part (lines between the
 * first and the last difference), which may not be on disk.
 */
export function lineOnDisk(before: string, after: string, line: number): number | undefined {
  const b = before.split("\n");
  const a = after.split("\n");
  let prefix = 0;
  while (prefix < b.length && prefix < a.length && b[prefix] === a[prefix]) prefix++;
  let suffix = 0;
  while (suffix < b.length - prefix && suffix < a.length - prefix && b[b.length - 1 - suffix] === a[a.length - 1 - suffix]) suffix++;
  if (line <= prefix) return line;
  if (line > a.length - suffix) return line - (a.length - b.length);
  return undefined;
}

/** The plain value of a YAML map key in a parsed file (undefined when absent). */
function plain(doc: Document, key: string): Record<string, any> | undefined {
  const v = doc.get(key, false);
  return v && typeof (v as { toJSON?: unknown }).toJSON === "function" ? (v as { toJSON(): Record<string, any> }).toJSON() : (v as Record<string, any> | undefined);
}

/** Maps merge key by key, `null` removes, anything else replaces (config/load.ts's merge order). */
function mergeLayer(base: Record<string, any>, over: Record<string, any> | undefined): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [k, v] of Object.entries(over ?? {})) {
    if (v === null) delete out[k];
    else if (v && typeof v === "object" && !Array.isArray(v) && out[k] && typeof out[k] === "object" && !Array.isArray(out[k])) out[k] = mergeLayer(out[k], v);
    else out[k] = v;
  }
  return out;
}

/** A write that failed after replacing a file it could not put back: the message says which. */
class PartialWriteError extends InputError {}

/** The file operations replaceTogether uses (tests inject a failing rename). */
export interface ReplaceOps {
  readonly renameSync: (from: string, to: string) => void;
}

/**
 * Replaces each file with its text so that either all are replaced or, on any failure, none is:
 * every new text is first written to a temporary file next to its target (with the target's
 * mode), then each is renamed over its target; the files already replaced are put back from
 * backups (hard links to the originals) if a later rename fails. Temporaries are always removed.
 * Throws InputError (nothing changed) or PartialWriteError (a file could not be put back; its
 * backup is kept and named).
 */
export function replaceTogether(files: ReadonlyArray<{ file: string; text: string }>, ops: ReplaceOps = fs): void {
  const aside = (file: string, what: string) => path.join(path.dirname(file), `.${path.basename(file)}.import-${process.pid}.${what}`);
  const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);
  const temps: string[] = [];
  const backups: string[] = [];
  const replaced: number[] = [];
  const kept = new Set<string>();
  try {
    files.forEach(({ file, text }) => {
      const tmp = aside(file, "tmp");
      try {
        const mode = fs.statSync(file).mode & 0o7777;
        fs.rmSync(tmp, { force: true }); // left by a killed run with the same pid
        fs.writeFileSync(tmp, text, { mode, flag: "wx" });
        temps.push(tmp);
        fs.chmodSync(tmp, mode); // writeFileSync's mode is masked by the umask
      } catch (e) {
        throw new InputError(`cannot write ${tmp} (${code(e)}), next to ${file}: check the directory's permissions`);
      }
    });
    // The last file needs no backup: when its rename fails, it is still the original.
    files.slice(0, -1).forEach(({ file }) => {
      const backup = aside(file, "bak");
      try {
        fs.rmSync(backup, { force: true });
        fs.linkSync(file, backup);
        backups.push(backup);
      } catch (e) {
        throw new InputError(`cannot keep a backup of ${file} as ${backup} (${code(e)}): check the directory's permissions`);
      }
    });
    files.forEach(({ file }, i) => {
      try {
        ops.renameSync(temps[i], file);
        replaced.push(i);
      } catch (e) {
        const failed = `cannot replace ${file} (${code(e)}): check it and its directory (permissions, \`lsattr\`)`;
        const lost: string[] = [];
        for (const j of replaced) {
          try {
            ops.renameSync(backups[j], files[j].file);
          } catch (r) {
            kept.add(backups[j]);
            lost.push(`${files[j].file} was already replaced and could not be put back (${code(r)}): its previous content is in ${backups[j]}; move that over it`);
          }
        }
        if (lost.length > 0) throw new PartialWriteError(`${failed}; ${lost.join("; ")}`);
        throw new InputError(replaced.length > 0 ? `${failed}; ${replaced.map((j) => files[j].file).join(", ")} put back as it was` : failed);
      }
    });
  } finally {
    for (const f of [...temps, ...backups]) if (!kept.has(f)) fs.rmSync(f, { force: true });
  }
}

export function runImport(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Writable = process.stdout,
  err: Writable = process.stderr,
  stdin: ReadChunk = readStdinChunk,
): number {
  let args: ImportArgs;
  try {
    args = parseImportArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(`error: ${e.message}\n`);
    return 1;
  }
  if (args.help) {
    out.write(IMPORT_HELP);
    return 0;
  }
  if (!args.env || !ENVIRONMENT_NAME_PATTERN.test(args.env)) {
    err.write(`error: --env NAME is required (the environment the endpoints run in, e.g. --env prod); see --help\n`);
    return 1;
  }
  if (args.kind !== undefined && args.kind !== "serving" && args.kind !== "provisioned_throughput") {
    err.write(`error: --kind is serving or provisioned_throughput, got "${args.kind}"\n`);
    return 1;
  }
  if (args.files.length !== 1) {
    err.write(`error: expected one JSON file (or "-" for stdin), got ${args.files.length}; see --help\n`);
    return 1;
  }
  if ([...args.files, ...args.permissions].filter((f) => f === "-").length > 1) {
    err.write(`error: "-" (stdin) can be given only once: save the other input to a file and pass its path; see --help\n`);
    return 1;
  }
  const configDir = resolveConfigDir(args.config, env);
  const gatewayFile = path.join(configDir, "gateway.yaml");
  const envFile = [".yaml", ".yml"].map((ext) => path.join(configDir, "environments", `${args.env}${ext}`)).find((f) => fs.existsSync(f));
  if (!fs.existsSync(gatewayFile) || envFile === undefined) {
    err.write(`error: ${!fs.existsSync(gatewayFile) ? gatewayFile : `environments/${args.env}.yaml`} not found in ${configDir}: import adds to an existing config (environment "${args.env}" needs its file)\n`);
    return 1;
  }
  // Read as the loader reads: regular files inside the config directory, size-capped.
  const limit = maxConfigBytes(env);
  if (typeof limit === "string") {
    err.write(`error: ${limit}\n`);
    return 1;
  }
  const root = fs.realpathSync(configDir);
  const readProblems: ConfigProblem[] = [];
  const gatewayText = readConfigText(gatewayFile, root, limit, readProblems);
  const envText = readConfigText(envFile, root, limit, readProblems);
  if (gatewayText === undefined || envText === undefined) {
    for (const p of readProblems) err.write(`${formatProblem(p)}\n`);
    err.write(`nothing was written\n`);
    return 1;
  }

  try {
    const input = readJson(args.files[0], stdin, limit);
    const permissionInputs = args.permissions.map((f) => ({ file: f, ...readJson(f, stdin, limit) }));
    const gatewayDoc = parseDocument(gatewayText);
    const envDoc = parseDocument(envText);
    if (gatewayDoc.errors.length > 0 || envDoc.errors.length > 0) throw new InputError(`the config does not parse: run npm run validate and fix it first`);
    const naming = plain(envDoc, "naming") ?? {};
    const defaults = mergeLayer(plain(gatewayDoc, "defaults") ?? {}, plain(envDoc, "defaults"));

    const found = endpointsOf(input.value);
    if (found.length === 0) throw new InputError(`${args.files[0]}: no endpoints in the input`);
    if (args.key !== undefined && found.length > 1) throw new InputError(`--key applies to one endpoint; the input has ${found.length}`);

    const adopted: AdoptedEndpoint[] = [];
    for (const { value, path: at } of found) {
      const id = (value as { id?: unknown } | null)?.id;
      const perms =
        permissionInputs.length === 1 && found.length === 1
          ? permissionInputs[0]
          : permissionInputs.find((p) => typeof id === "string" && (p.value as { object_id?: unknown })?.object_id === `/serving-endpoints/${id}`);
      try {
        adopted.push(adoptEndpoint(value, at, { naming, defaults, key: args.key, kind: args.kind as "serving" | "provisioned_throughput" | undefined, permissions: perms?.value }));
      } catch (e) {
        if (!(e instanceof AdoptError)) throw e;
        // A permissions problem is located in the permissions file; its paths start at its root.
        const inPermissions = e instanceof AdoptPermissionsError && perms !== undefined;
        const where = inPermissions ? locate(perms!.file, perms!, e.path) : locate(args.files[0], input, e.path);
        // The path is shown with its keys redacted like the message (a key may be a pasted credential).
        throw new InputError(`${where} ${formatPath(e.path.map((s) => (typeof s === "string" ? shownKey(s) : s))) || "(root)"}: ${e.message}`);
      }
    }
    for (const p of permissionInputs) {
      if (!adopted.some((a) => perms(p.value, a))) {
        if (!(permissionInputs.length === 1 && found.length === 1)) throw new InputError(`${p.file}: its object_id matches none of the endpoints in ${args.files[0]}`);
      }
    }

    // Add to both files as text appended to their endpoints maps, so every other line (comments,
    // flow style, alignment) stays byte for byte; refuse keys that exist (nothing is replaced).
    const endpoints = gatewayDoc.get("endpoints", true);
    if (!isMap(endpoints) || endpoints.flow) throw new InputError(`${gatewayFile}: has no block "endpoints" map to add to`);
    const envEndpoints = envDoc.get("endpoints", true);
    if (envEndpoints !== undefined && envEndpoints !== null && !(isMap(envEndpoints) && !envEndpoints.flow) && !(isScalar(envEndpoints) && envEndpoints.value === null)) {
      throw new InputError(`${envFile}: "endpoints" is not a block map to add to`);
    }
    const seen = new Set<string>();
    const gwEntries: string[] = [];
    const envEntries: string[] = [];
    for (const a of adopted) {
      if (endpoints.has(a.key) || (isMap(envEndpoints) && envEndpoints.has(a.key)) || seen.has(a.key)) {
        throw new InputError(`endpoint key "${a.key}" (for "${a.workspaceName}") is already defined: pass --key NEW_KEY, or remove the existing entry first`);
      }
      seen.add(a.key);
      gwEntries.push(`# Adopted from "${a.workspaceName}" (npm run import): enabled in ${args.env} only.\n${yamlEntry(a.key, { enabled: false, ...a.endpoint })}`);
      envEntries.push(yamlEntry(a.key, { enabled: true, import: true }));
    }
    const newGateway = appendToMap(gatewayText, endpoints, gwEntries, true);
    const newEnv = isMap(envEndpoints) ? appendToMap(envText, envEndpoints, envEntries, false) : appendTopLevel(envText, envDoc, "endpoints", envEntries);

    // Validate the result as a whole before writing anything.
    const check = loadFromTexts(configDir, { "gateway.yaml": newGateway, [`environments/${path.basename(envFile)}`]: newEnv }, root, limit);
    const under = (p: ConfigProblem) => adopted.find((a) => new RegExp(`^endpoints\\.${escapeRegExp(a.key)}(?=$|[.[])`).test(p.path));
    const problems = check.problems.filter((p) => p.severity === "error" || under(p) !== undefined);
    const shown = { [fs.realpathSync(gatewayFile)]: [gatewayText, newGateway], [fs.realpathSync(envFile)]: [envText, newEnv] };
    for (const p of problems) {
      // The merged texts exist only in memory: never point at one of their lines that is not on disk.
      const a = under(p);
      if (a !== undefined) {
        const jsonPath = inputPathOf(p.path.slice(`endpoints.${a.key}`.length), found[adopted.indexOf(a)].path);
        err.write(`${locate(args.files[0], input, jsonPath)} (${p.path}, in the entry import would add): ${p.severity === "warning" ? "warning: " : ""}${p.message}\n`);
        continue;
      }
      const texts = shown[realOrSelf(path.resolve(p.location.file))];
      const line = texts === undefined ? p.location.line : lineOnDisk(texts[0], texts[1], p.location.line);
      err.write(line === undefined ? `${p.location.file} (in the part import would change) ${p.path}: ${p.message}\n` : `${formatProblem({ ...p, location: { ...p.location, line } })}\n`);
    }
    if (check.problems.some((p) => p.severity === "error")) {
      err.write(`error: the adopted config does not validate (above); nothing was written\n`);
      return 1;
    }

    if (args.dryRun) {
      out.write(`# ${gatewayFile} (added)\n${fragment(newGateway, gatewayText)}\n# ${envFile} (added)\n${fragment(newEnv, envText)}\n`);
    } else {
      // Into the files the reader checked (a symlink inside the config directory is written through).
      // Both or neither: a gateway.yaml entry without its environment entry (or the reverse) is
      // a config that deploys something nobody asked for.
      replaceTogether([
        { file: fs.realpathSync(gatewayFile), text: newGateway },
        { file: fs.realpathSync(envFile), text: newEnv },
      ]);
    }
    for (const a of adopted) {
      out.write(`${args.dryRun ? "would adopt" : "adopted"} "${a.workspaceName}" as endpoints.${a.key} (import: true in ${args.env})\n`);
    }
    const notes = adopted.flatMap((a) => a.notes);
    if (notes.length > 0) {
      out.write(`\nNot carried over, or to know before deploying:\n`);
      for (const n of notes) out.write(`  - ${n}\n`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    err.write(e instanceof PartialWriteError ? `error: ${e.message}\n` : `error: ${e.message}\nnothing was written\n`);
    return 1;
  }
}

function perms(value: unknown, a: AdoptedEndpoint): boolean {
  return a.id !== undefined && (value as { object_id?: unknown })?.object_id === `/serving-endpoints/${a.id}`;
}

/** What was inserted into `before` to give `after` (one contiguous block), for --dry-run. */
function fragment(after: string, before: string): string {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return after.slice(start, after.length - end).replace(/^\n+|\n+$/g, "");
}

/** `key:` and its value as block YAML, unindented. */
function yamlEntry(key: string, value: Record<string, unknown>): string {
  return new Document({ [key]: value }).toString({ lineWidth: 0 }).trimEnd();
}

function indentLines(text: string, column: number): string {
  const pad = " ".repeat(column);
  return text
    .split("\n")
    .map((l) => (l ? pad + l : l))
    .join("\n");
}

/** Inserts entries after the last item of a block map, indented like its keys. */
function appendToMap(text: string, map: YAMLMap, entries: string[], blankLine: boolean): string {
  const first = map.items[0]?.key as { range?: number[] } | undefined;
  const keyOffset = first?.range?.[0];
  const column = keyOffset === undefined ? 2 : keyOffset - (text.lastIndexOf("\n", keyOffset - 1) + 1);
  let at = map.range?.[1] ?? text.length;
  // Insert at the start of the line after the map's last value.
  const nl = text.indexOf("\n", at - 1 < 0 ? 0 : at - 1);
  at = text[at - 1] === "\n" ? at : nl < 0 ? text.length : nl + 1;
  const head = text.slice(0, at);
  const body = entries.map((e) => indentLines(e, column)).join(blankLine ? "\n\n" : "\n");
  const sep = head.endsWith("\n") ? "" : "\n";
  return `${head}${sep}${blankLine ? "\n" : ""}${body}\n${text.slice(at)}`;
}

/** Adds `key:` with entries at the end of the file (the key was absent or null). */
function appendTopLevel(text: string, doc: Document, key: string, entries: string[]): string {
  // An explicit `endpoints:` / `endpoints: null` line is replaced by the new block.
  const cleaned = doc.has(key) ? text.replace(new RegExp(`^${key}:[ \t]*(null|~)?[ \t]*(#.*)?$\\n?`, "m"), "") : text;
  const base = cleaned.endsWith("\n") || cleaned === "" ? cleaned : `${cleaned}\n`;
  return `${base}${key}:\n${entries.map((e) => indentLines(e, 2)).join("\n")}\n`;
}

/** Validates the config as it would be after the import: a copy in a temp dir with the new texts. */
function loadFromTexts(configDir: string, replaced: Record<string, string>, root: string, limit: number) {
  const tmp = fs.mkdtempSync(path.join(require("os").tmpdir(), "gateway-import-"));
  try {
    fs.mkdirSync(path.join(tmp, "environments"));
    const files = ["gateway.yaml", ...fs.readdirSync(path.join(configDir, "environments")).filter((f) => /\.ya?ml$/.test(f)).map((f) => `environments/${f}`)];
    const refused: ConfigProblem[] = [];
    for (const f of files) {
      const text = replaced[f] ?? readConfigText(path.join(configDir, f), root, limit, refused);
      if (text !== undefined) fs.writeFileSync(path.join(tmp, f), text);
    }
    if (refused.length > 0) return { environments: [], problems: refused };
    const result = loadConfig(tmp);
    // Point messages at the real files, not the temp copy.
    return { ...result, problems: result.problems.map((p) => ({ ...p, location: { ...p.location, file: p.location.file.replace(tmp, configDir) } })) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = runImport(process.argv.slice(2), process.env);
