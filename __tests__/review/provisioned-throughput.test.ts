/** The review sees provisioned-throughput endpoints, and a change of kind is a replacement. */
import { reviewStacks } from "../../review";
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
      expect.objectContaining({ endpoint: "llama", class: "neutral", what: "served entity m provisioned_model_units", before: "100", after: "200", signOff: false }),
    ]);
    expect(review.changes[0].sentence).toBe("dev/llama: served entity m provisioned_model_units 100 → 200 — neutral.");
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
