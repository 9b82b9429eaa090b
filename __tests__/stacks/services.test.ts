/** The fixture's services synthesized: logical ids, references, grants, provider floor. */
import * as path from "path";
import { Testing } from "cdktf";
import { loadConfig } from "../../config/load";
import { GatewayStack } from "../../stacks/gateway-stack";

const FIXTURE = path.join(__dirname, "..", "fixtures", "gateway", "config");

function synth(envName: string): any {
  const result = loadConfig(FIXTURE);
  const env = result.environments.find((e) => e.config.name === envName)!;
  return JSON.parse(Testing.synth(new GatewayStack(Testing.app(), env.config)));
}

describe("ai_gateway_services in a stack", () => {
  const prod = synth("prod");
  const dev = synth("dev");

  test("logical ids are the service keys, per resource type; grants share the key", () => {
    expect(Object.keys(prod.resource.databricks_ai_gateway_model_provider_service)).toEqual(["bedrock", "openai"]);
    expect(Object.keys(prod.resource.databricks_ai_gateway_model_service)).toEqual(["assistant"]);
    expect(Object.keys(prod.resource.databricks_ai_gateway_mcp_service)).toEqual(["tools"]);
    expect(Object.keys(prod.resource.databricks_grants)).toEqual(["assistant", "openai", "tools"]);
  });

  test("destinations reference the provider service's and the endpoint's names (which also orders the apply)", () => {
    const routing = prod.resource.databricks_ai_gateway_model_service.assistant.config.routing;
    expect(routing.destinations).toEqual([
      {
        name: "gpt",
        destination_type: "DESTINATION_TYPE_EXTERNAL_FOUNDATION_MODEL",
        traffic_percentage: 90,
        external_model_config: { model_provider_service: "${databricks_ai_gateway_model_provider_service.openai.name}", target: { model: "gpt-4o-mini" } },
      },
      {
        name: "llama",
        destination_type: "DESTINATION_TYPE_PROVISIONED_THROUGHPUT_FOUNDATION_MODEL",
        traffic_percentage: 10,
        provisioned_throughput_config: { model_serving_endpoint: "serving-endpoints/${databricks_model_serving.llama.name}" },
      },
    ]);
    expect(routing.fallback.destinations).toEqual([
      {
        name: "claude",
        destination_type: "DESTINATION_TYPE_EXTERNAL_FOUNDATION_MODEL",
        external_model_config: { model_provider_service: "${databricks_ai_gateway_model_provider_service.bedrock.name}", target: { model: "anthropic.claude-sonnet-4-5" } },
      },
      { name: "ppt", destination_type: "DESTINATION_TYPE_PAY_PER_TOKEN_FOUNDATION_MODEL", pay_per_token_config: { model: "models/system.ai.databricks-claude-sonnet-4-5" } },
    ]);
  });

  test("grants name the service's full name and depend on it", () => {
    expect(prod.resource.databricks_grants.assistant).toEqual({
      model_service: "ml.ai_gateway.assistant",
      grant: [
        { principal: "analysts", privileges: ["EXECUTE"] },
        { principal: "ml-platform", privileges: ["EXECUTE", "MANAGE"] },
      ],
      depends_on: ["databricks_ai_gateway_model_service.assistant"],
    });
    expect(prod.resource.databricks_grants.tools.mcp_service).toBe("ml.ai_gateway.tools");
    expect(prod.resource.databricks_grants.openai.model_provider_service).toBe("ml.ai_gateway.openai");
  });

  test("credentials: a service credential by name, an API key as the secret reference; protect sets prevent_destroy", () => {
    const providers = prod.resource.databricks_ai_gateway_model_provider_service;
    expect(providers.bedrock.config.amazon_bedrock).toEqual({ direct: { region: "us-east-1", service_credential: { name: "credentials/bedrock_access" } } });
    expect(providers.openai.config.openai).toEqual({ direct: { api_key: { plaintext: "{{secrets/llm/openai_key}}" } } });
    expect(providers.openai.lifecycle).toEqual({ prevent_destroy: true });
    expect(dev.resource.databricks_ai_gateway_model_provider_service.openai.lifecycle).toBeUndefined();
  });

  test("the provider floor: written provider.version, else >= 1.127.0 with grants", () => {
    expect(prod.terraform.required_providers.databricks.version).toBe(">= 1.127.0, < 2.0.0");
    expect(dev.terraform.required_providers.databricks.version).toBe(">= 1.127.0, < 2.0.0");
    expect(dev.resource.databricks_ai_gateway_mcp_service).toBeUndefined();
    expect(dev.resource.databricks_ai_gateway_model_service.assistant.parent).toBe("schemas/ml_dev.ai_gateway");
  });
});
