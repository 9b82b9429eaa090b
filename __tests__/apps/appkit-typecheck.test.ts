/**
 * The generated AppKit registration type-checks against the real @databricks/appkit (an exact
 * devDependency, so `npm ci` installs it): `serving({ endpoints })` with the aliases and variables
 * the snippet names, registered with createApp and called by alias, as an app would.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { loadConfig } from "../../config/load";
import { appSnippets } from "../../stacks/app-snippets";
import { REPO_ROOT } from "../helpers";

const FIXTURE = path.join(REPO_ROOT, "__tests__", "fixtures", "apps");
const prod = loadConfig(FIXTURE).environments.find((e) => e.config.name === "prod")!.config;
const registration = appSnippets(prod).find((s) => s.app === "assistant")!.files["serving.ts"];

/** How an app uses the generated module (AppKit's documented createApp + serving by alias). */
const APP = `import { createApp, server } from "@databricks/appkit";
import { servingPlugin } from "./serving";

export async function main(): Promise<unknown> {
  const appkit = await createApp({ plugins: [server(), servingPlugin] });
  return appkit.serving("chat").invoke({ messages: [{ role: "user", content: "hi" }] });
}
`;

/**
 * Type errors per file of one program: the app with the generated registration, and a wrong
 * registration beside it (proof that the check can fail). One program, because loading AppKit's
 * declarations is most of the cost.
 */
function typeErrors(files: Record<string, string>): Record<string, string[]> {
  // Inside the repository so "@databricks/appkit" resolves from its node_modules; .tmp/ is ignored by tsc and jest.
  fs.mkdirSync(path.join(REPO_ROOT, ".tmp"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, ".tmp", "appkit-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const program = ts.createProgram(
      Object.keys(files).map((f) => path.join(dir, f)),
      {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        // AppKit apps compile with skipLibCheck (its bundled .d.ts reach into optional peers).
        skipLibCheck: true,
        types: ["node"],
      },
    );
    const errors: Record<string, string[]> = Object.fromEntries(Object.keys(files).map((f) => [f, []]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const file = d.file ? path.basename(d.file.fileName) : "(global)";
      (errors[file] ??= []).push(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    }
    return errors;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const wrong = registration.replace('{ env: "DATABRICKS_SERVING_ENDPOINT_CHAT" }', '{ envVar: "DATABRICKS_SERVING_ENDPOINT_CHAT" }');
let errors: Record<string, string[]>;
beforeAll(() => {
  errors = typeErrors({ "serving.ts": registration, "app.ts": APP, "wrong-serving.ts": wrong });
});

test("the installed AppKit is the version the snippet was written for", () => {
  const pkg = JSON.parse(fs.readFileSync(require.resolve("@databricks/appkit/package.json"), "utf8"));
  const ours = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  expect(pkg.version).toBe(ours.devDependencies["@databricks/appkit"]);
});

test("the generated registration compiles against @databricks/appkit, registered and called by alias", () => {
  expect(registration).toContain('"rank": { env: "DATABRICKS_SERVING_ENDPOINT_RANK" }');
  expect(errors).toEqual(expect.objectContaining({ "serving.ts": [], "app.ts": [] }));
  expect(Object.keys(errors).sort()).toEqual(["app.ts", "serving.ts", "wrong-serving.ts"]);
});

test("the check fails on a registration AppKit does not accept", () => {
  expect(wrong).not.toBe(registration);
  expect(errors["wrong-serving.ts"].join("\n")).toMatch(/'envVar' does not exist in type 'EndpointConfig'/);
});
