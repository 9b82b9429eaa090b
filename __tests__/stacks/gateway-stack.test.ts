import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../../config/load";
import { DEFAULT_PROVIDER_CONSTRAINT } from "../../databricks";
import { runSynth } from "../../cli/synth";
import { synthesize } from "../../stacks/synth";
import { stackName } from "../../databricks";
import { EXAMPLE_CONFIG, loadValid, MINIMAL_ENV, MINIMAL_GATEWAY, synthEnv, tempDir } from "../helpers";

const example = Object.fromEntries(loadConfig(EXAMPLE_CONFIG).environments.map((e) => [e.config.name, e.config]));
const dev = synthEnv(example.dev);
const staging = synthEnv(example.staging);
const prod = synthEnv(example.prod);

describe("gateway-<env> stacks from the example config", () => {
  test("the provider block carries host only", () => {
    expect(prod.provider).toEqual({ databricks: [{ host: "https://dbc-prod-9012.cloud.databricks.com" }] });
    expect(dev.provider.databricks[0]).toEqual({ host: "https://dbc-dev-1234.cloud.databricks.com" });
  });

  test("required_providers pins databricks/databricks to a documented constraint including 1.99.0", () => {
    const envs = loadValid({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": MINIMAL_ENV });
    expect(synthEnv(envs.dev).terraform.required_providers).toEqual({ databricks: { source: "databricks/databricks", version: DEFAULT_PROVIDER_CONSTRAINT } });
    expect(DEFAULT_PROVIDER_CONSTRAINT).toBe(">= 1.99.0, < 2.0.0");
    expect(prod.terraform.required_providers.databricks.version).toBe(DEFAULT_PROVIDER_CONSTRAINT);
  });

  test("an environment can override the provider constraint", () => {
    const envs = loadValid({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": `${MINIMAL_ENV}provider: { version: "~> 1.99.0" }\n` });
    expect(synthEnv(envs.dev).terraform.required_providers.databricks.version).toBe("~> 1.99.0");
  });

  test("endpoint keys are the logical ids of both resources and of the output", () => {
    expect(Object.keys(prod.resource.databricks_model_serving)).toEqual(["chat", "embeddings", "ranker", "summarizer"]);
    expect(Object.keys(prod.resource.databricks_permissions)).toEqual(["chat", "embeddings", "ranker", "summarizer"]);
    expect(Object.keys(prod.output)).toEqual(["app_assistant", "chat", "embeddings", "ranker", "summarizer"]);
  });

  test("one output per endpoint with name, serving_endpoint_id and endpoint_url", () => {
    expect(dev.output.chat.value).toEqual({
      name: "${databricks_model_serving.chat.name}",
      serving_endpoint_id: "${databricks_model_serving.chat.serving_endpoint_id}",
      endpoint_url: "${databricks_model_serving.chat.endpoint_url}",
    });
  });

  test("naming prefix and suffix apply to every endpoint name of the environment", () => {
    expect(Object.values(dev.resource.databricks_model_serving).map((r: any) => r.name)).toEqual(["dev-chat", "dev-embeddings", "dev-ranker"]);
    expect(staging.resource.databricks_model_serving.chat.name).toBe("chat-staging");
    expect(prod.resource.databricks_model_serving.chat.name).toBe("chat");
  });

  test("enabled: false leaves the endpoint out of that environment", () => {
    expect(dev.resource.databricks_model_serving.summarizer).toBeUndefined();
    expect(dev.output.summarizer).toBeUndefined();
  });

  test("protect: true sets prevent_destroy on every endpoint of prod and on none elsewhere", () => {
    for (const r of Object.values(prod.resource.databricks_model_serving) as any[]) expect(r.lifecycle).toEqual({ prevent_destroy: true });
    for (const r of Object.values(dev.resource.databricks_model_serving) as any[]) expect(r.lifecycle).toBeUndefined();
  });

  test("environment overrides reach the Terraform: dev limits, prod output guardrail, staging split", () => {
    expect(dev.resource.databricks_model_serving.chat.ai_gateway.rate_limits).toEqual([
      { key: "endpoint", tokens: 200000, renewal_period: "minute" },
      { key: "user", calls: 20, tokens: 20000, renewal_period: "minute" },
    ]);
    expect(prod.resource.databricks_model_serving.chat.ai_gateway.guardrails.output).toEqual({ safety: true, pii: { behavior: "BLOCK" } });
    expect(staging.resource.databricks_model_serving.ranker.config.traffic_config.routes).toEqual([
      { served_entity_name: "current", traffic_percentage: 50 },
      { served_entity_name: "candidate", traffic_percentage: 50 },
    ]);
  });
});

describe("config → construct props", () => {
  test("environment variable names are kept as written; only field names become camelCase", () => {
    const envs = loadValid({
      "gateway.yaml": `endpoints:
  m:
    served_entities:
      - name: m
        entity_name: ml.models.m
        entity_version: "1"
        workload_size: Small
        environment_vars: { my_var: x, MODEL_API_KEY: "{{secrets/s/k}}" }
`,
      "environments/dev.yaml": MINIMAL_ENV,
    });
    expect(synthEnv(envs.dev).resource.databricks_model_serving.m.config.served_entities[0].environment_vars).toEqual({
      my_var: "x",
      MODEL_API_KEY: "{{secrets/s/k}}",
    });
  });

  test("an inference table switched off with enabled: false carries no empty catalog or schema", () => {
    const envs = loadValid({
      "gateway.yaml": `${MINIMAL_GATEWAY}    ai_gateway: { inference_table: { enabled: false } }\n`,
      "environments/dev.yaml": MINIMAL_ENV,
    });
    expect(synthEnv(envs.dev).resource.databricks_model_serving.chat.ai_gateway.inference_table_config).toEqual({ enabled: false });
  });
});

describe("endpoint keys are the user's", () => {
  test("keys that match the stack's own construct ids or another key's output synthesize with fixed addresses", () => {
    const body = MINIMAL_GATEWAY.split("\n").slice(2).join("\n");
    const envs = loadValid({
      "gateway.yaml": `endpoints:\n${["databricks", "backend", "a", "a-output"].map((k) => `  ${k}:\n${body}`).join("")}`,
      "environments/dev.yaml": `${MINIMAL_ENV}naming: { prefix: dev- }\n`,
    });
    const json = synthEnv(envs.dev);
    expect(Object.keys(json.resource.databricks_model_serving).sort()).toEqual(["a", "a-output", "backend", "databricks"]);
    expect(Object.keys(json.output).sort()).toEqual(["a", "a-output", "backend", "databricks"]);
    expect(json.resource.databricks_model_serving.backend.name).toBe("dev-backend");
  });
});

describe("adopting an existing endpoint", () => {
  test("import: true emits a Terraform import block keyed by the endpoint's final name, in that environment only", () => {
    const envs = loadValid({
      "gateway.yaml": MINIMAL_GATEWAY,
      "environments/dev.yaml": `${MINIMAL_ENV}naming: { prefix: dev- }\nendpoints:\n  chat: { import: true }\n`,
      "environments/prod.yaml": MINIMAL_ENV,
    });
    expect(synthEnv(envs.dev).import).toEqual([{ to: "databricks_model_serving.chat", id: "dev-chat" }]);
    expect(synthEnv(envs.prod).import).toBeUndefined();
  });
});

describe("synthesized files", () => {
  const outA = path.join(tempDir("out-"), "cdktf.out");
  const outB = path.join(tempDir("out-"), "cdktf.out");
  synthesize(Object.values(example), outA);

  test("cdktf.out/stacks/gateway-<env>/cdk.tf.json for every environment, and the manifest cdktf deploy reads", () => {
    expect(fs.readdirSync(path.join(outA, "stacks")).sort()).toEqual(["gateway-dev", "gateway-prod", "gateway-staging"]);
    const manifest = JSON.parse(fs.readFileSync(path.join(outA, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["gateway-dev", "gateway-prod", "gateway-staging"]);
  });

  test("the default local backend path is relative, so output does not depend on the checkout directory", () => {
    const local = loadValid({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": MINIMAL_ENV });
    const outdir = path.join(tempDir("out-"), "cdktf.out");
    synthesize([local.dev], outdir);
    const text = fs.readFileSync(path.join(outdir, "stacks/gateway-dev/cdk.tf.json"), "utf8");
    // cdktf resolves it from the stack's directory: the state file sits next to cdktf.out.
    expect(JSON.parse(text).terraform.backend).toEqual({ local: { path: "../../../terraform.gateway-dev.tfstate" } });
    expect(text).not.toContain(process.cwd());
  });

  test("deterministic: the same config gives byte-identical output, from another directory too", () => {
    const cwd = process.cwd();
    process.chdir(path.dirname(outB));
    try {
      synthesize(loadConfig(EXAMPLE_CONFIG).environments.map((e) => e.config), outB);
    } finally {
      process.chdir(cwd);
    }
    for (const env of ["dev", "staging", "prod"]) {
      const rel = `stacks/${stackName(env)}/cdk.tf.json`;
      expect(fs.readFileSync(path.join(outB, rel), "utf8")).toBe(fs.readFileSync(path.join(outA, rel), "utf8"));
    }
  });
});

describe("credentials never reach the output", () => {
  test("DATABRICKS_TOKEN and DATABRICKS_CLIENT_SECRET from the environment appear in no file and no message", () => {
    const secrets = {
      DATABRICKS_TOKEN: "dapi0123456789abcdef-TOKEN-MARKER",
      DATABRICKS_CLIENT_ID: "client-id-MARKER",
      DATABRICKS_CLIENT_SECRET: "dose-CLIENT-SECRET-MARKER",
      DATABRICKS_PASSWORD: "PASSWORD-MARKER",
    };
    const saved = { ...process.env };
    Object.assign(process.env, secrets);
    const outdir = path.join(tempDir("out-"), "cdktf.out");
    let printed = "";
    const sink = { write: (t: string) => (printed += t) };
    try {
      expect(runSynth(["--config", EXAMPLE_CONFIG], { ...process.env, CDKTF_OUTDIR: outdir }, sink, sink)).toBe(0);
    } finally {
      process.env = saved;
    }
    const files = fs.readdirSync(outdir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(outdir, f)).isFile());
    expect(files).toContain(path.join("stacks", "gateway-prod", "cdk.tf.json"));
    const everything = files.map((f) => fs.readFileSync(path.join(outdir, f), "utf8")).join("\n") + printed;
    for (const value of Object.values(secrets)) expect(everything).not.toContain(value);
    expect(everything).not.toMatch(/"(token|client_secret|password)"\s*:/);
  });
});
