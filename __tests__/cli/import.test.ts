import * as fs from "fs";
import * as path from "path";
import { IMPORT_HELP, ReadChunk, readBoundedStdin, runImport } from "../../cli/import";
import { spawn } from "child_process";
import { DEFAULT_MAX_CONFIG_BYTES, loadConfig } from "../../config/load";
import { REPO_ROOT, synthEnv, tempDir, writeTree } from "../helpers";

const FIXTURES = path.join(REPO_ROOT, "__tests__/fixtures/import");
const fixture = (f: string) => path.join(FIXTURES, f);
const json = (f: string) => JSON.parse(fs.readFileSync(fixture(f), "utf8"));

function capture() {
  const sink = { text: "", write: (t: string) => ((sink.text += t), true) };
  return sink;
}

/** A config with defaults the adopted endpoints do not have (they must not pick them up) and comments to keep. */
const GATEWAY = `# Team gateway: comments and flow style must survive an import.
defaults:
  ai_gateway:
    usage_tracking: true
    guardrails:
      input: { safety: true, pii: BLOCK }   # aligned comment
    rate_limits:
      - { key: user, calls: 5 }
  tags: { owner: ml-platform }

endpoints:
  existing:
    task: llm/v1/chat
    served_entities:
      - { name: a, external_model: { provider: openai, name: gpt-4o-mini, openai_config: { openai_api_key: "{{secrets/llm/k}}" } } }
`;
const PROD = `# prod: comments stay
workspace:
  host: https://dbc-prod.cloud.databricks.com
defaults:
  tags: { environment: prod }
`;
const DEV = `workspace:
  host: https://dbc-dev.cloud.databricks.com
naming:
  prefix: dev-
endpoints:
  existing:
    ai_gateway: { rate_limits: [{ key: user, calls: 1 }] }
`;

function config(): string {
  return writeTree({ "gateway.yaml": GATEWAY, "environments/prod.yaml": PROD, "environments/dev.yaml": DEV });
}

/** A stdin of `parts`, handed out in reads of at most `chunk` bytes; `given` counts the bytes handed out. */
function feed(parts: Array<string | Buffer>, chunk = 7): ReadChunk & { given: number } {
  let rest = Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
  const read = Object.assign(
    (buf: Buffer) => {
      const n = Math.min(buf.length, chunk, rest.length);
      rest.copy(buf, 0, 0, n);
      rest = rest.subarray(n);
      read.given += n;
      return n;
    },
    { given: 0 },
  );
  return read;
}

function run(dir: string, ...argv: string[]) {
  const out = capture();
  const err = capture();
  const code = runImport(["--config", dir, ...argv], {}, out, err, () => 0);
  return { code, out: out.text, err: err.text };
}

function snapshotFiles(dir: string): Record<string, string> {
  return Object.fromEntries(["gateway.yaml", "environments/prod.yaml", "environments/dev.yaml"].map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
}

// ---- round trip: REST JSON → YAML → synth → the same fields -------------------------------

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === false || v === 0 || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/** Provider 1.99 never sends false, zero or empty values (d.GetOk): compare without them. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean).filter((x) => !isEmpty(x));
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "//") continue;
    const c = clean(x);
    if (!isEmpty(c)) out[k] = c;
  }
  return out;
}

const OUTPUT_ONLY = ["id", "creator", "creation_timestamp", "last_updated_timestamp", "state", "pending_config", "permission_level", "endpoint_url", "data_plane_info", "task"];

/** The settable fields of a REST ServingEndpointDetailed, in Terraform's vocabulary. */
function restFields(rest: any): any {
  const r = structuredClone(rest);
  for (const k of OUTPUT_ONLY) delete r[k];
  // A Databricks-hosted endpoint's config is left to the server (no config block).
  if (r.config?.served_entities?.every((e: any) => e.foundation_model)) delete r.config;
  if (r.config) {
    delete r.config.config_version;
    for (const e of r.config.served_entities ?? []) {
      for (const k of ["state", "creator", "creation_timestamp", "foundation_model"]) delete e[k];
    }
    const routes = (r.config.traffic_config?.routes ?? []).map((x: any) => ({ served_entity_name: x.served_entity_name ?? x.served_model_name, traffic_percentage: x.traffic_percentage }));
    // One entity with all traffic is the server's default: the stack leaves traffic_config out (Computed).
    if (routes.length === 1 && routes[0].traffic_percentage === 100) delete r.config.traffic_config;
    else if (r.config.traffic_config) r.config.traffic_config = { routes };
  }
  for (const d of ["input", "output"]) {
    // Deprecated; not carried over (the import says so).
    delete r.ai_gateway?.guardrails?.[d]?.invalid_keywords;
    delete r.ai_gateway?.guardrails?.[d]?.valid_topics;
  }
  if (r.tags) r.tags = [...r.tags].sort((a: any, b: any) => a.key.localeCompare(b.key));
  return clean(r);
}

function tfFields(resource: any): any {
  const r = structuredClone(resource);
  delete r.lifecycle;
  if (r.tags) r.tags = [...r.tags].sort((a: any, b: any) => a.key.localeCompare(b.key));
  return clean(r);
}

describe("npm run import: round trip of REST fixtures", () => {
  test.each([
    ["docs-custom-model.json", "unity-model-endpoint"],
    ["provider-docs-external-model.json", "gpt-4o-mini"],
    ["provider-docs-foundation-model.json", "llama_3_2_3b_instruct"],
    ["pay-per-token.json", "claude-sonnet-4-6"],
    ["seed-chat.json", "chat"],
  ])("%s: JSON → YAML → synth gives the same fields, imported by name", (file, key) => {
    const dir = config();
    const r = run(dir, "--env", "prod", fixture(file));
    // Only the create-only warnings of description / email_notifications may be printed.
    expect(r.err.split("\n").filter((l) => l && !/warning: "(description|email_notifications)" is applied by provider 1\.99 only when it creates/.test(l))).toEqual([]);
    expect(r.code).toBe(0);
    const loaded = loadConfig(dir);
    expect(loaded.problems.filter((p) => p.severity === "error")).toEqual([]);
    const prod = loaded.environments.find((e) => e.config.name === "prod")!.config;
    const tf = synthEnv(prod);
    const rest = json(file);
    const resource = tf.resource.databricks_model_serving[key];
    expect(tfFields(resource)).toEqual(restFields(rest));
    expect(tf.import).toEqual([{ id: rest.name, to: `databricks_model_serving.${key}` }]);
    // Other environments are untouched: the endpoint is disabled there.
    const dev = loaded.environments.find((e) => e.config.name === "dev")!.config;
    expect(Object.keys(dev.endpoints)).toEqual(["existing"]);
  });

  test("--kind provisioned_throughput adopts into databricks_model_serving_provisioned_throughput, same fields", () => {
    const dir = config();
    const r = run(dir, "--env", "prod", "--kind", "provisioned_throughput", fixture("provider-docs-provisioned-throughput.json"));
    expect(r.code).toBe(0);
    const loaded = loadConfig(dir);
    expect(loaded.problems.filter((p) => p.severity === "error")).toEqual([]);
    const tf = synthEnv(loaded.environments.find((e) => e.config.name === "prod")!.config);
    const resource = tf.resource.databricks_model_serving_provisioned_throughput.llama;
    expect(tfFields(resource)).toEqual(restFields(json("provider-docs-provisioned-throughput.json")));
    expect(tf.import).toEqual([{ id: "llama", to: "databricks_model_serving_provisioned_throughput.llama" }]);
    // A custom model is not a provisioned-throughput entity: refused, located.
    const bad = run(config(), "--env", "prod", "--kind", "provisioned_throughput", fixture("docs-custom-model.json"));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/docs-custom-model\.json:\d+:\d+ config\.served_entities\[0\]: not a provisioned-throughput entity/);
  });

  test("a databricks-* endpoint keeps its exact name and gets no config block (served models stay with Databricks)", () => {
    const dir = config();
    expect(run(dir, "--env", "prod", fixture("pay-per-token.json")).code).toBe(0);
    const prod = loadConfig(dir).environments.find((e) => e.config.name === "prod")!.config;
    const resource = synthEnv(prod).resource.databricks_model_serving["claude-sonnet-4-6"];
    expect(resource.name).toBe("databricks-claude-sonnet-4-6");
    expect(resource.config).toBeUndefined();
    expect(resource.ai_gateway.rate_limits).toHaveLength(2);
  });

  test("permissions: direct grants carried over, admins and inherited left out; one databricks_permissions", () => {
    const dir = config();
    const r = run(dir, "--env", "prod", "--permissions", fixture("seed-chat-permissions.json"), fixture("seed-chat.json"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("the admins group keeps CAN_MANAGE by itself; not listed");
    const prod = loadConfig(dir).environments.find((e) => e.config.name === "prod")!.config;
    const acl = synthEnv(prod).resource.databricks_permissions.chat.access_control;
    expect(acl).toEqual([
      { group_name: "analysts", permission_level: "CAN_QUERY" },
      { group_name: "ml-platform", permission_level: "CAN_MANAGE" },
      { service_principal_name: "6b1c5f2e-0000-4000-8000-000000000001", permission_level: "CAN_QUERY" },
    ]);
  });

  test("list output: every endpoint adopted in one run", () => {
    const dir = config();
    const r = run(dir, "--env", "prod", fixture("list.json"));
    expect(r.code).toBe(0);
    expect(r.out).toContain('adopted "unity-model-endpoint" as endpoints.unity-model-endpoint');
    expect(r.out).toContain('adopted "databricks-claude-sonnet-4-6" as endpoints.claude-sonnet-4-6');
  });

  test("the naming prefix of the environment is stripped back to the key", () => {
    const dir = config();
    const rest = { ...json("docs-custom-model.json"), name: "dev-ranker" };
    const input = writeTree({ "ranker.json": JSON.stringify(rest) });
    expect(run(dir, "--env", "dev", path.join(input, "ranker.json")).code).toBe(0);
    const dev = loadConfig(dir).environments.find((e) => e.config.name === "dev")!.config;
    expect(synthEnv(dev).resource.databricks_model_serving.ranker.name).toBe("dev-ranker");
  });

  test("a name without the environment's prefix is refused, located", () => {
    const dir = config();
    const before = snapshotFiles(dir);
    const r = run(dir, "--env", "dev", fixture("docs-custom-model.json"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/docs-custom-model\.json:2:3 name: "unity-model-endpoint" does not carry this environment's naming \(prefix "dev-", suffix ""\)/);
    expect(snapshotFiles(dir)).toEqual(before);
  });
});

describe("npm run import: files", () => {
  test("appends to both files and keeps every existing line (comments, flow style)", () => {
    const dir = config();
    expect(run(dir, "--env", "prod", fixture("docs-custom-model.json")).code).toBe(0);
    const files = snapshotFiles(dir);
    expect(files["gateway.yaml"].startsWith(GATEWAY)).toBe(true);
    expect(files["gateway.yaml"].slice(GATEWAY.length)).toBe(
      [
        "",
        '  # Adopted from "unity-model-endpoint" (npm run import): enabled in prod only.',
        "  unity-model-endpoint:",
        "    enabled: false",
        "    served_entities:",
        "      - name: my-ads-model",
        "        entity_name: myCatalog.mySchema.my-ads-model",
        '        entity_version: "1"',
        "        workload_size: Small",
        "    ai_gateway: null",
        "    tags: null",
        "",
      ].join("\n"),
    );
    expect(files["environments/prod.yaml"]).toBe(`${PROD}endpoints:\n  unity-model-endpoint:\n    enabled: true\n    import: true\n`);
    expect(files["environments/dev.yaml"]).toBe(DEV);
  });

  test("--dry-run prints the additions and the summary, writes nothing", () => {
    const dir = config();
    const before = snapshotFiles(dir);
    const r = run(dir, "--env", "prod", "--dry-run", fixture("provider-docs-external-model.json"));
    expect(r.code).toBe(0);
    expect(snapshotFiles(dir)).toEqual(before);
    expect(r.out).toContain("  gpt-4o-mini:\n    enabled: false\n    task: llm/v1/chat\n");
    expect(r.out).toContain('would adopt "gpt-4o-mini" as endpoints.gpt-4o-mini (import: true in prod)');
    expect(r.out).toContain("guardrails.input.invalid_keywords / valid_topics are deprecated and not carried over");
  });

  test("a key that exists is refused, nothing written", () => {
    const dir = config();
    const before = snapshotFiles(dir);
    const r = run(dir, "--env", "prod", "--key", "existing", fixture("docs-custom-model.json"));
    expect(r.code).toBe(1);
    expect(r.err).toContain('endpoint key "existing" (for "unity-model-endpoint") is already defined: pass --key NEW_KEY');
    expect(snapshotFiles(dir)).toEqual(before);
  });

  test("--help", () => {
    const r = run(config(), "--help");
    expect(r.code).toBe(0);
    expect(r.out).toBe(IMPORT_HELP);
  });

  test("usage errors: no --env, unknown flag", () => {
    expect(run(config(), fixture("seed-chat.json")).err).toContain("--env NAME is required");
    expect(run(config(), "--env", "prod", "--force", fixture("seed-chat.json")).err).toContain('unknown argument "--force"');
  });
});

describe("npm run import: bad input is located and writes nothing", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["not JSON", `{\n  "name": "x",\n  oops\n}\n`, /input\.json:3:3: not JSON \(unexpected character, expected a double-quoted string\): expected the output of `databricks serving-endpoints get NAME -o json`/],
    ["not JSON, with a pasted key (never echoed)", `{\n  "openai_api_key": sk-SECRET\n}\n`, /input\.json:2:21: not JSON \(unexpected character, expected a value/],
    ["truncated JSON", `{\n  "name": "x",\n`, /input\.json:3:1: not JSON \(unexpected end of input, expected a double-quoted string\)/],
    ["YAML instead of JSON", `name: x\n`, /input\.json:1:1: not JSON/],
    [
      "an unknown field",
      JSON.stringify({ name: "x", config: { served_entities: [{ name: "a", entity_name: "m.s.x", entity_version: "1", workload_size: "Small", colour: "red" }] } }, null, 2),
      /input\.json:10:9 config\.served_entities\[0\]\.colour: unknown field "colour" in "served_entities\[0\]"; expected one of: name, entity_name/,
    ],
    [
      "a plaintext key",
      JSON.stringify({ name: "x", config: { served_entities: [{ name: "a", external_model: { provider: "openai", name: "m", task: "llm/v1/chat", openai_config: { openai_api_key_plaintext: "sk-SECRET" } } }] } }, null, 2),
      /config\.served_entities\[0\]\.external_model\.openai_config\.openai_api_key_plaintext: "openai_api_key_plaintext" is a plaintext credential/,
    ],
    [
      "a literal credential in a secret field",
      JSON.stringify({ name: "x", config: { served_entities: [{ name: "a", external_model: { provider: "openai", name: "m", task: "llm/v1/chat", openai_config: { openai_api_key: "sk-SECRET" } } }] } }, null, 2),
      /openai_config\.openai_api_key: "openai_api_key" holds a literal credential \(value not shown\)/,
    ],
    ["a list where an object belongs", JSON.stringify({ name: "x", ai_gateway: [] }), /input\.json:1:\d+ ai_gateway: expected an object for "ai_gateway", got a list|ai_gateway: expected "ai_gateway" \(a JSON object\), got a list/],
    ["no name", JSON.stringify({ config: {} }), /the endpoint has no "name"/],
  ];
  test.each(cases)("%s", (_name, text, message) => {
    const dir = config();
    const before = snapshotFiles(dir);
    const input = writeTree({ "input.json": text });
    const r = run(dir, "--env", "prod", path.join(input, "input.json"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err).toContain("nothing was written");
    expect(r.err).not.toContain("SECRET");
    expect(snapshotFiles(dir)).toEqual(before);
  });

  test("an unknown field in the permissions JSON points into that file", () => {
    const dir = config();
    const input = writeTree({ "p.json": JSON.stringify({ object_id: "/serving-endpoints/x", acl: [] }, null, 2) });
    const r = run(dir, "--env", "prod", "--permissions", path.join(input, "p.json"), fixture("seed-chat.json"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/p\.json:3:3 acl: unknown field "acl" in the permissions/);
  });
});

describe("npm run import: problems of the merged config point at lines that exist", () => {
  const GATEWAY_WITH_TAIL = `endpoints:
  existing:
    task: llm/v1/chat
    served_entities:
      - { name: a, external_model: { provider: openai, name: gpt-4o-mini, openai_config: { openai_api_key: "{{secrets/llm/k}}" } } }
other: 1
`;
  const BAD_RATE = JSON.stringify(
    {
      name: "x",
      ai_gateway: { rate_limits: [{ key: "user", calls: -5, renewal_period: "minute" }] },
      config: { served_entities: [{ name: "a", external_model: { provider: "openai", name: "m", task: "llm/v1/chat", openai_config: { openai_api_key: "{{secrets/s/k}}" } } }] },
    },
    null,
    2,
  );

  test("a problem in the adopted entry points into the input JSON; one after the insertion at its line on disk", () => {
    const dir = writeTree({ "gateway.yaml": GATEWAY_WITH_TAIL, "environments/prod.yaml": PROD });
    const input = path.join(writeTree({ "in.json": BAD_RATE }), "in.json");
    const r = run(dir, "--env", "prod", input);
    expect(r.code).toBe(1);
    expect(r.err.split("\n")).toEqual([
      // Line 7 of in.json is `"calls": -5`, 9 its column.
      `${input}:7:9 (endpoints.x.ai_gateway.rate_limits[0].calls, in the entry import would add): expected a number > 0, got number -5`,
      // `other:` is line 6 of gateway.yaml on disk (the merged text has it further down).
      `${path.join(dir, "gateway.yaml")}:6:1 other: unknown key "other"; expected one of: defaults, endpoints, service_defaults, ai_gateway_services, app_defaults, apps, secret_scopes`,
      "error: the adopted config does not validate (above); nothing was written",
      "",
    ]);
    expect(fs.readFileSync(path.join(dir, "gateway.yaml"), "utf8")).toBe(GATEWAY_WITH_TAIL);
  });

  test("lineOnDisk maps lines around an inserted or replaced block, and none inside it", () => {
    const { lineOnDisk } = require("../../cli/import") as typeof import("../../cli/import");
    const before = "a\nb\nc\n";
    const after = "a\nb\nX\nY\nc\n";
    expect([1, 2, 3, 4, 5].map((l) => lineOnDisk(before, after, l))).toEqual([1, 2, undefined, undefined, 3]);
    // A removed `endpoints: null` line: everything between it and the new block counts as changed.
    expect([1, 2, 3, 5].map((l) => lineOnDisk("a\nendpoints: null\nb\n", "a\nb\nendpoints:\n  k: 1\n", l))).toEqual([1, undefined, undefined, 4]);
  });
});

describe("npm run import: keys that look like credentials are never echoed", () => {
  const KEY = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
  test.each<[string, unknown]>([
    ["an unknown field named by a pasted key", { name: "x", ai_gateway: { [KEY]: true } }],
    ["a *_plaintext field named by a pasted key", { name: "x", ai_gateway: { [`${KEY}_plaintext`]: "v" } }],
    ["a random-looking unknown key", { name: "x", Zx8Qw3Rt7Yp2Lk9Mn4Bv6Cx1Hj5Gf0Ds: 1 }],
  ])("%s", (_name, value) => {
    const input = path.join(writeTree({ "in.json": JSON.stringify(value, null, 2) }), "in.json");
    const r = run(config(), "--env", "prod", input);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown field "|is a plaintext credential/);
    expect(r.err).not.toContain("AbCdEfGhIjKlMnOpQrStUvWxYz");
    expect(r.err).not.toContain("Zx8Qw3Rt7Yp2Lk9Mn4Bv6Cx1Hj5Gf0Ds");
  });

  test("the redacted forms: the shape's prefix, or … for an unknown shape; ordinary keys unchanged", () => {
    const { shownKey } = require("../../config/adopt") as typeof import("../../config/adopt");
    expect(shownKey(KEY)).toBe("sk-proj-…");
    expect(shownKey("Zx8Qw3Rt7Yp2Lk9Mn4Bv6Cx1Hj5Gf0Ds")).toBe("…");
    expect(shownKey("colour")).toBe("colour");
    expect(shownKey("openai_api_key_plaintext")).toBe("openai_api_key_plaintext");
  });
});

describe("npm run import: gateway.yaml and the environment file are replaced together", () => {
  const { replaceTogether } = require("../../cli/import") as typeof import("../../cli/import");
  const leftovers = (dir: string) =>
    [...fs.readdirSync(dir), ...fs.readdirSync(path.join(dir, "environments")).map((f) => `environments/${f}`)].filter((f) => /\.import-\d+\./.test(f));

  test("the files keep their mode", () => {
    const dir = config();
    fs.chmodSync(path.join(dir, "gateway.yaml"), 0o640);
    fs.chmodSync(path.join(dir, "environments/prod.yaml"), 0o600);
    expect(run(dir, "--env", "prod", fixture("seed-chat.json")).code).toBe(0);
    expect(fs.statSync(path.join(dir, "gateway.yaml")).mode & 0o777).toBe(0o640);
    expect(fs.statSync(path.join(dir, "environments/prod.yaml")).mode & 0o777).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });

  test("the environment file cannot be replaced (immutable): gateway.yaml is put back, nothing left over", () => {
    const dir = config();
    const before = snapshotFiles(dir);
    const envFile = path.join(dir, "environments/prod.yaml");
    const { spawnSync } = require("child_process");
    if (spawnSync("chattr", ["+i", envFile]).status !== 0) return void console.warn("chattr +i not available: immutable-file case skipped");
    try {
      const r = run(dir, "--env", "prod", fixture("seed-chat.json"));
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      // After the endpoint's warnings (description, email_notifications):
      expect(r.err.split("\n").slice(-3)).toEqual([
        `error: cannot replace ${fs.realpathSync(envFile)} (EPERM): check it and its directory (permissions, \`lsattr\`); ${fs.realpathSync(path.join(dir, "gateway.yaml"))} put back as it was`,
        "nothing was written",
        "",
      ]);
    } finally {
      spawnSync("chattr", ["-i", envFile]);
    }
    expect(snapshotFiles(dir)).toEqual(before);
    expect(leftovers(dir)).toEqual([]);
  });

  test("a second rename that fails, then a restore that fails: says which file and where its backup is", () => {
    const dir = writeTree({ "a.yaml": "a0\n", "b.yaml": "b0\n" });
    const a = path.join(dir, "a.yaml");
    const b = path.join(dir, "b.yaml");
    let calls = 0;
    const failing = (from: string, to: string) => {
      if (++calls >= 2) throw Object.assign(new Error("injected"), { code: "EIO" });
      fs.renameSync(from, to);
    };
    let message = "";
    try {
      replaceTogether([{ file: a, text: "a1\n" }, { file: b, text: "b1\n" }], { renameSync: failing });
    } catch (e) {
      message = (e as Error).message;
    }
    const backup = path.join(dir, `.a.yaml.import-${process.pid}.bak`);
    expect(message).toBe(`cannot replace ${b} (EIO): check it and its directory (permissions, \`lsattr\`); ${a} was already replaced and could not be put back (EIO): its previous content is in ${backup}; move that over it`);
    expect(fs.readFileSync(backup, "utf8")).toBe("a0\n");
    expect(fs.readFileSync(b, "utf8")).toBe("b0\n");
    expect(fs.readdirSync(dir).sort()).toEqual([`.a.yaml.import-${process.pid}.bak`, "a.yaml", "b.yaml"]);
  });

  test("a second rename that fails: the first file is put back from its backup", () => {
    const dir = writeTree({ "a.yaml": "a0\n", "b.yaml": "b0\n" });
    const a = path.join(dir, "a.yaml");
    const b = path.join(dir, "b.yaml");
    let calls = 0;
    const failing = (from: string, to: string) => {
      if (++calls === 2) throw Object.assign(new Error("injected"), { code: "EIO" });
      fs.renameSync(from, to);
    };
    expect(() => replaceTogether([{ file: a, text: "a1\n" }, { file: b, text: "b1\n" }], { renameSync: failing })).toThrow(`cannot replace ${b} (EIO): check it and its directory (permissions, \`lsattr\`); ${a} put back as it was`);
    expect([fs.readFileSync(a, "utf8"), fs.readFileSync(b, "utf8")]).toEqual(["a0\n", "b0\n"]);
    expect(fs.readdirSync(dir).sort()).toEqual(["a.yaml", "b.yaml"]);
  });
});

describe("npm run import: inputs that would hang, exhaust memory or overflow the stack are refused", () => {
  function refused(argv: string[], env: NodeJS.ProcessEnv = {}) {
    const dir = config();
    const before = snapshotFiles(dir);
    const out = capture();
    const err = capture();
    let stdinReads = 0;
    const code = runImport(["--config", dir, "--env", "prod", ...argv], env, out, err, () => (stdinReads++, 0));
    expect(snapshotFiles(dir)).toEqual(before);
    return { code, err: err.text, stdinReads };
  }

  test("200,000 nested lists: a located syntax problem, not a stack trace", () => {
    const input = writeTree({ "deep.json": `${"[".repeat(200_000)}${"]".repeat(200_000)}` });
    const r = refused([path.join(input, "deep.json")]);
    expect(r).toEqual({
      code: 1,
      err: `error: ${path.join(input, "deep.json")}:1:257: not JSON (objects and lists nested more than 256 levels deep): expected the output of \`databricks serving-endpoints get NAME -o json\`\nnothing was written\n`,
      stdinReads: 0,
    });
  });

  test("deep objects in --permissions too", () => {
    const input = writeTree({ "p.json": `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}` });
    const r = refused(["--permissions", path.join(input, "p.json"), fixture("seed-chat.json")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`p.json:1:1281: not JSON (objects and lists nested more than 256 levels deep)`);
  });

  test("/dev/zero, a FIFO or a directory as FILE or --permissions is refused without reading it", () => {
    const fifoDir = writeTree({});
    const fifo = path.join(fifoDir, "fifo.json");
    require("child_process").execFileSync("mkfifo", [fifo]);
    expect(refused(["/dev/zero"]).err).toBe(`error: /dev/zero: it is a character device, expected a regular JSON file: replace it with a file\nnothing was written\n`);
    expect(refused([fifo]).err).toBe(`error: ${fifo}: it is a FIFO (named pipe), expected a regular JSON file: replace it with a file\nnothing was written\n`);
    expect(refused([fifoDir]).err).toBe(`error: ${fifoDir}: it is a directory, expected a JSON file: fix or remove it\nnothing was written\n`);
    expect(refused(["--permissions", "/dev/zero", fixture("seed-chat.json")]).err).toContain(`error: /dev/zero: it is a character device`);
  });

  test("a file over the config size cap (GATEWAY_MAX_CONFIG_BYTES) is refused", () => {
    const size = fs.statSync(fixture("seed-chat.json")).size;
    const r = refused([fixture("seed-chat.json")], { GATEWAY_MAX_CONFIG_BYTES: String(size - 1) });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`seed-chat.json: it is ${size} bytes, more than the ${size - 1}-byte limit for an input file: split it, or raise the limit with GATEWAY_MAX_CONFIG_BYTES`);
  });

  test('"-" for both FILE and --permissions is a usage error; stdin is not read', () => {
    expect(refused(["--permissions", "-", "-"])).toEqual({
      code: 1,
      err: `error: "-" (stdin) can be given only once: save the other input to a file and pass its path; see --help\n`,
      stdinReads: 0,
    });
  });

  test('"-" stays stdin for --permissions when npm runs from another directory (INIT_CWD)', () => {
    const saved = process.env.INIT_CWD;
    process.env.INIT_CWD = writeTree({});
    try {
      expect(refused(["--permissions", "-", "-"]).err).toContain(`"-" (stdin) can be given only once`);
    } finally {
      if (saved === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = saved;
    }
  });
});

describe("npm run import -: stdin is size-capped and must be UTF-8, as files are", () => {
  const SEED = fs.readFileSync(fixture("seed-chat.json"));
  const tooLarge = (limit: number) =>
    `error: -: stdin has more than the ${limit}-byte limit for an input file (reading stopped there): split it, or raise the limit with GATEWAY_MAX_CONFIG_BYTES\nnothing was written\n`;

  function viaStdin(stdin: ReadChunk, env: NodeJS.ProcessEnv = {}) {
    const dir = config();
    const before = snapshotFiles(dir);
    const out = capture();
    const err = capture();
    const code = runImport(["--config", dir, "--env", "prod", "--dry-run", "-"], env, out, err, stdin);
    expect(snapshotFiles(dir)).toEqual(before);
    return { code, out: out.text, err: err.text };
  }

  test("exactly the limit is read, in chunks; one byte more is refused in the files' words, after reading one byte past it", () => {
    const atLimit = feed([SEED]);
    const ok = viaStdin(atLimit, { GATEWAY_MAX_CONFIG_BYTES: String(SEED.length) });
    expect(ok.code).toBe(0);
    expect(ok.err).not.toMatch(/error/);
    expect(ok.out).toContain("chat");
    expect(atLimit.given).toBe(SEED.length);

    const over = feed([SEED]);
    expect(viaStdin(over, { GATEWAY_MAX_CONFIG_BYTES: String(SEED.length - 1) })).toEqual({ code: 1, out: "", err: tooLarge(SEED.length - 1) });
    expect(over.given).toBe(SEED.length);
  });

  test("an endless stdin (cat /dev/zero |) stops one byte past the limit; the default limit is the config files' 16 MiB", () => {
    let given = 0;
    const endless: ReadChunk = (buf) => {
      buf.fill(0x20);
      given += buf.length;
      return buf.length;
    };
    expect(viaStdin(endless, { GATEWAY_MAX_CONFIG_BYTES: "100000" })).toEqual({ code: 1, out: "", err: tooLarge(100000) });
    expect(given).toBe(100001);
    given = 0;
    expect(readBoundedStdin(endless, DEFAULT_MAX_CONFIG_BYTES)).toEqual({ refused: expect.stringContaining(`more than the ${16 * 1024 * 1024}-byte limit`) });
    expect(given).toBe(16 * 1024 * 1024 + 1);
  });

  test("UTF-16 and Latin-1 bytes are refused as config files are (located, nothing written); from a file too", () => {
    const utf16 = Buffer.from(`\ufeff${SEED.toString("utf8")}`, "utf16le");
    expect(viaStdin(feed([utf16]))).toEqual({ code: 1, out: "", err: `error: -:1:1: file is UTF-16; save it as UTF-8 (in most editors: "Save with encoding" → UTF-8)\nnothing was written\n` });
    const latin1 = Buffer.from(`{\n  "name": "caf\u00e9"\n}\n`, "latin1");
    const notUtf8 = `2:15: byte 0xE9 is not UTF-8 (the file was probably saved as Latin-1 or Windows-1252): save it as UTF-8; nothing is read from a file that is not\nnothing was written\n`;
    expect(viaStdin(feed([latin1]))).toEqual({ code: 1, out: "", err: `error: -:${notUtf8}` });

    const dir = config();
    const input = tempDir();
    fs.writeFileSync(path.join(input, "latin1.json"), latin1);
    expect(run(dir, "--env", "prod", path.join(input, "latin1.json")).err).toBe(`error: ${path.join(input, "latin1.json")}:${notUtf8}`);
  });

  test("UTF-8 split across reads, and a UTF-8 byte-order mark, are read as the JSON they are", () => {
    const text = SEED.toString("utf8").replace("General-purpose chat", "Café chat ☕");
    const oneByteAtATime = feed(["\ufeff", text], 1);
    const r = viaStdin(oneByteAtATime);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/error/);
    expect(r.err).toContain("-:4:3 (endpoints.chat.description"); // positions count characters, not the BOM's bytes
    expect(r.out).toContain("Café chat ☕");
  });

  test("a real pipe: more than GATEWAY_MAX_CONFIG_BYTES into `import ... -` exits 1 with the one-line error, without reading it all", async () => {
    const dir = config();
    const before = snapshotFiles(dir);
    const child = spawn(process.execPath, ["--require", "tsx/cjs", "cli/import.ts", "--config", dir, "--env", "prod", "-"], {
      cwd: REPO_ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", GATEWAY_MAX_CONFIG_BYTES: "65536" },
    });
    child.stdin.on("error", () => undefined); // EPIPE: the command stopped reading, as it should
    child.stdin.end(Buffer.alloc(8 * 1024 * 1024, 0x20));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect({ status, stdout, stderr }).toEqual({ status: 1, stdout: "", stderr: tooLarge(65536) });
    expect(snapshotFiles(dir)).toEqual(before);
  }, 60_000);
});

describe("JSON syntax positions (the parser that never echoes input)", () => {
  const fc = require("fast-check") as typeof import("fast-check");
  const { jsonSyntaxProblem } = require("../../config/json-position") as typeof import("../../config/json-position");
  const parses = (s: string) => {
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  };

  test("agrees with JSON.parse on valid JSON and on arbitrary text", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => jsonSyntaxProblem(JSON.stringify(v, null, 2)) === undefined));
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(..."{}[]:,\"\\ 0-1.eEtrufalsnqu9aF\n\t".split("")) }), (s) => (jsonSyntaxProblem(s) === undefined) === parses(s)));
  });

  test("nesting: 256 levels are valid, one more is a problem at the bracket that goes too deep", () => {
    const { MAX_JSON_DEPTH } = require("../../config/json-position") as typeof import("../../config/json-position");
    expect(MAX_JSON_DEPTH).toBe(256);
    expect(jsonSyntaxProblem(`${"[".repeat(256)}${"]".repeat(256)}`)).toBeUndefined();
    expect(jsonSyntaxProblem(`${'{"k":'.repeat(256)}1${"}".repeat(256)}`)).toBeUndefined();
    expect(jsonSyntaxProblem(` ${"[".repeat(257)}${"]".repeat(257)}`)).toEqual({ offset: 257, reason: "objects and lists nested more than 256 levels deep" });
    expect(jsonSyntaxProblem(`[${"[".repeat(1_000_000)}`)).toEqual({ offset: 256, reason: "objects and lists nested more than 256 levels deep" });
  });
});

describe("README: Adopt endpoints you already run / Govern databricks-* endpoints, on a copy of the example config", () => {
  test("adopting into prod keeps every config invariant and leaves the other environments' stacks as they were", () => {
    const { checkInvariants } = require("../user-config/invariants") as typeof import("../user-config/invariants");
    const { EXAMPLE_CONFIG, tempDir } = require("../helpers") as typeof import("../helpers");
    const dir = path.join(tempDir("adopt-"), "config");
    fs.cpSync(EXAMPLE_CONFIG, dir, { recursive: true });
    const before = checkInvariants(dir).stacks;
    for (const file of ["pay-per-token.json", "docs-custom-model.json"]) expect(run(dir, "--env", "prod", fixture(file)).code).toBe(0);
    const { violations, stacks } = checkInvariants(dir);
    expect(violations).toEqual([]);
    expect(stacks.dev).toEqual(before.dev);
    expect(stacks.staging).toEqual(before.staging);
    expect(Object.keys(stacks.prod.resource.databricks_model_serving)).toEqual(expect.arrayContaining(["claude-sonnet-4-6", "unity-model-endpoint"]));
  });
});

describe("npm run import: config files are read as the loader reads them", () => {
  test("a gateway.yaml that links outside the config directory is refused, nothing written", () => {
    const outside = writeTree({ "gateway.yaml": GATEWAY });
    const dir = writeTree({ "environments/prod.yaml": PROD });
    fs.symlinkSync(path.join(outside, "gateway.yaml"), path.join(dir, "gateway.yaml"));
    const r = run(dir, "--env", "prod", fixture("docs-custom-model.json"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/gateway\.yaml:1:1 \(file\): it is a symlink to .*, outside the config directory/);
    expect(fs.readFileSync(path.join(outside, "gateway.yaml"), "utf8")).toBe(GATEWAY);
    expect(fs.readFileSync(path.join(dir, "environments/prod.yaml"), "utf8")).toBe(PROD);
  });

  test("an environment written as <env>.yml is found and added to", () => {
    const dir = writeTree({ "gateway.yaml": GATEWAY, "environments/prod.yml": PROD });
    expect(run(dir, "--env", "prod", fixture("docs-custom-model.json")).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "environments/prod.yml"), "utf8")).toContain("  unity-model-endpoint:\n    enabled: true\n    import: true\n");
  });
});
