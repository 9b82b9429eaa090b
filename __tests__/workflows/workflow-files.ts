/** Reading the GitHub Actions workflows, and the secret-hygiene rules every workflow must follow. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { REPO_ROOT } from "../helpers";

export const WORKFLOW_DIR = path.join(REPO_ROOT, ".github", "workflows");

/** Every workflow file, as a path relative to the repository root (sorted). */
export function workflowFiles(): string[] {
  return fs
    .readdirSync(WORKFLOW_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.posix.join(".github/workflows", f));
}

export function readWorkflow(rel: string): { text: string; doc: any } {
  const text = fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");
  return { text, doc: parse(text) };
}

type Path = Array<string | number>;
const show = (p: Path) => p.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("").slice(1);

const SECRET_EXPR = /\$\{\{[^}]*\bsecrets\s*[.[]/;
const ENV_EXPR = (name: string) => new RegExp(`\\$\\{\\{[^}]*\\benv\\.${name}\\b`);
/** Shell commands that write out the whole environment or every command with its expansions. */
const DUMPS: Array<[RegExp, string]> = [
  [/(^|[\s;&|(])printenv\b/m, "printenv"],
  [/(^|[;&|(]\s*|^\s*)env\s*($|[;&|>)])/m, "env"],
  [/(^|[\s;&|(])(export|declare)\s+-p\b/m, "export -p / declare -p"],
  [/(^|[\s;&|(])set\s+(-[A-Za-z]*x|-o\s+xtrace\b)/m, "set -x"],
  [/(^|[\s;&|(])(ba)?sh\s+-[A-Za-z]*x/m, "sh -x"],
];
/** Commands that write their arguments or input to the log. */
const PRINTERS = /(^|[\s;&|(])(echo|printf|cat|tee|print)\b/;

/**
 * Ways a workflow could print a secret, as `path: reason` lines (none for a clean workflow):
 * - `secrets.*` anywhere but an `env:` or `with:` value (or a reusable workflow's `secrets:`),
 *   in particular inside a `run:` script, where the value is pasted into the script itself;
 * - `toJSON(secrets)`;
 * - a `run:` script that prints a secret-bound variable, or dumps the environment / traces
 *   commands (`printenv`, `env`, `set -x`) while secrets are in its environment.
 * GitHub masks registered secrets in logs, but not a transformed value (base64, JSON, one line of
 * a multi-line key), so printing is never safe.
 */
export function secretExposures(doc: any): string[] {
  const problems: string[] = [];

  const walk = (node: unknown, at: Path) => {
    if (typeof node === "string") {
      if (/toJSON\s*\(\s*secrets\s*\)/i.test(node)) problems.push(`${show(at)}: toJSON(secrets) exposes every secret`);
      else if (SECRET_EXPR.test(node) && !allowedSecretPlace(at)) {
        problems.push(`${show(at)}: a secret may only be passed through env: or with:, found here`);
      }
    } else if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...at, i]));
    else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, [...at, k]);
  };
  walk(doc, []);

  const secretNames = (env: unknown): string[] =>
    env && typeof env === "object"
      ? Object.entries(env as Record<string, unknown>)
          .filter(([, v]) => typeof v === "string" && SECRET_EXPR.test(v))
          .map(([k]) => k)
      : [];
  const workflowSecrets = secretNames(doc?.env);
  for (const [jobId, job] of Object.entries<any>(doc?.jobs ?? {})) {
    const jobSecrets = [...workflowSecrets, ...secretNames(job?.env)];
    (job?.steps ?? []).forEach((step: any, i: number) => {
      if (typeof step?.run !== "string") return;
      const at = `jobs.${jobId}.steps[${i}].run`;
      const names = [...jobSecrets, ...secretNames(step.env)];
      const script: string = step.run;
      for (const name of names) {
        if (ENV_EXPR(name).test(script)) problems.push(`${at}: \${{ env.${name} }} pastes a secret into the script`);
        const ref = new RegExp(`\\$(\\{)?${name}\\b`);
        for (const line of script.split("\n")) {
          if (ref.test(line) && PRINTERS.test(line)) problems.push(`${at}: prints secret-bound $${name}: ${line.trim()}`);
        }
      }
      if (names.length > 0) {
        for (const [pattern, what] of DUMPS) {
          if (pattern.test(script)) problems.push(`${at}: ${what} prints the environment, which holds ${names.join(", ")}`);
        }
      }
    });
  }
  return problems;
}

function allowedSecretPlace(at: Path): boolean {
  const parent = at[at.length - 2];
  // env: at workflow, job or step level; with: of a step; secrets: of a reusable-workflow call.
  return parent === "env" || parent === "with" || (parent === "secrets" && at[0] === "jobs" && at.length === 4);
}

/** `needs` as a list. */
export function needsOf(job: any): string[] {
  const n = job?.needs;
  return n === undefined ? [] : Array.isArray(n) ? n : [n];
}

/** Job ids in an order that respects `needs` (throws on a cycle). */
export function topologicalOrder(jobs: Record<string, any>): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (id: string) => {
    if (order.includes(id)) return;
    if (visiting.has(id)) throw new Error(`needs cycle at ${id}`);
    visiting.add(id);
    needsOf(jobs[id]).forEach(visit);
    order.push(id);
  };
  Object.keys(jobs).forEach(visit);
  return order;
}
