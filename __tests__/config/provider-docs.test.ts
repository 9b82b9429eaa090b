/**
 * Every example of the provider's docs/resources/model_serving.md and
 * model_serving_provisioned_throughput.md (v1.99.0) written in our YAML synthesizes to the same
 * resource. Fixtures: __tests__/fixtures/provider-docs/<example>.yaml (each cites its example) and
 * <example>.expected.json (the HCL transcribed to Terraform JSON).
 */
import * as fs from "fs";
import * as path from "path";
import { loadTree, MINIMAL_ENV, REPO_ROOT, synthEnv } from "../helpers";

const DIR = path.join(REPO_ROOT, "__tests__/fixtures/provider-docs");
const EXAMPLES = fs.readdirSync(DIR).filter((f) => f.endsWith(".yaml")).map((f) => f.replace(/\.yaml$/, "")).sort();

/** The provider treats served_model_name and served_entity_name in routes as one (suppressRouteModelEntityNameDiff). */
function normalizeRoutes(resource: any): any {
  const r = structuredClone(resource);
  for (const route of r.config?.traffic_config?.routes ?? []) {
    if (route.served_model_name !== undefined) {
      route.served_entity_name = route.served_model_name;
      delete route.served_model_name;
    }
  }
  return r;
}

function drop(resource: any, dotted: string): void {
  const parts = dotted.split(".");
  const parent = parts.slice(0, -1).reduce((o, k) => o?.[k], resource);
  if (parent) delete parent[parts[parts.length - 1]];
}

describe("provider docs examples (v1.99.0) in our YAML", () => {
  test("every example of both resource docs has a fixture", () => {
    expect(EXAMPLES).toEqual(["cpu-endpoint", "external-model-endpoint", "foundation-model-endpoint", "provisioned-throughput", "timeouts"]);
  });

  test.each(EXAMPLES)("%s synthesizes to the example's resource", (name) => {
    const yaml = fs.readFileSync(path.join(DIR, `${name}.yaml`), "utf8");
    const expected = JSON.parse(fs.readFileSync(path.join(DIR, `${name}.expected.json`), "utf8"));
    expect(yaml).toMatch(/^# Source: databricks\/terraform-provider-databricks v1\.99\.0 docs\/resources\//);
    const result = loadTree({ "gateway.yaml": yaml, "environments/dev.yaml": MINIMAL_ENV });
    expect(result.lines.filter((l) => !l.includes(": warning: "))).toEqual([]);
    const tf = synthEnv(result.environments[0].config);
    const { "//": _meta, ...resource } = tf.resource[expected.type][expected.key];
    const want = normalizeRoutes(expected.resource);
    for (const field of expected.deprecatedLeftOut ?? []) drop(want, field);
    expect(resource).toEqual(want);
  });

  test("the external example's deprecated invalid_keywords is refused with a pointer to pii / safety", () => {
    const yaml = fs.readFileSync(path.join(DIR, "external-model-endpoint.yaml"), "utf8").replace("input: { pii: BLOCK }", 'input: { pii: BLOCK, invalid_keywords: ["SuperSecretProject"] }');
    const errors = loadTree({ "gateway.yaml": yaml, "environments/dev.yaml": MINIMAL_ENV }).lines.filter((l) => !l.includes(": warning: "));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/invalid_keywords/);
    expect(errors[0]).toMatch(/pii|safety/);
  });
});
