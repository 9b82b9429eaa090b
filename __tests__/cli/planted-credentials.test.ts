/**
 * Credentials planted across the config never reach any output: validate (with GitHub
 * annotations), synth (nothing written, an earlier cdk.tf.json kept) and review (planted in the
 * head, and planted in the base). Every planted value carries the same random core, so a leak of
 * any part of it shows.
 */
import * as fs from "fs";
import * as path from "path";
import { runValidate } from "../../cli/validate";
import { runSynth } from "../../cli/synth";
import { MINIMAL_ENV, tempDir, writeTree } from "../helpers";
import { repoWith, review } from "../review/scenario";

const CORE = "Zq3vN8xR2mK7pL4tW9";
const CORE_UPPER = "ZQ3VN8XR2MK7PL4T";

const GATEWAY = `endpoints:
  chat:
    description: Chat for apps
    task: llm/v1/chat
    served_entities:
      - name: openai
        external_model:
          provider: openai
          name: gpt-4o-mini
          openai_config:
            openai_api_key: "{{secrets/llm/openai}}"
            openai_api_base: https://llm.acme.com/v1
    ai_gateway:
      rate_limits:
        - { key: user_group, principal: analysts, calls: 10 }
    tags: { team: ml }
  ranker:
    served_entities:
      - { name: m, entity_name: ml.models.m, entity_version: "1", workload_size: Small, environment_vars: { MODE: fast } }
`;
const ENV = `${MINIMAL_ENV}state:\n  backend: s3\n  bucket: b\n  key: k\n  region: eu-west-1\n  use_lockfile: true\n  endpoint: https://minio.acme.internal\n`;

/** Where a key gets pasted by mistake: [what, file, from, to, the redacted prefix the output may show]. */
const PLANTS: ReadonlyArray<[string, "gateway.yaml" | "environments/dev.yaml", string, string, string]> = [
  ["tag value", "gateway.yaml", "team: ml", `team: sk-proj-${CORE}abcd`, "sk-proj-…"],
  ["tag key", "gateway.yaml", "team: ml", `sk-ant-api03-${CORE}: ml`, "sk-ant-…"],
  ["description", "gateway.yaml", "Chat for apps", `Chat, key dapi0123456789abcdef0123456789abcdef ${CORE}`, "dapi…"],
  ["openai_api_base query", "gateway.yaml", "https://llm.acme.com/v1", `"https://llm.acme.com/v1?api-key=${CORE}x1"`, "openai_api_base"],
  ["environment variable OPENAI_AUTH", "gateway.yaml", "MODE: fast", `OPENAI_AUTH: ${CORE}y2`, "OPENAI_AUTH"],
  ["external model name", "gateway.yaml", "name: gpt-4o-mini", `name: sk-${CORE}abcdefgh`, "sk-…"],
  ["rate-limit principal", "gateway.yaml", "principal: analysts", `principal: ghp_${CORE}abcdefghijklmnopqr`, "ghp_…"],
  ["endpoint key", "gateway.yaml", "  ranker:", `  github_pat_11A${CORE}_abcdefgh:`, "github_pat_…"],
  ["JWT as a tag", "gateway.yaml", "team: ml", `team: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.${CORE}`, "eyJ…"],
  ["Slack token as a tag", "gateway.yaml", "team: ml", `team: xoxb-2048-${CORE}`, "xoxb-…"],
  ["s3 endpoint userinfo", "environments/dev.yaml", "https://minio.acme.internal", `https://AKIA${CORE_UPPER}:${CORE}@minio.acme.internal`, "AKIA…"],
  ["workspace host", "environments/dev.yaml", "https://dbc-1.cloud.databricks.com", `dapi${"0123456789abcdef".repeat(2)}`, "dapi…"],
];

function plant(files: Record<string, string>, file: string, from: string, to: string): Record<string, string> {
  if (!files[file].includes(from)) throw new Error(`${file} does not contain ${from}`);
  return { ...files, [file]: files[file].replace(from, to) };
}

const CLEAN = { "gateway.yaml": GATEWAY, "environments/dev.yaml": ENV };

function capture() {
  const sink = { text: "", write: (t: string) => ((sink.text += t), true) };
  return sink;
}

function expectNoLeak(text: string): void {
  expect(text).not.toMatch(new RegExp(CORE, "i"));
  expect(text).not.toContain(CORE_UPPER);
  expect(text).not.toContain("0123456789abcdef0123");
  // No stack trace either.
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

function allFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe("planted credentials never reach any output", () => {
  test("the clean config validates and synthesizes (the plants are what fails)", () => {
    const dir = writeTree(CLEAN);
    expect(runValidate(["--config", dir], {}, capture(), capture())).toBe(0);
  });

  test.each(PLANTS)("%s: validate, annotations and synth", (_what, file, from, to, shown) => {
    const dir = writeTree(plant(CLEAN, file, from, to));
    const out = capture();
    const err = capture();
    expect(runValidate(["--config", dir], { GITHUB_ACTIONS: "true" }, out, err)).toBe(1);
    expectNoLeak(out.text + err.text);
    expect(err.text).toContain(shown);
    expect(out.text).toMatch(/^::error file=/m);

    // synth: refuses, writes nothing, keeps the earlier output
    const outdir = path.join(tempDir("planted-out-"), "cdktf.out");
    const cleanDir = writeTree(CLEAN);
    expect(runSynth(["--config", cleanDir], { CDKTF_OUTDIR: outdir }, capture(), capture())).toBe(0);
    const before = allFiles(outdir).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    const synthOut = capture();
    const synthErr = capture();
    expect(runSynth(["--config", dir], { CDKTF_OUTDIR: outdir }, synthOut, synthErr)).toBe(1);
    expectNoLeak(synthOut.text + synthErr.text);
    const after = allFiles(outdir).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    expect(after).toBe(before);
    expectNoLeak(after);
  });

  test("all plants at once: review of the head refuses without repeating any", () => {
    let planted: Record<string, string> = CLEAN;
    for (const [, file, from, to] of PLANTS.filter(([what]) => !["tag key", "JWT as a tag", "Slack token as a tag"].includes(what))) planted = plant(planted, file, from, to);
    const repo = repoWith(CLEAN);
    writeTree(planted, repo);
    const run = review(repo);
    expect(run.code).toBe(1);
    expectNoLeak(run.stdout + run.stderr);
    expect(run.stderr).toContain("the change was not reviewed");
  });

  test("plants in the base: the review names the base unreviewable without repeating any", () => {
    let planted: Record<string, string> = CLEAN;
    for (const [, file, from, to] of PLANTS.filter(([what]) => what !== "tag key" && what !== "JWT as a tag" && what !== "Slack token as a tag")) planted = plant(planted, file, from, to);
    const repo = repoWith(planted);
    writeTree(CLEAN, repo);
    const run = review(repo);
    expect(run.code).toBe(2);
    expectNoLeak(run.stdout + run.stderr);
    expect(run.stderr).toMatch(/^base: /m);
    expect(run.stdout).toContain("does not validate");
  });

  test.each([
    ["no scheme", "dbc-1234.cloud.databricks.com"],
    ["https:// alone", '"https://"'],
    ["empty", '""'],
    ["a space", '"https://dbc 1.cloud.databricks.com"'],
  ])("a base whose workspace.host has %s is a sign-off notice, not a crash", (_what, host) => {
    const repo = repoWith(plant(CLEAN, "environments/dev.yaml", "https://dbc-1.cloud.databricks.com", host));
    writeTree(CLEAN, repo);
    const run = review(repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^base: HEAD:environments\/dev\.yaml:2:9 workspace\.host: expected/m);
    expect(run.stderr + run.stdout).not.toMatch(/TypeError|Invalid URL|\n\s+at .+:\d+:\d+/);
  });
});
