/**
 * One scenario per change class, each in its own temporary git repository: a base commit, a
 * change in the working tree, then the review against HEAD, asserting its sentences and exit code.
 */
import * as fs from "fs";
import * as path from "path";
import { BASE_FILES, edit, git, repoWith, review, reviewJson } from "./scenario";
import { spawnSync } from "child_process";
import { runReview, Synthesize } from "../../cli/review";
import { synthesizeInMemory } from "../../stacks/synth-memory";
import { REPO_ROOT, writeTree } from "../helpers";

function changed(files: Record<string, string> = {}, edits: Array<[string, string, string]> = []) {
  const dir = repoWith(BASE_FILES);
  writeTree(files, dir);
  for (const [file, from, to] of edits) edit(dir, file, from, to);
  const { code, review: r, stderr } = reviewJson(path.join(dir, "config"));
  return { code, sentences: r ? r.changes.map((c) => c.sentence) : [], review: r, stderr, dir };
}

const PROD = BASE_FILES["config/environments/prod.yaml"];

describe("review scenarios in a git repository", () => {
  test("no change: says so and exits 0", () => {
    const dir = repoWith(BASE_FILES);
    const run = review(path.join(dir, "config"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("**No changes**: `HEAD` and the working tree synthesize the same stacks: endpoints, gateway policy, other resources, backend and providers.");
    expect(run.stdout).toContain("### Policy report");
  });

  test("replaces the endpoint: a new name in a protected environment", () => {
    const r = changed({ "config/environments/prod.yaml": `${PROD}endpoints:\n  chat: { name: assistant }\n` });
    expect(r.sentences).toEqual([
      'prod/chat: endpoint name "chat" → "assistant" — replaces the endpoint: Terraform destroys and re-creates it (downtime, new serving_endpoint_id, permissions re-applied); to rename without downtime, add an endpoint with the new name, move callers, then remove this one; lifecycle.prevent_destroy will fail this deploy.',
    ]);
    expect(r.code).toBe(2);
  });

  test("replaces the endpoint: route_optimized; a new endpoint is a creation that lists what it grants", () => {
    const r = changed({}, [
      ["config/gateway.yaml", "    tags: { cost_center: \"4711\" }\n", "    tags: { cost_center: \"4711\" }\n    route_optimized: true\n  embed:\n    task: llm/v1/embeddings\n    served_entities:\n      - { name: e, external_model: { provider: openai, name: text-embedding-3-small, openai_config: { openai_api_key: \"{{secrets/llm/openai}}\" } } }\n"],
    ]);
    expect(r.sentences).toEqual([
      "dev/chat: route_optimized false → true — replaces the endpoint: Terraform destroys and re-creates it (downtime, new serving_endpoint_id, permissions re-applied).",
      'dev/embed: endpoint none → "dev-embed" — creates the endpoint: permissions not managed here: whoever the workspace lets query gets 20 QPM (per user), no TPM limit; its name and route_optimized cannot change later without replacing it.',
      "prod/chat: route_optimized false → true — replaces the endpoint: Terraform destroys and re-creates it (downtime, new serving_endpoint_id, permissions re-applied); lifecycle.prevent_destroy will fail this deploy.",
      'prod/embed: endpoint none → "embed" — creates the endpoint: permissions not managed here: whoever the workspace lets query gets 20 QPM (per user), no TPM limit; its name and route_optimized cannot change later without replacing it.',
    ]);
    // Its output (name, id, URL) comes and goes with the endpoint: no line of its own.
    expect(r.review.changes.map((c) => [c.environment, c.endpoint, c.class, c.signOff])).toEqual([
      ["dev", "chat", "replaces", true],
      ["dev", "embed", "creates", false],
      ["prod", "chat", "replaces", true],
      ["prod", "embed", "creates", true],
    ]);
    expect(r.code).toBe(2);
  });

  test("replaces the endpoint: an endpoint removed from a protected environment loses its protection with it", () => {
    const r = changed({ "config/environments/prod.yaml": `${PROD}endpoints:\n  chat: { enabled: false }\n` });
    expect(r.sentences).toEqual([
      'prod/chat: endpoint "chat" → removed — replaces the endpoint: Terraform destroys it: callers get errors, and its serving_endpoint_id and grants are gone; lifecycle.prevent_destroy does not stop this, since it goes away with the resource block.',
    ]);
    expect(r.code).toBe(2);
  });

  test("not applied by the provider: description, usage tracking off, inference table moved", () => {
    const r = changed({}, [
      ["config/gateway.yaml", "description: Chat for apps", "description: Chat for internal apps"],
      ["config/gateway.yaml", "    usage_tracking: true\n", "    usage_tracking: false\n"],
      ["config/gateway.yaml", "schema_name: logs", "schema_name: gateway_logs"],
    ]);
    const dev = r.sentences.filter((s) => s.startsWith("dev/"));
    expect(dev).toEqual([
      'dev/chat: description "Chat for apps" → "Chat for internal apps" — not applied by the provider: provider 1.99 sets it only when the endpoint is created, so this deploy changes nothing and every plan keeps showing the diff; make the same change in the workspace (Serving UI or REST API), or expect it to apply only when the endpoint is next re-created.',
      "dev/chat: usage tracking on → off — not applied by the provider: provider 1.99 drops false booleans from requests, so usage tracking likely stays on; turn it off in the Serving UI or with PUT /api/2.0/serving-endpoints/{name}/ai-gateway (this also loosens policy: usage is no longer recorded).",
      "dev/chat: inference table ml.logs.chat_payload → ml.gateway_logs.chat_payload — not applied by the provider: a new catalog, schema or prefix needs two deploys: first disable it in the Serving UI or with PUT /api/2.0/serving-endpoints/{name}/ai-gateway and deploy, then set the new location.",
    ]);
    expect(r.sentences.filter((s) => s.startsWith("prod/"))).toEqual(dev.map((s) => s.replace("dev/", "prod/")));
    expect(r.code).toBe(2);
  });

  test("not applied by the provider: an inference table switched off", () => {
    const r = changed({ "config/environments/dev.yaml": `${BASE_FILES["config/environments/dev.yaml"]}endpoints:\n  chat:\n    ai_gateway: { inference_table: false }\n` });
    expect(r.sentences).toEqual([
      "dev/chat: inference table ml.logs.chat_payload → off — not applied by the provider: provider 1.99 does not disable an existing inference table from config (enabled = false is dropped, terraform-provider-databricks#5504); disable it in the Serving UI or with PUT /api/2.0/serving-endpoints/{name}/ai-gateway (this also loosens policy: payloads are no longer logged).",
    ]);
    expect(r.code).toBe(2);
  });

  test("not applied by the provider: removing the whole permissions list revokes every grant, sign-off even unprotected", () => {
    const r = changed({}, [["config/gateway.yaml", "    permissions:\n      - { group_name: analysts, level: CAN_QUERY }\n", ""]]);
    expect(r.sentences.filter((s) => s.startsWith("dev/"))).toEqual([
      "dev/chat: access control list managed (1 grant) → not managed, all grants revoked on deploy: callers lose access (HTTP 403) — not applied by the provider: deleting databricks_permissions does not leave the grants as they are, it resets the endpoint's ACL to admins and the deploying identity; keep an explicit permissions list (to stop managing grants without revoking them, first remove the databricks_permissions resource from the Terraform state with terraform state rm).",
    ]);
    expect(r.review.changes.map((c) => [c.environment, c.signOff])).toEqual([
      ["dev", true],
      ["prod", true],
    ]);
    expect(r.code).toBe(2);
  });

  test("loosens in an unprotected environment: exit 0, with the factor", () => {
    const r = changed({
      "config/environments/dev.yaml": `${BASE_FILES["config/environments/dev.yaml"]}endpoints:
  chat:
    ai_gateway:
      rate_limits:
        - { key: endpoint, tokens: 100000 }
        - { key: user, calls: 200 }
        - { key: user_group, principal: analysts, calls: 300 }
      guardrails: { input: { safety: true, pii: MASK } }
    routing: { fallback: null, split: { openai: 100, anthropic: 0 } }
    permissions:
      - { group_name: analysts, level: CAN_QUERY }
      - { group_name: users, level: CAN_QUERY }
`,
    });
    expect(r.sentences).toEqual([
      "dev/chat: input guardrail PII BLOCK → MASK — loosens.",
      "dev/chat: per-user QPM 20 → 200, 10× — loosens.",
      "dev/chat: fallback openai, then anthropic → off, requests fail on 429 or 5xx instead of failing over — loosens.",
      "dev/chat: permission of group users none → CAN_QUERY — loosens.",
    ]);
    expect(r.code).toBe(0);
  });

  test("loosens in a protected environment: exit 2", () => {
    const r = changed({ "config/environments/prod.yaml": `${PROD}endpoints:\n  chat:\n    ai_gateway:\n      guardrails: { output: null }\n` });
    expect(r.sentences).toEqual(["prod/chat: output guardrail PII BLOCK → not set — loosens."]);
    expect(r.review.changes[0].signOff).toBe(true);
    expect(r.code).toBe(2);
  });

  test("tightens: a lower limit, a new limit, a stricter guardrail; exit 0 even when protected", () => {
    const r = changed({
      "config/environments/prod.yaml": `${PROD}endpoints:
  chat:
    ai_gateway:
      rate_limits:
        - { key: endpoint, tokens: 100000 }
        - { key: user, calls: 10, tokens: 5000 }
        - { key: user_group, principal: analysts, calls: 300 }
      guardrails: { output: { safety: true, pii: BLOCK } }
`,
    });
    expect(r.sentences).toEqual([
      "prod/chat: output guardrail safety off → on — tightens.",
      "prod/chat: per-user QPM 20 → 10, 2× cut — tightens.",
      // Per-user TPM was not limited, but the endpoint's 100,000 TPM capped every caller.
      "prod/chat: per-user TPM 100,000 (endpoint cap, shared by all callers) → 5,000, 20× cut: the per-user limit no limit → 5,000 — tightens.",
    ]);
    expect(r.code).toBe(0);
  });

  test("neutral: tags and model versions; exit 0", () => {
    const r = changed({}, [
      ["config/gateway.yaml", 'cost_center: "4711"', 'cost_center: "4712"'],
      ["config/gateway.yaml", "name: claude-sonnet-4-5", "name: claude-opus-4-1"],
    ]);
    expect(r.sentences).toEqual([
      'dev/chat: served entity anthropic external_model.name "claude-sonnet-4-5" → "claude-opus-4-1" — neutral.',
      'dev/chat: tag cost_center "4711" → "4712" — neutral.',
      'prod/chat: served entity anthropic external_model.name "claude-sonnet-4-5" → "claude-opus-4-1" — neutral.',
      'prod/chat: tag cost_center "4711" → "4712" — neutral.',
    ]);
    expect(r.code).toBe(0);
  });

  test("neutral: a fallback list becomes a split with fallback: the traffic moves, and the report shows split and chain", () => {
    const r = changed({}, [["config/gateway.yaml", "      fallback: [openai, anthropic]\n", "      split: { openai: 70, anthropic: 30 }\n      fallback: true\n"]]);
    expect(r.sentences).toEqual([
      "dev/chat: traffic split openai 100 %, anthropic 0 % → openai 70 %, anthropic 30 % — neutral.",
      "prod/chat: traffic split openai 100 %, anthropic 0 % → openai 70 %, anthropic 30 % — neutral.",
    ]);
    expect(r.review.environments.map((e) => e.policy[0].routing)).toEqual([
      "split openai 70 %, anthropic 30 %; fallback openai, then anthropic",
      "split openai 70 %, anthropic 30 %; fallback openai, then anthropic",
    ]);
    expect(r.code).toBe(0);
  });

  test("a changed secret reference is reported without its value", () => {
    const r = changed({}, [["config/gateway.yaml", "{{secrets/llm/openai}}", "{{secrets/llm/openai_v2}}"]]);
    expect(r.sentences[0]).toBe("dev/chat: served entity openai external_model.openai_config (values not shown) changed — neutral.");
    expect(JSON.stringify(r.review)).not.toContain("openai_v2");
  });

  test("a broken head config fails with the validation errors", () => {
    const dir = repoWith(BASE_FILES);
    edit(dir, "config/gateway.yaml", "calls: 300", "calls: -3");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const run = review("config");
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr.split("\n")[0]).toMatch(/^config\/gateway\.yaml:31:58 endpoints\.chat\.ai_gateway\.rate_limits\[2\]\.calls: /);
      expect(run.stderr).toContain("1 error, 0 warnings; the change was not reviewed.");
    } finally {
      process.chdir(cwd);
    }
  });

  test("a config dir below the repository root, and an environment new in the head", () => {
    const dir = repoWith(Object.fromEntries(Object.entries(BASE_FILES).map(([p, c]) => [`infra/gateway/${p}`, c])));
    writeTree({ "infra/gateway/config/environments/staging.yaml": "workspace:\n  host: https://dbc-stg.cloud.databricks.com\n" }, dir);
    const { code, review: r } = reviewJson(path.join(dir, "infra/gateway/config"));
    expect(r.environments.map((e) => [e.name, e.status])).toEqual([
      ["dev", "present"],
      ["prod", "present"],
      ["staging", "added"],
    ]);
    expect(r.changes.map((c) => c.sentence)).toEqual([
      "staging: stack gateway-staging none → new (1 endpoint) — neutral: new stack gateway-staging: add its deploy job (and workflow_dispatch choice) to .github/workflows/deploy.yml and the GitHub environments staging and staging-drift with their secrets; until then no deploy creates these endpoints.",
      'staging/chat: endpoint none → "chat" — creates the endpoint: who can query: group analysts CAN_QUERY at 300 QPM (shared by the group), 100,000 TPM (endpoint cap, shared by all callers); nobody else; its name and route_optimized cannot change later without replacing it.',
    ]);
    // Creating endpoints in an unprotected environment needs no sign-off.
    expect(code).toBe(0);
  });

  test("an environment removed from the head: one sentence for its stack, no endpoint is destroyed, sign-off", () => {
    const dir = repoWith(BASE_FILES);
    fs.rmSync(path.join(dir, "config/environments/dev.yaml"));
    const run = review(path.join(dir, "config"));
    expect(run.stdout).toContain(
      "- 🟠 `dev`: stack gateway-dev deployed (1 endpoint) → no longer synthesized — **not applied by the provider**: no deploy touches gateway-dev any more, so its endpoints keep running unmanaged, with its state left in its backend; to delete them, run cdktf destroy gateway-dev from the base commit with that environment's credentials; either way remove the dev job (and its workflow_dispatch choice) from .github/workflows/deploy.yml, where it would fail, and fix the needs: of the job after it. **(sign-off)**\n",
    );
    expect(run.stdout).not.toContain("`dev/chat`");
    expect(run.stdout).not.toContain("Terraform destroys it");
    expect(run.code).toBe(2);
  });

  test("a config dir whose path looks like git pathspec magic is read literally", () => {
    const dir = repoWith(Object.fromEntries(Object.entries(BASE_FILES).map(([p, c]) => [`:infra/${p}`, c])));
    const { code, review: r } = reviewJson(path.join(dir, ":infra/config"));
    expect(r.notices).toEqual([]);
    expect(r.changes).toEqual([]);
    expect(code).toBe(0);
  });

  test("a ref without the config directory: everything is new", () => {
    const dir = repoWith({ "README.md": "hello\n" });
    writeTree(BASE_FILES, dir);
    const run = review(path.join(dir, "config"));
    expect(run.stdout).toContain("> ⚠️ HEAD:config/ does not exist: every environment and endpoint is new.");
    expect(run.stdout).toContain('- 🔵 `dev/chat`: endpoint none → "dev-chat" — **creates the endpoint**: who can query: group analysts CAN_QUERY at 300 QPM (shared by the group), 100,000 TPM (endpoint cap, shared by all callers); nobody else;');
    expect(run.stdout).toContain("nobody else; its name and route_optimized cannot change later without replacing it. **(sign-off)** ← `config/gateway.yaml:10`\n");
    expect(run.code).toBe(2);
  });

  test("an unknown ref is an error", () => {
    const dir = repoWith(BASE_FILES);
    const run = review(path.join(dir, "config"), "--base", "no-such-branch");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: unknown git ref "no-such-branch": give a branch, tag or commit that exists locally (in CI, check out with fetch-depth: 0)\n',
    );
  });

  test("a base that does not validate is compared as empty and needs sign-off", () => {
    const dir = repoWith({ ...BASE_FILES, "config/gateway.yaml": BASE_FILES["config/gateway.yaml"].replace("calls: 300", "calls: zero") });
    writeTree(BASE_FILES, dir);
    const run = review(path.join(dir, "config"));
    expect(run.stderr).toMatch(/^base: HEAD:config\/gateway\.yaml:31:58 endpoints\.chat\.ai_gateway\.rate_limits\[2\]\.calls: /);
    expect(run.stdout).toContain("> ⚠️ The config at HEAD does not validate with this version of the code (1 error, 0 warnings; listed on stderr)");
    expect(run.code).toBe(2);
  });

  describe("a config that validates but whose constructs throw (a validator that lets a mistake through)", () => {
    /** The real synthesis, with every served entity removed from the first (base) or second (head) call. */
    function breaking(call: 1 | 2): Synthesize {
      let calls = 0;
      return (environments) => {
        calls++;
        if (calls !== call) return synthesizeInMemory(environments);
        return synthesizeInMemory(
          environments.map((e) => ({ ...e, endpoints: Object.fromEntries(Object.entries(e.endpoints).map(([k, v]) => [k, { ...v, served_entities: [] }])) })),
        );
      };
    }
    function run(call: 1 | 2) {
      const dir = repoWith(BASE_FILES);
      let stdout = "";
      let stderr = "";
      const code = runReview(["--base", "HEAD", "--config", path.join(dir, "config")], {}, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, breaking(call));
      return { code, stdout, stderr };
    }

    const THROWN =
      'gateway-dev/endpoints/chat: invalid endpoint "dev-chat", 1 problem:\n' +
      "  servedEntities: no served entities: an endpoint serves at least one model\n";

    test("in the base: a notice, compared as empty, exit 2 (no stack trace)", () => {
      const r = run(1);
      expect(r.stderr).toBe(`base: ${THROWN}`);
      expect(r.stdout).toContain(
        "> ⚠️ The config at HEAD validates but does not synthesize with this version of the code (listed on stderr), so it is compared as empty: every endpoint shows as new.",
      );
      expect(r.stdout).toContain('- 🔵 `dev/chat`: endpoint none → "dev-chat" — **creates the endpoint**');
      expect(r.code).toBe(2);
    });

    test("in the head: the error, exit 1, nothing on stdout", () => {
      const r = run(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`error: ${THROWN}The config validates but does not synthesize; the change was not reviewed.\n`);
      expect(r.code).toBe(1);
    });
  });

  test("the working tree and index are left untouched", () => {
    const dir = repoWith(BASE_FILES);
    edit(dir, "config/gateway.yaml", 'cost_center: "4711"', 'cost_center: "4712"');
    const before = git(dir, "status", "--porcelain");
    review(path.join(dir, "config"));
    expect(git(dir, "status", "--porcelain")).toBe(before);
    expect(fs.readFileSync(path.join(dir, "config/gateway.yaml"), "utf8")).toContain('"4712"');
  });

  test("the command line: Markdown on stdout, warnings on stderr, exit 2 (a real process)", () => {
    const r = changed({ "config/environments/prod.yaml": `${PROD}endpoints:\n  chat:\n    ai_gateway:\n      guardrails: { output: { pii: MASK } }\n` });
    const run = spawnSync(process.execPath, ["--require", "tsx/cjs", path.join(REPO_ROOT, "cli/review.ts"), "--base", "HEAD", "--config", path.join(r.dir, "config")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("- 🟡 `prod/chat`: output guardrail PII BLOCK → MASK — **loosens**. **(sign-off)** ← `config/environments/prod.yaml:7`\n");
    expect(run.stderr).toContain("warning: pii: MASK on output is not confirmed");
  });

  test("usage errors: --base is required, --format is markdown or json", () => {
    const errors: string[] = [];
    const out = { stdout: () => undefined, stderr: (t: string) => errors.push(t.split("\n")[0]) };
    expect(runReview([], {}, out)).toBe(1);
    expect(runReview(["--base", "HEAD", "--format", "html"], {}, out)).toBe(1);
    expect(errors).toEqual([
      "error: --base REF is required (the git branch, tag or commit to compare with)",
      'error: --format must be markdown or json, got "html"',
    ]);
  });
});
