/**
 * Extracts the attribute schema (names, nesting, required) of the standalone AI Gateway resources
 * and `databricks_grants` from a published typed binding, `@cdktn/provider-databricks` 18.x
 * (provider 1.132), into a small JSON file the tests compare our constructs' output against.
 *
 * The binding is a reference, never a dependency: install it somewhere outside the project and
 * point this script at that folder (the one holding node_modules/):
 *
 *   mkdir /tmp/cdktn && cd /tmp/cdktn && npm init -y \
 *     && npm install --no-audit --no-fund @cdktn/provider-databricks@18.7.0
 *   npm run binding-schema -- /tmp/cdktn              # rewrite the committed JSON
 *   npm run binding-schema -- /tmp/cdktn --check      # exit 1 when it differs
 *   npm run binding-schema -- --install --check       # CI: install into a temp dir first (about 5 s, 120 MB)
 *
 * It reads the generated JavaScript (`lib/<resource>/index.js`): every block and attribute is
 * rendered by a `…ToHclTerraform` function that lists its Terraform name, whether it is a block,
 * its type (simple, list, set, struct, map) and its storage class (string, number, boolean,
 * stringList, or the struct it holds). Required fields come from the `.d.ts` interfaces (a
 * `readonly x?:` field is optional). Plain text parsing of generated code, no evaluation: the
 * package's code never runs.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CommandHelp, printHelpIfAsked } from "../cli/args";

/** The resources we render ourselves, by the binding's module folder. */
export const BINDING_MODULES = {
  databricks_ai_gateway_model_service: { module: "ai-gateway-model-service", className: "AiGatewayModelService" },
  databricks_ai_gateway_model_provider_service: { module: "ai-gateway-model-provider-service", className: "AiGatewayModelProviderService" },
  databricks_ai_gateway_mcp_service: { module: "ai-gateway-mcp-service", className: "AiGatewayMcpService" },
  databricks_grants: { module: "grants", className: "Grants" },
} as const;

export const BINDING_PACKAGE = "@cdktn/provider-databricks";
/** The binding version the committed schema was extracted from (provider 1.132.0). */
export const BINDING_VERSION = "18.7.0";
export const SCHEMA_FILE = path.join(__dirname, "..", "__tests__", "fixtures", "gateway", "binding-schema.json");

/** One attribute or block: a scalar, a list/set of scalars, an object, or a list/set of objects. */
export type SchemaNode =
  | { readonly kind: "string" | "number" | "boolean"; readonly required: boolean }
  | { readonly kind: "list" | "set"; readonly of: "string" | "number" | "boolean"; readonly required: boolean }
  | { readonly kind: "object"; readonly required: boolean; readonly block: boolean; readonly attributes: Readonly<Record<string, SchemaNode>> }
  | { readonly kind: "list" | "set"; readonly of: "object"; readonly required: boolean; readonly block: boolean; readonly attributes: Readonly<Record<string, SchemaNode>> };

export interface BindingSchema {
  readonly package: string;
  readonly providerVersion: string;
  readonly resources: Readonly<Record<string, Readonly<Record<string, SchemaNode>>>>;
}

const ENTRY = /\n {8,12}(\w+): \{\s*value: ([^\n]*),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",\s*\}/g;

/** The attribute entries of one `attrs = { … }` literal starting at `from`. */
function entriesAt(js: string, from: number): Array<{ name: string; value: string; isBlock: boolean; type: string; storage: string }> {
  const start = js.indexOf("const attrs = {", from);
  if (start < 0) throw new Error("binding-schema: no attrs literal found; the generated code changed shape");
  // An empty struct (a marker block) is `const attrs = {};`.
  if (js.startsWith("const attrs = {};", start)) return [];
  const end = js.indexOf("\n    };", start);
  const body = js.slice(start, end);
  return [...body.matchAll(ENTRY)].map((m) => ({ name: m[1], value: m[2], isBlock: m[3] === "true", type: m[4], storage: m[5] }));
}

/** `readonly name?:` fields of one interface of the .d.ts: camelCase name → optional. */
function optionalFields(dts: string, interfaceName: string): Map<string, boolean> {
  const start = dts.indexOf(`export interface ${interfaceName} `);
  if (start < 0) throw new Error(`binding-schema: interface ${interfaceName} not found`);
  const end = dts.indexOf("\n}", start);
  const fields = new Map<string, boolean>();
  for (const m of dts.slice(start, end).matchAll(/readonly (\w+)(\?)?:/g)) fields.set(m[1], m[2] === "?");
  return fields;
}

function camelOf(value: string): string {
  const m = /(?:struct\.|this\._)(\w+)\)*$/.exec(value.replace(/\.internalValue\)$/, ")"));
  if (!m) throw new Error(`binding-schema: cannot tell the field of "${value}"`);
  return m[1];
}

function parseAttrs(js: string, dts: string, from: number, interfaceName: string): Record<string, SchemaNode> {
  const optional = optionalFields(dts, interfaceName);
  const out: Record<string, SchemaNode> = {};
  for (const e of entriesAt(js, from)) {
    const camel = camelOf(e.value);
    if (!optional.has(camel)) throw new Error(`binding-schema: ${interfaceName}.${camel} (${e.name}) not in the .d.ts`);
    const required = optional.get(camel) === false;
    const scalar = { string: "string", number: "number", boolean: "boolean" } as const;
    if (e.type === "simple") {
      const kind = scalar[e.storage as keyof typeof scalar];
      if (!kind) throw new Error(`binding-schema: unknown simple storage ${e.storage}`);
      out[e.name] = { kind, required };
    } else if ((e.type === "list" || e.type === "set") && /^(string|number|boolean)List$/.test(e.storage)) {
      out[e.name] = { kind: e.type, of: e.storage.replace(/List$/, "") as "string", required };
    } else if (e.type === "struct" || e.type === "list" || e.type === "set") {
      const fn = /(\w+ToHclTerraform)/.exec(e.value.replace(/cdktn\.\w+/g, ""))?.[1];
      if (!fn) throw new Error(`binding-schema: no struct function in "${e.value}"`);
      const at = js.indexOf(`function ${fn}(struct) {`);
      if (at < 0) throw new Error(`binding-schema: function ${fn} not found`);
      const structName = e.storage.replace(/List$/, "");
      const attributes = parseAttrs(js, dts, at, structName);
      out[e.name] = e.type === "struct" ? { kind: "object", required, block: e.isBlock, attributes } : { kind: e.type, of: "object", required, block: e.isBlock, attributes };
    } else {
      throw new Error(`binding-schema: unsupported type ${e.type} (${e.storage}) for ${e.name}`);
    }
  }
  return out;
}

/** The schema of every resource in {@link BINDING_MODULES}, read from an installed package. */
export function extractBindingSchema(installDir: string): BindingSchema {
  const pkgDir = path.join(installDir, "node_modules", ...BINDING_PACKAGE.split("/"));
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { version: string; cdktf?: { provider?: { version?: string } } };
  const resources: Record<string, Record<string, SchemaNode>> = {};
  let providerVersion = pkg.cdktf?.provider?.version;
  for (const [type, { module, className }] of Object.entries(BINDING_MODULES)) {
    const js = fs.readFileSync(path.join(pkgDir, "lib", module, "index.js"), "utf8");
    const dts = fs.readFileSync(path.join(pkgDir, "lib", module, "index.d.ts"), "utf8");
    if (!js.includes(`terraformResourceType: '${type}'`)) throw new Error(`binding-schema: ${module} is not ${type}`);
    providerVersion ??= /providerVersion: '([^']+)'/.exec(js)?.[1];
    const at = js.indexOf("synthesizeHclAttributes() {");
    resources[type] = parseAttrs(js, dts, at, `${className}Config`);
  }
  return { package: `${BINDING_PACKAGE}@${pkg.version}`, providerVersion: providerVersion ?? "unknown", resources };
}

export function renderSchema(schema: BindingSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Installs the binding (no install scripts) into a new temporary directory and returns it. */
function installBinding(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktn-bindings-"));
  const r = spawnSync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", `${BINDING_PACKAGE}@${BINDING_VERSION}`], { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`npm install ${BINDING_PACKAGE}@${BINDING_VERSION} failed (exit ${r.status})`);
  return dir;
}

export const BINDING_SCHEMA_HELP: CommandHelp = {
  usage: "npm run binding-schema -- DIR [--check] | --install [--check]",
  summary:
    "Extracts the attribute schema of the standalone AI Gateway resources from @cdktn/provider-databricks\n" +
    "(installed under DIR/node_modules, never a dependency) into __tests__/fixtures/gateway/binding-schema.json.",
  flags: [
    { name: "install", help: "install the pinned binding into a temporary directory first (network; about 5 s, 120 MB)" },
    { name: "check", help: "write nothing; exit 1 when the committed schema differs" },
  ],
  exitCodes: [
    [0, "written, or (--check) the committed schema matches"],
    [1, "no DIR, or (--check) the committed schema differs"],
  ],
};

function main(argv: string[]): number {
  if (printHelpIfAsked(argv, BINDING_SCHEMA_HELP, process.stdout)) return 0;
  const check = argv.includes("--check");
  const installed = argv.includes("--install") ? installBinding() : undefined;
  try {
    return run(installed ?? argv.find((a) => !a.startsWith("--")), check);
  } finally {
    if (installed) fs.rmSync(installed, { recursive: true, force: true });
  }
}

function run(dir: string | undefined, check: boolean): number {
  if (!dir) {
    process.stderr.write("usage: npm run binding-schema -- <dir with node_modules/@cdktn/provider-databricks> | --install [--check]\n");
    return 1;
  }
  const text = renderSchema(extractBindingSchema(dir));
  if (check) {
    const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, "utf8") : "";
    if (committed === text) {
      process.stdout.write(`${path.relative(process.cwd(), SCHEMA_FILE)} matches the installed binding\n`);
      return 0;
    }
    process.stderr.write(`${path.relative(process.cwd(), SCHEMA_FILE)} differs from the installed binding: run npm run binding-schema -- ${dir}, review the diff, and fix the constructs\n`);
    return 1;
  }
  fs.writeFileSync(SCHEMA_FILE, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
