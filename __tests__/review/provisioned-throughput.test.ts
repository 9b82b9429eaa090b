/** The review sees provisioned-throughput endpoints, and a change of kind is a replacement. */
import { renderMarkdown, reviewStacks } from "../../review";
import { loadTree, MINIMAL_ENV, synthEnv } from "../helpers";

function stack(endpoint: string, more = ""): any {
  const result = loadTree({ "gateway.yaml": `endpoints:\n  llama:\n${endpoint}${more}`, "environments/dev.yaml": MINIMAL_ENV });
  expect(result.lines.filter((l) => !l.includes(": warning: "))).toEqual([]);
  return synthEnv(result.environments[0].config);
}

const PT = `    kind: provisioned_throughput
    timeouts: { create: 60m }
    served_entities:
      - { name: m, entity_name: system.ai.llama-4-maverick, entity_version: "1", provisioned_model_units: UNITS }
    permissions:
      - { group_name: analysts, level: CAN_QUERY }
`;
const SERVING = `    served_entities:
      - { name: m, entity_name: system.ai.llama-4-maverick, entity_version: "1", max_provisioned_throughput: 9500 }
    permissions:
      - { group_name: analysts, level: CAN_QUERY }
`;

describe("review of provisioned-throughput endpoints", () => {
  test("a new one is listed with its ACL (who gets what)", () => {
    const review = reviewStacks({}, { dev: stack(PT.replace("UNITS", "100")) });
    const env = review.environments[0];
    expect(env.endpointCount).toBe(1);
    expect(JSON.stringify(env.access)).toContain("analysts");
  });

  test("a change of provisioned_model_units is a change of the endpoint, not a replacement", () => {
    const review = reviewStacks({ dev: stack(PT.replace("UNITS", "100")) }, { dev: stack(PT.replace("UNITS", "200")) });
    expect(review.changes).toEqual([
      expect.objectContaining({ endpoint: "llama", what: "served entity m provisioned_model_units", before: "100", after: "200", signOff: false }),
    ]);
    expect(review.changes[0].class).not.toBe("replaces");
  });

  test("kind serving → provisioned_throughput is a replacement that says why", () => {
    const review = reviewStacks({ dev: stack(SERVING) }, { dev: stack(PT.replace("UNITS", "100")) });
    const replace = review.changes.find((c) => c.class === "replaces");
    expect(replace).toMatchObject({ what: "resource type (kind)", before: "databricks_model_serving", after: "databricks_model_serving_provisioned_throughput" });
  });
});

describe("review of an adopted endpoint (import: true)", () => {
  test("is an adoption (neutral, nothing created), not a new endpoint that needs sign-off", () => {
    const adopted = `  claude:\n    name: databricks-claude-sonnet-4-6\n    import: true\n    ai_gateway: { usage_tracking: true }\n`;
    const review = reviewStacks({ dev: stack(SERVING) }, { dev: stack(SERVING, adopted) });
    const change = review.changes.find((c) => c.endpoint === "claude")!;
    expect(change).toMatchObject({ class: "neutral", before: "not managed", after: 'adopted "databricks-claude-sonnet-4-6"', signOff: false });
    expect(change.sentence).toContain("Terraform imports the endpoint that runs under this name (nothing is created)");
  });
});

describe("review: capacity is cost (more raises it, less lowers it; never neutral)", () => {
  const PROTECTED = `${MINIMAL_ENV}protect: true\n`;
  function stackIn(env: string, endpoint: string): any {
    const result = loadTree({ "gateway.yaml": `endpoints:\n  llama:\n${endpoint}`, "environments/dev.yaml": env });
    expect(result.lines.filter((l) => !l.includes(": warning: "))).toEqual([]);
    return synthEnv(result.environments[0].config);
  }
  const units = (n: number, env = MINIMAL_ENV) => stackIn(env, PT.replace("UNITS", String(n)));
  const sentences = (base: any, head: any) => reviewStacks({ dev: base }, { dev: head }).changes.map((c) => c.sentence);

  test("doubling provisioned_model_units raises cost (class loosens), halving it lowers cost (tightens)", () => {
    const up = reviewStacks({ dev: units(100) }, { dev: units(200) });
    expect(up.changes).toEqual([
      expect.objectContaining({ class: "loosens", label: "raises cost", what: "served entity m provisioned_model_units", before: "100", after: "200", detail: "2×, more capacity", signOff: false }),
    ]);
    expect(up.changes[0].sentence).toBe("dev/llama: served entity m provisioned_model_units 100 → 200, 2×, more capacity — raises cost.");
    expect(renderMarkdown(up)).toContain("- 🟡 `dev/llama`: served entity m provisioned_model_units 100 → 200, 2×, more capacity — **raises cost**.");

    expect(sentences(units(200), units(100))).toEqual(["dev/llama: served entity m provisioned_model_units 200 → 100, 2× cut, less capacity — lowers cost."]);
    expect(reviewStacks({ dev: units(200) }, { dev: units(100) }).changes[0]).toMatchObject({ class: "tightens", label: "lowers cost" });
  });

  test("in a protected environment a cost increase needs sign-off, as a raised limit does; a decrease does not", () => {
    expect(reviewStacks({ dev: units(100, PROTECTED) }, { dev: units(200, PROTECTED) }).changes.map((c) => [c.class, c.signOff])).toEqual([["loosens", true]]);
    expect(reviewStacks({ dev: units(200, PROTECTED) }, { dev: units(100, PROTECTED) }).changes.map((c) => [c.class, c.signOff])).toEqual([["tightens", false]]);
  });

  test("a foundation model's provisioned throughput band: min from none (0) and max up raise cost", () => {
    const band = (min: string, max: number) =>
      stackIn(MINIMAL_ENV, `    served_entities:\n      - { name: m, entity_name: system.ai.llama-4-maverick, entity_version: "1", ${min}max_provisioned_throughput: ${max} }\n`);
    expect(sentences(band("", 9500), band("min_provisioned_throughput: 9500, ", 19000))).toEqual([
      "dev/llama: served entity m max_provisioned_throughput 9,500 → 19,000, 2×, more capacity — raises cost.",
      "dev/llama: served entity m min_provisioned_throughput not set → 9,500, more capacity — raises cost.",
    ]);
    expect(sentences(band("min_provisioned_throughput: 9500, ", 19000), band("", 9500))).toEqual([
      "dev/llama: served entity m max_provisioned_throughput 19,000 → 9,500, 2× cut, less capacity — lowers cost.",
      "dev/llama: served entity m min_provisioned_throughput 9,500 → not set, less capacity — lowers cost.",
    ]);
  });

  test("a custom model: workload_size up raises cost, down lowers it; scale to zero switched on lowers it", () => {
    const custom = (size: string, scale: boolean) =>
      stackIn(MINIMAL_ENV, `    served_entities:\n      - { name: m, entity_name: ml.models.ranker, entity_version: "3", workload_size: ${size}, scale_to_zero_enabled: ${scale} }\n`);
    expect(sentences(custom("Small", true), custom("Large", true))).toEqual(["dev/llama: served entity m workload_size \"Small\" → \"Large\", more capacity — raises cost."]);
    expect(sentences(custom("Medium", false), custom("Small", true))).toEqual([
      "dev/llama: served entity m scale_to_zero_enabled false → true, no compute while idle — lowers cost.",
      "dev/llama: served entity m workload_size \"Medium\" → \"Small\", less capacity — lowers cost.",
    ]);
    // Switching scale to zero off stays what it was: the provider does not apply it.
    expect(reviewStacks({ dev: custom("Small", true) }, { dev: custom("Small", false) }).changes.map((c) => c.class)).toEqual(["not-applied"]);
  });
});
