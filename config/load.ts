/**
 * Reads `gateway.yaml` and `environments/*.yaml`, merges the four layers per environment and
 * endpoint, and validates the result. Never throws for bad config: every problem of the run comes
 * back together, each pointing at the line that set the offending value.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigProblem, Finding, formatPath, formatProblem, PathSegment, sortProblems } from "./errors";
import { issueToProblems } from "./issues";
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

/** Loads and validates the config directory. */
export function loadConfig(configDir: string): LoadResult {
  const files = readConfigFiles(configDir);
  return validateFiles(files.gateway, files.environments, files.problems);
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

/** A config file's text, or undefined after reporting why it cannot be read (a directory, no permission). */
function readText(file: string, problems: ConfigProblem[]): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "EISDIR" ? "it is a directory, expected a YAML file" : `cannot read it (${code ?? String(e)})`;
    problems.push(fileProblem(displayPath(file), `${why}: fix or remove it`));
    return undefined;
  }
}

function readConfigFiles(configDir: string): ConfigFiles {
  const problems: ConfigProblem[] = [];
  const gatewayPath = path.join(configDir, "gateway.yaml");
  let gateway: ParsedFile | undefined;
  if (!fs.existsSync(configDir) || !fs.statSync(configDir).isDirectory()) {
    problems.push(
      fileProblem(
        displayPath(configDir),
        `config directory not found (tried ${path.resolve(configDir)}): expected a directory with gateway.yaml and environments/*.yaml (set it with --config DIR or ${CONFIG_DIR_ENV}; a relative DIR is read from where you ran the command)`,
      ),
    );
    return { gateway, environments: [], problems };
  }
  if (fs.existsSync(gatewayPath)) {
    const text = readText(gatewayPath, problems);
    if (text !== undefined) {
      gateway = parseYamlFile(displayPath(gatewayPath), text);
      problems.push(...gateway.problems);
    }
  } else {
    problems.push(fileProblem(displayPath(gatewayPath), "gateway.yaml not found: create it with `defaults` and `endpoints`"));
  }
  const envDir = path.join(configDir, "environments");
  let envFiles: string[] = [];
  if (fs.existsSync(envDir)) {
    try {
      envFiles = fs.readdirSync(envDir).filter((f) => /\.ya?ml$/.test(f)).sort();
    } catch (e) {
      problems.push(fileProblem(displayPath(envDir), `cannot read the environments directory: ${(e as NodeJS.ErrnoException).code ?? String(e)}; it must be a directory of <env>.yaml files`));
      return { gateway, environments: [], problems };
    }
  }
  if (envFiles.length === 0) {
    problems.push(
      fileProblem(displayPath(envDir), "no environment files: add environments/<env>.yaml (for example dev.yaml) with at least `workspace.host`"),
    );
  }
  const environments: ConfigFiles["environments"] = [];
  for (const f of envFiles) {
    const full = path.join(envDir, f);
    const name = f.replace(/\.ya?ml$/, "");
    if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
      problems.push(
        fileProblem(
          displayPath(full),
          `invalid environment name "${name}": the file name is the environment name and must match [a-z][a-z0-9-]* (lower case, digits, "-"); rename the file`,
        ),
      );
      continue;
    }
    if (f.endsWith(".yml") && envFiles.includes(`${name}.yaml`)) {
      problems.push(fileProblem(displayPath(full), `environment "${name}" is defined twice (${name}.yaml and ${name}.yml); keep one`));
      continue;
    }
    const text = readText(full, problems);
    if (text === undefined) continue;
    const file = parseYamlFile(displayPath(full), text);
    problems.push(...file.problems);
    environments.push({ name, file });
  }
  return { gateway, environments, problems };
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
  if (!gateway || gateway.problems.length > 0) {
    // Without a usable gateway.yaml nothing can be merged, but each environment file's own
    // mistakes are still worth reporting in the same run.
    for (const { file } of envFiles) if (file.problems.length === 0) problems.push(...checkFile(file.root, EnvironmentFile, "environment"));
    return { environments: [], problems: sortProblems(problems) };
  }

  problems.push(...checkFile(gateway.root, GatewayFile, "gateway.yaml"), ...checkLiteralStrings(gateway.root));
  const gatewayEndpoints = mapChild(gateway.root, "endpoints");
  for (const [key, entry] of gatewayEndpoints?.entries ?? []) {
    if (!ENDPOINT_KEY_PATTERN.test(key)) {
      problems.push({
        severity: "error",
        location: entry.keyOrigin,
        path: formatPath(entry.keyOrigin.path),
        message: `invalid endpoint key "${key}": keys become Terraform addresses and must match [A-Za-z_][A-Za-z0-9_-]*; set the endpoint's display name with "name" instead`,
      });
    }
  }

  const environments: LoadedEnvironment[] = [];
  /** Problems found in each environment's merged config. */
  const merged: Array<{ name: string; problems: ConfigProblem[] }> = [];
  for (const { name, file } of envFiles) {
    if (file.problems.length > 0) continue;
    problems.push(...checkFile(file.root, EnvironmentFile, "environment"), ...checkLiteralStrings(file.root));
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
    const tree = effectiveEnvironment(name, gateway.root, file.root);
    const parsed = EnvironmentConfig.safeParse(toPlain(tree));
    if (!parsed.success) {
      const found = parsed.error.issues.flatMap((issue) => issueToProblems(issue, tree, EnvironmentConfig));
      merged.push({ name, problems: [...found, ...locateFindings(tree, checkValidEndpoints(tree))] });
      continue;
    }
    merged.push({ name, problems: locateFindings(tree, checkEnvironment(parsed.data)) });
    environments.push({ config: parsed.data, tree });
  }
  problems.push(...qualifyByEnvironment(merged));
  const sorted = sortProblems(problems);
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
    const parsed = Endpoint.safeParse(current);
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

/**
 * Config values are literal. Terraform evaluates `${...}` and `%{...}` in every string of its JSON
 * (a tag could read a file on the deploy runner into state), and cdktf resolves its own token
 * syntax in the same strings, so neither may appear in a key or a value.
 */
const TEMPLATE_SEQUENCE = /\$\{|%\{/;

function checkLiteralStrings(root: LNode): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const report = (origin: Origin, what: string) =>
    problems.push({
      severity: "error",
      location: origin,
      path: formatPath(origin.path),
      message: `${what} contains "\${" or "%{", which Terraform would evaluate as a template expression at plan time: config values are literal, so remove the sequence (write "$" and "{" apart)`,
    });
  const walk = (node: LNode): void => {
    if (node.kind === "scalar") {
      if (typeof node.value === "string" && TEMPLATE_SEQUENCE.test(node.value)) report(node.origin, "this value");
    } else if (node.kind === "seq") {
      node.items.forEach(walk);
    } else {
      for (const [key, entry] of node.entries) {
        if (TEMPLATE_SEQUENCE.test(key)) report(entry.keyOrigin, "this key");
        walk(entry.node);
      }
    }
  };
  walk(root);
  return problems;
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
  const parsed = schema.safeParse(toPlain(cleaned));
  return parsed.success ? [] : parsed.error.issues.flatMap((i) => issueToProblems(i, cleaned, schema));
}

function mapChild(node: LNode, key: string): LMap | undefined {
  const found = node.kind === "map" ? node.entries.get(key)?.node : undefined;
  return found?.kind === "map" ? found : undefined;
}

/** Environment file keys that carry over into the merged environment as they are. */
const ENVIRONMENT_SETTINGS = new Set(Object.keys(EnvironmentConfig.shape).filter((k) => k !== "name" && k !== "endpoints" && k !== "ai_gateway_services"));

/** The merged environment tree: the env file's settings, and each enabled endpoint's four layers. */
function effectiveEnvironment(name: string, gateway: LNode, env: LNode): LMap {
  const fileOrigin: Origin = { ...env.origin, line: 1, col: 1, path: [] };
  const entries = new Map<string, LEntry>();
  entries.set("name", { keyOrigin: fileOrigin, node: { kind: "scalar", origin: fileOrigin, value: name } });
  if (env.kind === "map") {
    for (const [key, entry] of env.entries) {
      // Unknown keys are the environment file's own problem (checkFile reports them once).
      if (ENVIRONMENT_SETTINGS.has(key)) entries.set(key, entry);
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
  return { kind: "map", origin: fileOrigin, entries };
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
