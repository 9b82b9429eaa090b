/**
 * Reads `gateway.yaml` and `environments/*.yaml`, merges the four layers per environment and
 * endpoint, and validates the result. Never throws for bad config: every problem of the run comes
 * back together, each pointing at the line that set the offending value.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigProblem, Finding, formatPath, formatProblem, PathSegment, sortProblems } from "./errors";
import { decodeConfigFile } from "./decode";
import { issueToProblems } from "./issues";
import { checkLiteralStrings } from "./literals";
import { collectGarbageIfLarge, LARGE_CONFIG_BYTES, limitHeapGrowth } from "./memory";
import { scrubCredentials } from "./scrub";
import { LEntry, LMap, LNode, locate, mergeNodes, Origin, parseYamlFile, ParsedFile, toPlain } from "./located";
import {
  ENDPOINT_KEY_PATTERN,
  ENVIRONMENT_NAME_PATTERN,
  Endpoint,
  EnvironmentConfig,
  EnvironmentFile,
  GatewayFile,
} from "./schema";
import { deployOrder } from "./deploy-order";
import { checkEndpoint, checkEnvironment } from "./semantic";

/**
 * zod without its JIT: for each object schema zod otherwise compiles a fast parser with
 * `new Function` on first use. On a config the size of the example that compilation costs more
 * than it saves (about 35 ms of CPU of a 0.4 s synth); at 1,000 endpoints × 3 both take the same
 * time (issue 15). Results and issues are the same either way.
 */
const ZOD_PARSE = { jitless: true } as const;

const DEFAULT_CONFIG_DIR = "config";
const CONFIG_DIR_ENV = "GATEWAY_CONFIG_DIR";

/**
 * The config directory: `--config DIR`, else `$GATEWAY_CONFIG_DIR`, else `config/`. A relative DIR
 * the user gave (flag or variable) is read from where they ran the command; the default is the
 * project's own `config/`.
 */
export function resolveConfigDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const given = flag ?? (env[CONFIG_DIR_ENV] || undefined);
  return given === undefined ? DEFAULT_CONFIG_DIR : fromInvocationDir(given, env);
}

/**
 * A path the user typed, as they meant it: npm runs scripts in the project root, but sets
 * `INIT_CWD` to the directory `npm run` was invoked from, which a relative path is relative to.
 * Shown relative to the project when inside it (as typed from the root), else absolute.
 */
export function fromInvocationDir(given: string, env: NodeJS.ProcessEnv = process.env): string {
  const from = env.INIT_CWD;
  if (path.isAbsolute(given) || !from || path.resolve(from) === process.cwd()) return given;
  const abs = path.resolve(from, given);
  const rel = path.relative(process.cwd(), abs);
  return rel === "" ? "." : !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : abs;
}

/** One environment, merged and validated; endpoints in the order gateway.yaml defines them. */
export interface LoadedEnvironment {
  readonly config: EnvironmentConfig;
  /** The merged tree, for locating problems found later (for example by policy rules). */
  readonly tree: LNode;
}

export interface LoadResult {
  /** Every valid environment in deploy order (deployOrder: `deploy.order`, then by name); empty when there is any error. */
  readonly environments: LoadedEnvironment[];
  /** Errors and warnings, sorted by file and line. */
  readonly problems: ConfigProblem[];
}

export function hasErrors(problems: readonly ConfigProblem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** Loads and validates the config directory. `env` supplies GATEWAY_MAX_CONFIG_BYTES. */
export function loadConfig(configDir: string, env: NodeJS.ProcessEnv = process.env): LoadResult {
  const files = readConfigFiles(configDir, env);
  return validateFiles(files.gateway, files.environments, files.problems);
}

/** Config files are small; anything larger is refused before it is read (a symlink to /dev/zero, a huge file). */
export const DEFAULT_MAX_CONFIG_BYTES = 16 * 1024 * 1024;
export const MAX_CONFIG_BYTES_ENV = "GATEWAY_MAX_CONFIG_BYTES";

/** The size cap for one config file: `$GATEWAY_MAX_CONFIG_BYTES`, else 16 MiB. */
export function maxConfigBytes(env: NodeJS.ProcessEnv = process.env): number | string {
  const raw = env[MAX_CONFIG_BYTES_ENV];
  if (raw === undefined || raw === "") return DEFAULT_MAX_CONFIG_BYTES;
  return /^[1-9]\d*$/.test(raw.trim()) && Number.isSafeInteger(Number(raw)) ? Number(raw) : `${MAX_CONFIG_BYTES_ENV} must be a positive whole number of bytes, got "${raw}"; unset it for the default (${DEFAULT_MAX_CONFIG_BYTES})`;
}

interface ConfigFiles {
  gateway: ParsedFile | undefined;
  environments: Array<{ name: string; file: ParsedFile }>;
  problems: ConfigProblem[];
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

function fileProblem(file: string, message: string): ConfigProblem {
  return { severity: "error", location: { file, line: 1, col: 1 }, path: "(file)", message };
}

/** What a non-regular file is, in words. */
function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

function isInside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/**
 * A config file's text, or undefined after reporting why it is refused. Only a regular file
 * inside the config directory (after resolving symlinks) of at most `maxBytes` is read; the
 * checks run on stat before opening, and again on the open descriptor, which is opened
 * non-blocking so a FIFO or device swapped in meanwhile cannot hang the read.
 */
export function readConfigText(file: string, root: string, maxBytes: number, problems: ConfigProblem[]): string | undefined {
  const shown = displayPath(file);
  const refuse = (why: string): undefined => {
    problems.push(fileProblem(shown, why));
    return undefined;
  };
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return refuse("it is a symlink to a file that does not exist: fix the link or replace it with the file");
    if (code === "ELOOP") return refuse("it is a symlink loop: replace it with a regular YAML file");
    return refuse(`cannot read it (${code ?? String(e)}): fix or remove it`);
  }
  if (!isInside(real, root)) {
    // Never read it: it could be /dev/zero, a FIFO, or a secret file whose values would be echoed.
    return refuse(`it is a symlink to ${real}, outside the config directory ${root}: config files must be inside it; copy the file in instead of linking it`);
  }
  const read = readBoundedFile(real, maxBytes);
  if ("refused" in read) return refuse(read.refused);
  if (read.bytes.length >= LARGE_CONFIG_BYTES) limitHeapGrowth();
  const decoded = decodeConfigFile(shown, read.bytes);
  if ("text" in decoded) return decoded.text;
  problems.push(decoded.problem);
  return undefined;
}

/**
 * The bytes of `file` if it is a regular file of at most `maxBytes`, else why it is refused (a
 * clause starting "it is …" / "cannot read it …" with how to fix it). The checks run on stat
 * before opening, and again on the open descriptor, which is opened non-blocking and without
 * following a final symlink (pass a resolved path), so a FIFO or device swapped in meanwhile
 * cannot hang the read; at most one byte more than allowed is read, so /dev/zero-like growth
 * is caught. `expected` names the file in refusals ("YAML file"), `limitFor` the cap's owner.
 */
export function readBoundedFile(file: string, maxBytes: number, expected = "YAML file", limitFor = "a config file"): { bytes: Buffer } | { refused: string } {
  const check = (st: fs.Stats): string | undefined => {
    if (st.isDirectory()) return `it is a directory, expected a ${expected}: fix or remove it`;
    if (!st.isFile()) return `it is ${kindOf(st)}, expected a regular ${expected}: replace it with a file`;
    if (st.size > maxBytes) return `it is ${st.size} bytes, more than the ${maxBytes}-byte limit for ${limitFor}: split it, or raise the limit with ${MAX_CONFIG_BYTES_ENV}`;
    return undefined;
  };
  let fd: number | undefined;
  try {
    const before = check(fs.statSync(file));
    if (before) return { refused: before };
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
    const st = fs.fstatSync(fd);
    const after = check(st);
    if (after) return { refused: after };
    // Read at most one byte more than allowed: a file growing while read is still caught.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = fs.readSync(fd, buf, n, buf.length - n, null);
    if (n > maxBytes) return { refused: `it grew past the ${maxBytes}-byte limit while being read: split it, or raise the limit with ${MAX_CONFIG_BYTES_ENV}` };
    return { bytes: buf.subarray(0, n) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "EISDIR" ? `it is a directory, expected a ${expected}` : `cannot read it (${code ?? String(e)})`;
    return { refused: `${why}: fix or remove it` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Which files in environments/ are environments: `<env>.yaml` or `<env>.yml`, with a valid
 * name and not defined twice. Shared by the disk loader and the review's git reader.
 */
export function environmentFiles(fileNames: readonly string[], display: (fileName: string) => string, problems: ConfigProblem[]): Array<{ name: string; fileName: string }> {
  const yaml = fileNames.filter((f) => /\.ya?ml$/.test(f)).sort();
  if (yaml.length === 0) return [];
  const accepted: Array<{ name: string; fileName: string }> = [];
  for (const f of yaml) {
    const name = f.replace(/\.ya?ml$/, "");
    if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
      problems.push(
        fileProblem(
          display(f),
          `invalid environment name "${name}": the file name is the environment name and must match [a-z][a-z0-9-]* (lower case, digits, "-"); rename the file`,
        ),
      );
      continue;
    }
    if (f.endsWith(".yml") && yaml.includes(`${name}.yaml`)) {
      problems.push(fileProblem(display(f), `environment "${name}" is defined twice (${name}.yaml and ${name}.yml); keep one`));
      continue;
    }
    accepted.push({ name, fileName: f });
  }
  return accepted;
}

export const NO_ENVIRONMENTS = "no environment files: add environments/<env>.yaml (for example dev.yaml) with at least `workspace.host`";
export const NO_GATEWAY = "gateway.yaml not found: create it with `defaults` and `endpoints`";

function readConfigFiles(configDir: string, env: NodeJS.ProcessEnv): ConfigFiles {
  const problems: ConfigProblem[] = [];
  const gatewayPath = path.join(configDir, "gateway.yaml");
  let gateway: ParsedFile | undefined;
  let root: string;
  try {
    root = fs.realpathSync(configDir);
    if (!fs.statSync(root).isDirectory()) throw new Error("not a directory");
  } catch {
    problems.push(
      fileProblem(
        displayPath(configDir),
        `config directory not found (tried ${path.resolve(configDir)}): expected a directory with gateway.yaml and environments/*.yaml (set it with --config DIR or ${CONFIG_DIR_ENV}; a relative DIR is read from where you ran the command)`,
      ),
    );
    return { gateway, environments: [], problems };
  }
  const maxBytes = maxConfigBytes(env);
  if (typeof maxBytes === "string") {
    problems.push(fileProblem(displayPath(configDir), maxBytes));
    return { gateway, environments: [], problems };
  }
  if (lexists(gatewayPath)) {
    const text = readConfigText(gatewayPath, root, maxBytes, problems);
    if (text !== undefined) {
      gateway = parseYamlFile(displayPath(gatewayPath), text);
      collectGarbageIfLarge();
      problems.push(...gateway.problems);
    }
  } else {
    problems.push(fileProblem(displayPath(gatewayPath), NO_GATEWAY));
  }
  const envDir = path.join(configDir, "environments");
  let envFiles: Array<{ name: string; fileName: string }> = [];
  let anyYaml = false;
  if (lexists(envDir)) {
    try {
      const real = fs.realpathSync(envDir);
      if (!isInside(real, root)) {
        problems.push(fileProblem(displayPath(envDir), `it is a symlink to ${real}, outside the config directory ${root}: the environments directory must be inside it`));
        return { gateway, environments: [], problems };
      }
      const names = fs.readdirSync(real);
      problems.push(...notLoaded(envDir, names.filter((f) => !/\.ya?ml$/.test(f)).sort()));
      anyYaml = names.some((f) => /\.ya?ml$/.test(f));
      envFiles = environmentFiles(names, (f) => displayPath(path.join(envDir, f)), problems);
    } catch (e) {
      problems.push(fileProblem(displayPath(envDir), `cannot read the environments directory: ${(e as NodeJS.ErrnoException).code ?? String(e)}; it must be a directory of <env>.yaml files`));
      return { gateway, environments: [], problems };
    }
  }
  if (!anyYaml) {
    problems.push(fileProblem(displayPath(envDir), NO_ENVIRONMENTS));
  }
  const environments: ConfigFiles["environments"] = [];
  for (const { name, fileName } of envFiles) {
    const full = path.join(envDir, fileName);
    const text = readConfigText(full, root, maxBytes, problems);
    if (text === undefined) continue;
    const file = parseYamlFile(displayPath(full), text);
    problems.push(...file.problems);
    environments.push({ name, file });
  }
  return { gateway, environments, problems };
}

/** Files an editor or git keeps in any directory: never config, so never warned about. */
const HOUSEKEEPING = new Set([".gitkeep", ".keep", ".DS_Store", "Thumbs.db"]);

/**
 * A warning for each entry of environments/ that is not loaded (`PROD.YAML`, `prod.yaml.bak`,
 * `notes.txt`, a directory): that environment would be neither synthesized nor reviewed.
 */
function notLoaded(envDir: string, names: readonly string[]): ConfigProblem[] {
  return names
    .filter((f) => !HOUSEKEEPING.has(f))
    .map((f) => {
      const full = path.join(envDir, f);
      const yamlLike = /\.ya?ml$/i.test(f);
      const fix = yamlLike
        ? `rename it to ${f.replace(/\.(ya?ml)$/i, (_m, ext: string) => `.${ext.toLowerCase()}`).toLowerCase()} if it is an environment`
        : "name it <env>.yaml if it is an environment, or move it out of environments/";
      return {
        severity: "warning" as const,
        location: { file: displayPath(full), line: 1, col: 1 },
        path: "(file)",
        message: `not loaded: only files named <env>.yaml or <env>.yml are environments, so this ${isDirectory(full) ? "directory" : "file"} is neither synthesized nor reviewed; ${fix}`,
      };
    });
}

function isDirectory(file: string): boolean {
  try {
    return fs.lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a path exists, without following a final symlink (a dangling link exists). */
function lexists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates parsed files. Exposed for tests and for the review command, which reads files from
 * git rather than from disk.
 */
export function validateFiles(
  gateway: ParsedFile | undefined,
  envFiles: ReadonlyArray<{ name: string; file: ParsedFile }>,
  initialProblems: readonly ConfigProblem[] = [],
): LoadResult {
  const problems: ConfigProblem[] = [...initialProblems];
  /** Credentials found in any file: never shown, wherever a message would repeat them. */
  const credentials: string[] = [];
  const literals = (root: LNode): ConfigProblem[] => {
    const found = checkLiteralStrings(root);
    credentials.push(...found.credentials);
    return found.problems;
  };
  problems.push(...(gateway?.dropped ?? []), ...envFiles.flatMap(({ file }) => file.dropped ?? []));
  if (!gateway || gateway.problems.length > 0) {
    // Without a usable gateway.yaml nothing can be merged, but each environment file's own
    // mistakes are still worth reporting in the same run.
    for (const { file } of envFiles) if (file.problems.length === 0) problems.push(...literals(file.root), ...checkFile(file.root, EnvironmentFile, "environment"));
    return { environments: [], problems: scrubCredentials(sortProblems(problems), credentials) };
  }

  problems.push(...checkFile(gateway.root, GatewayFile, "gateway.yaml"), ...literals(gateway.root));
  const gatewayEndpoints = mapChild(gateway.root, "endpoints");
  const gatewayApps = mapChild(gateway.root, "apps");
  for (const [section, what] of [["endpoints", "endpoint"], ["apps", "app"], ["secret_scopes", "secret scope"]] as const) {
    for (const [key, entry] of mapChild(gateway.root, section)?.entries ?? []) {
      if (!ENDPOINT_KEY_PATTERN.test(key)) {
        problems.push({
          severity: "error",
          location: entry.keyOrigin,
          path: formatPath(entry.keyOrigin.path),
          message: `invalid ${what} key "${key}": keys become Terraform addresses and must match [A-Za-z_][A-Za-z0-9_-]*${section === "secret_scopes" ? "" : `; set the ${what}'s display name with "name" instead`}`,
        });
      }
    }
  }

  const environments: LoadedEnvironment[] = [];
  /** Problems found in each environment's merged config. */
  const merged: Array<{ name: string; problems: ConfigProblem[] }> = [];
  for (const { name, file } of envFiles) {
    if (file.problems.length > 0) continue;
    problems.push(...checkFile(file.root, EnvironmentFile, "environment"), ...literals(file.root));
    for (const [key, entry] of mapChild(file.root, "endpoints")?.entries ?? []) {
      if (!gatewayEndpoints?.entries.has(key)) {
        const known = [...(gatewayEndpoints?.entries.keys() ?? [])];
        problems.push({
          severity: "error",
          location: entry.keyOrigin,
          path: formatPath(entry.keyOrigin.path),
          message: `endpoint "${key}" is not defined in gateway.yaml: an environment can only override endpoints that gateway.yaml defines (defined: ${known.join(", ") || "none"})`,
        });
      }
    }
    problems.push(...undefinedOverrides(mapChild(file.root, "ai_gateway_services"), mapChild(gateway.root, "ai_gateway_services"), "service"));
    problems.push(...undefinedOverrides(mapChild(file.root, "apps"), gatewayApps, "app"));
    for (const [key, entry] of mapChild(file.root, "secret_scopes")?.entries ?? []) {
      if (!ENDPOINT_KEY_PATTERN.test(key) && !mapChild(gateway.root, "secret_scopes")?.entries.has(key)) {
        problems.push({
          severity: "error",
          location: entry.keyOrigin,
          path: formatPath(entry.keyOrigin.path),
          message: `invalid secret scope key "${key}": keys become Terraform addresses and must match [A-Za-z_][A-Za-z0-9_-]*`,
        });
      }
    }
    const tree = effectiveEnvironment(name, gateway.root, file.root);
    const parsed = EnvironmentConfig.safeParse(toPlain(tree), ZOD_PARSE);
    if (!parsed.success) {
      const found = parsed.error.issues.flatMap((issue) => issueToProblems(issue, tree, EnvironmentConfig));
      merged.push({ name, problems: [...found, ...locateFindings(tree, checkValidEndpoints(tree))] });
      continue;
    }
    merged.push({ name, problems: locateFindings(tree, checkEnvironment(parsed.data)) });
    environments.push({ config: parsed.data, tree });
  }
  // A problem the per-file check already reported (for every environment) is not repeated with
  // "(in environment ...)" for the environments where the endpoint is enabled.
  const reported = new Set(problems.map((p) => `${p.severity}\0${formatProblem(p)}`));
  const perEnvironment = merged.map(({ name, problems: found }) => ({ name, problems: found.filter((p) => !reported.has(`${p.severity}\0${formatProblem(p)}`)) }));
  problems.push(...qualifyByEnvironment(perEnvironment));
  const sorted = scrubCredentials(sortProblems(problems), credentials);
  return { environments: hasErrors(sorted) ? [] : inDeployOrder(environments), problems: sorted };
}

/** Every command lists environments in one order, the order CI deploys them in. */
function inDeployOrder(environments: readonly LoadedEnvironment[]): LoadedEnvironment[] {
  const byName = new Map(environments.map((e) => [e.config.name, e]));
  return deployOrder(environments.map((e) => e.config)).map((name) => byName.get(name)!);
}

/** An environment's override of a service (or endpoint) that gateway.yaml does not define. */
function undefinedOverrides(overrides: LMap | undefined, defined: LMap | undefined, what: string): ConfigProblem[] {
  const known = [...(defined?.entries.keys() ?? [])];
  return [...(overrides?.entries ?? [])]
    .filter(([key]) => !defined?.entries.has(key))
    .map(([key, entry]) => ({
      severity: "error" as const,
      location: entry.keyOrigin,
      path: formatPath(entry.keyOrigin.path),
      message: `${what} "${key}" is not defined in gateway.yaml: an environment can only override ${what}s that gateway.yaml defines (defined: ${known.join(", ") || "none"})`,
    }));
}

/**
 * A problem in the merged config that sits in gateway.yaml but shows in only some environments
 * (an environment override made it wrong, or the endpoint is disabled elsewhere) names them:
 * the line itself is right for the others.
 */
function qualifyByEnvironment(perEnvironment: ReadonlyArray<{ name: string; problems: readonly ConfigProblem[] }>): ConfigProblem[] {
  const seen = new Map<string, { problem: ConfigProblem; envs: string[] }>();
  for (const { name, problems } of perEnvironment) {
    for (const problem of problems) {
      const id = `${problem.severity}\0${formatProblem(problem)}`;
      const entry = seen.get(id) ?? seen.set(id, { problem, envs: [] }).get(id)!;
      if (!entry.envs.includes(name)) entry.envs.push(name);
    }
  }
  const all = perEnvironment.length;
  return [...seen.values()].map(({ problem, envs }) =>
    envs.length < all && !problem.location.file.includes(`environments${path.sep}`)
      ? { ...problem, message: `${problem.message} (in environment${envs.length > 1 ? "s" : ""} ${envs.join(", ")})` }
      : problem,
  );
}

/**
 * Semantic checks of every endpoint of an environment that failed schema validation, so one run
 * reports everything. Like a compiler's error recovery: strip the values zod rejected, check the
 * rest, and drop findings on or under a stripped path (they would only repeat the first error).
 */
function checkValidEndpoints(tree: LMap): Finding[] {
  const endpoints = tree.entries.get("endpoints")?.node;
  if (endpoints?.kind !== "map") return [];
  const findings: Finding[] = [];
  for (const [key, entry] of endpoints.entries) {
    const { endpoint, stripped } = recoverEndpoint(toPlain(entry.node));
    if (!endpoint) continue;
    const related = (p: ReadonlyArray<string | number>) => stripped.some((s) => isPrefix(p, s) || isPrefix(s, p));
    findings.push(...checkEndpoint(endpoint, []).filter((f) => !related(f.path)).map((f) => ({ ...f, path: ["endpoints", key, ...f.path] })));
  }
  return findings;
}

const MAX_RECOVERY_ROUNDS = 5;

function recoverEndpoint(value: unknown): { endpoint?: Endpoint; stripped: PathSegment[][] } {
  const stripped: PathSegment[][] = [];
  let current = structuredClone(value);
  for (let round = 0; round < MAX_RECOVERY_ROUNDS; round++) {
    const parsed = Endpoint.safeParse(current, ZOD_PARSE);
    if (parsed.success) return { endpoint: parsed.data, stripped };
    for (const issue of parsed.error.issues) {
      const paths = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      for (const p of paths) {
        // Remove the nearest map key on the path (list items stay, so indices keep their meaning).
        const cut = p.map((seg) => typeof seg === "string").lastIndexOf(true);
        if (cut < 0) return { stripped };
        const at = p.slice(0, cut + 1) as PathSegment[];
        current = withoutKey(current, at);
        stripped.push(at);
      }
    }
  }
  return { stripped };
}

function withoutKey(value: unknown, at: readonly PathSegment[]): unknown {
  let parent = value as Record<string | number, unknown> | undefined;
  for (const seg of at.slice(0, -1)) parent = parent?.[seg] as Record<string | number, unknown> | undefined;
  if (parent && typeof parent === "object") delete parent[at[at.length - 1]];
  return value;
}

function isPrefix(prefix: ReadonlyArray<PathSegment>, path: ReadonlyArray<PathSegment>): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);
}

/** A file's own shape (types, unknown keys), before merging, with nulls removed as a merge would. */
function checkFile(root: LNode, schema: typeof GatewayFile | typeof EnvironmentFile, what: string): ConfigProblem[] {
  if (root.kind !== "map") {
    return [
      {
        severity: "error",
        location: root.origin,
        path: "(top level)",
        message: `expected the ${what} file to be a map of keys (${Object.keys(schema.shape).join(", ")}), got ${root.kind === "seq" ? "a list" : "a single value"}`,
      },
    ];
  }
  const cleaned = mergeNodes(undefined, root);
  const parsed = schema.safeParse(toPlain(cleaned), ZOD_PARSE);
  return parsed.success ? [] : parsed.error.issues.flatMap((i) => issueToProblems(i, cleaned, schema));
}

function mapChild(node: LNode, key: string): LMap | undefined {
  const found = node.kind === "map" ? node.entries.get(key)?.node : undefined;
  return found?.kind === "map" ? found : undefined;
}

/** Environment file keys that carry over into the merged environment as they are. */
const MERGED_SECTIONS = new Set(["name", "endpoints", "ai_gateway_services", "apps", "secret_scopes"]);
const ENVIRONMENT_SETTINGS = new Set(Object.keys(EnvironmentConfig.shape).filter((k) => !MERGED_SECTIONS.has(k)));

/** The merged environment tree: the env file's settings, and each enabled endpoint's four layers. */
export function effectiveEnvironment(name: string, gateway: LNode, env: LNode): LMap {
  const fileOrigin: Origin = { ...env.origin, line: 1, col: 1, path: [] };
  const entries = new Map<string, LEntry>();
  entries.set("name", { keyOrigin: fileOrigin, node: { kind: "scalar", origin: fileOrigin, value: name } });
  const removed = new Map<string, Origin>();
  if (env.kind === "map") {
    for (const [key, entry] of env.entries) {
      // Unknown keys are the environment file's own problem (checkFile reports them once).
      if (!ENVIRONMENT_SETTINGS.has(key)) continue;
      // `null` removes a setting, as in every other layer (and is reported where it is written).
      if (entry.node.kind === "scalar" && entry.node.value === null) removed.set(key, entry.keyOrigin);
      else entries.set(key, entry.node.kind === "map" ? { ...entry, node: mergeNodes(undefined, entry.node) } : entry);
    }
  }
  const defaults = [mapChildNode(gateway, "defaults"), mapChildNode(env, "defaults")];
  const envEndpoints = mapChild(env, "endpoints");
  const endpoints = new Map<string, LEntry>();
  for (const [key, entry] of mapChild(gateway, "endpoints")?.entries ?? []) {
    const layers = [...defaults, entry.node, envEndpoints?.entries.get(key)?.node];
    let merged: LNode | undefined;
    for (const layer of layers) if (layer) merged = mergeNodes(merged, layer, entry.node.origin);
    if (!merged) continue;
    if (merged.kind === "map" && isDisabled(merged)) continue;
    endpoints.set(key, { keyOrigin: entry.keyOrigin, node: merged });
  }
  const endpointsOrigin = mapChild(gateway, "endpoints")?.origin ?? gateway.origin;
  entries.set("endpoints", { keyOrigin: endpointsOrigin, node: { kind: "map", origin: endpointsOrigin, entries: endpoints } });
  const services = mapChild(gateway, "ai_gateway_services");
  if (services) {
    // The same four layers as endpoints, from the services' own defaults.
    const merged = mergeLayers(services, [mapChildNode(gateway, "service_defaults"), mapChildNode(env, "service_defaults")], mapChild(env, "ai_gateway_services"));
    entries.set("ai_gateway_services", { keyOrigin: services.origin, node: { kind: "map", origin: services.origin, entries: merged } });
  }
  // Apps merge like endpoints (app_defaults, then the entry, each layer gateway.yaml then the
  // environment file); secret scopes have no defaults and may be declared by either file alone.
  const apps = mergedSection(gateway, env, "apps", "app_defaults", false);
  if (apps) entries.set("apps", apps);
  const scopes = mergedSection(gateway, env, "secret_scopes", undefined, false, true);
  if (scopes) entries.set("secret_scopes", scopes);
  return { kind: "map", origin: fileOrigin, entries, ...(removed.size > 0 && { removed }) };
}

/** Each enabled entry of `defined` merged over the defaults, then under its environment override. */
function mergeLayers(defined: LMap, defaults: ReadonlyArray<LNode | undefined>, overrides: LMap | undefined): Map<string, LEntry> {
  const out = new Map<string, LEntry>();
  for (const [key, entry] of defined.entries) {
    let merged: LNode | undefined;
    for (const layer of [...defaults, entry.node, overrides?.entries.get(key)?.node]) if (layer) merged = mergeNodes(merged, layer, entry.node.origin);
    if (!merged || (merged.kind === "map" && isDisabled(merged))) continue;
    out.set(key, { keyOrigin: entry.keyOrigin, node: merged });
  }
  return out;
}

/**
 * One keyed section of the effective environment: each entry's four layers (the section's
 * defaults in gateway.yaml and the environment file, then the entry in each), disabled entries
 * left out. Entries come from gateway.yaml; with `envMayAdd` the environment file may add its own.
 * Undefined when neither file has the section (unless `always`).
 */
function mergedSection(gateway: LNode, env: LNode, section: string, defaultsKey: string | undefined, always: boolean, envMayAdd = false): LEntry | undefined {
  const gatewaySection = mapChild(gateway, section);
  const envSection = mapChild(env, section);
  if (!always && !gatewaySection && !envSection) return undefined;
  const defaults = defaultsKey ? [mapChildNode(gateway, defaultsKey), mapChildNode(env, defaultsKey)] : [];
  const keys = new Map<string, LEntry>(gatewaySection?.entries ?? []);
  if (envMayAdd) for (const [key, entry] of envSection?.entries ?? []) if (!keys.has(key)) keys.set(key, entry);
  const merged = new Map<string, LEntry>();
  for (const [key, entry] of keys) {
    const own = gatewaySection?.entries.get(key)?.node;
    const layers = [...defaults, own, envSection?.entries.get(key)?.node];
    let node: LNode | undefined;
    for (const layer of layers) if (layer) node = mergeNodes(node, layer, entry.node.origin);
    if (!node) continue;
    if (node.kind === "map" && isDisabled(node)) continue;
    merged.set(key, { keyOrigin: entry.keyOrigin, node });
  }
  const origin = gatewaySection?.origin ?? envSection?.origin ?? gateway.origin;
  return { keyOrigin: origin, node: { kind: "map", origin, entries: merged } };
}

function mapChildNode(node: LNode, key: string): LNode | undefined {
  return node.kind === "map" ? node.entries.get(key)?.node : undefined;
}

function isDisabled(endpoint: LMap): boolean {
  const enabled = endpoint.entries.get("enabled")?.node;
  return enabled?.kind === "scalar" && enabled.value === false;
}

export type { Finding } from "./errors";

function locateFindings(tree: LNode, findings: readonly Finding[]): ConfigProblem[] {
  return findings.map((f) => {
    const at = locate(tree, f.path, { atKey: f.atKey });
    return { severity: f.severity, location: at.origin, path: formatPath(at.path), message: f.message };
  });
}
