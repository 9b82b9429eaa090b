/** The pure Databricks facts: values asserted as Databricks and the bindings state them. */
import * as fs from "fs";
import * as path from "path";
import {
  BINDINGS_PROVIDER_VERSION,
  DEFAULT_PROVIDER_CONSTRAINT,
  defaultConstraint,
  endpointName,
  entityKind,
  EXTERNAL_PROVIDERS,
  minorVersion,
  PROVIDER,
  PROVIDER_CONFIG_KEY,
  PROVIDER_CREDENTIAL_FIELDS,
  PROVIDER_REQUIRED,
  providerVersionFrom,
  stackName,
} from "../../databricks";
import { REPO_ROOT } from "../helpers";

describe("entityKind", () => {
  test.each<[string, Record<string, unknown>, string]>([
    ["an external_model block", { external_model: { provider: "openai", name: "gpt-4o" } }, "external model"],
    ["a system.ai entity", { entity_name: "system.ai.meta_llama_v3_3_70b_instruct", entity_version: "1" }, "foundation model"],
    ["a UC copy on provisioned throughput", { entity_name: "ml.models.llama", min_provisioned_throughput: 0 }, "foundation model"],
    ["provisioned model units", { entity_name: "ml.models.llama", provisioned_model_units: 50 }, "foundation model"],
    ["a Unity Catalog model", { entity_name: "ml.models.ranker", workload_size: "Small" }, "custom model"],
    ["a system.ai look-alike outside the schema", { entity_name: "system.aim.model" }, "custom model"],
    ["external_model that is not a block (hand-written JSON)", { external_model: "openai", entity_name: "ml.models.x" }, "custom model"],
    ["nothing", {}, "custom model"],
  ])("%s", (_, entity, kind) => {
    expect(entityKind(entity)).toBe(kind);
  });
});

describe("naming", () => {
  test("the stack of an environment is gateway-<env>", () => {
    expect(stackName("prod")).toBe("gateway-prod");
  });

  test("endpoint names take the environment's prefix and suffix", () => {
    expect(endpointName(undefined, "chat")).toBe("chat");
    expect(endpointName({ prefix: "dev-" }, "chat")).toBe("dev-chat");
    expect(endpointName({ prefix: "acme_", suffix: "-v2" }, "chat")).toBe("acme_chat-v2");
  });
});

describe("provider version", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@cdktf", "provider-databricks", "package.json"), "utf8"));

  test("comes from the bindings' package.json (cdktf.provider.version)", () => {
    expect(pkg.cdktf.provider.name).toBe("registry.terraform.io/databricks/databricks");
    expect(BINDINGS_PROVIDER_VERSION).toBe(pkg.cdktf.provider.version);
    expect(BINDINGS_PROVIDER_VERSION).toBe("1.99.0");
    expect(PROVIDER).toBe("provider 1.99");
    expect(DEFAULT_PROVIDER_CONSTRAINT).toBe(">= 1.99.0, < 2.0.0");
  });

  test("a newer binding moves every derived value", () => {
    const version = providerVersionFrom({ cdktf: { provider: { version: "2.3.4" } } });
    expect(version).toBe("2.3.4");
    expect(minorVersion(version)).toBe("2.3");
    expect(defaultConstraint(version)).toBe(">= 2.3.4, < 3.0.0");
  });

  test.each([undefined, {}, { cdktf: {} }, { cdktf: { provider: { version: "~> 1.99" } } }])("metadata without a version is refused: %j", (metadata) => {
    expect(() => providerVersionFrom(metadata)).toThrow("expected cdktf.provider.version (x.y.z) in the bindings' package.json");
  });
});

describe("external providers", () => {
  test("each provider has its config block, required and credential fields", () => {
    for (const provider of EXTERNAL_PROVIDERS) {
      expect(PROVIDER_CONFIG_KEY[provider]).toMatch(/^[a-z0-9_]+_config$/);
      expect(PROVIDER_REQUIRED[provider]).toBeDefined();
      expect(PROVIDER_CREDENTIAL_FIELDS[provider].length).toBeGreaterThan(0);
    }
    expect(PROVIDER_CONFIG_KEY.custom).toBe("custom_provider_config");
    expect(PROVIDER_REQUIRED["amazon-bedrock"]).toEqual(["aws_region", "bedrock_provider"]);
  });
});

describe("the module is pure", () => {
  test("databricks/ imports only its own files and the bindings' package metadata (no cdktf, yaml or zod)", () => {
    const dir = path.join(REPO_ROOT, "databricks");
    const imports = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => [...fs.readFileSync(path.join(dir, f), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1]));
    expect(imports.length).toBeGreaterThan(0);
    for (const spec of imports) expect(spec === "@cdktf/provider-databricks/package.json" || spec.startsWith("./")).toBe(true);
  });
});
