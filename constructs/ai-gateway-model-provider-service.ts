import { Construct } from "constructs";
import { SERVICE_LIMITS } from "../databricks/ai-gateway-services";
import {
  checkRateLimits,
  renderRateLimits,
  ServiceBaseProps,
  ServiceInferenceTable,
  ServiceRateLimit,
  ServiceResource,
  throwProblems,
} from "./ai-gateway-service-common";
import { propsError, type PropsProblem } from "./props-problems";

/** A credential value. The API has only `plaintext` (stored in a Unity Catalog connection; never read back). */
export interface ProviderSecret {
  readonly plaintext: string;
}
/** A Unity Catalog service credential: `credentials/<name>`. */
export interface ServiceCredentialRef {
  readonly name: string;
}
export interface EntraServicePrincipal {
  readonly clientId: string;
  readonly tenantId: string;
  readonly clientSecret: ProviderSecret;
}

/** One provider block each; `direct` holds the connection and its credential. */
export interface ModelProviderConfigs {
  readonly openai?: { readonly direct: { readonly apiKey: ProviderSecret; readonly baseUrl?: string; readonly organization?: string } };
  readonly anthropic?: { readonly direct: { readonly apiKey: ProviderSecret } };
  readonly amazonBedrock?: {
    readonly direct: {
      readonly region: string;
      readonly serviceCredential?: ServiceCredentialRef;
      readonly awsAccessKey?: { readonly accessKeyId: string; readonly secretAccessKey: ProviderSecret };
    };
  };
  readonly azureOpenai?: {
    readonly direct: { readonly baseUrl: string; readonly apiKey?: ProviderSecret; readonly serviceCredential?: ServiceCredentialRef; readonly entraServicePrincipal?: EntraServicePrincipal };
  };
  readonly microsoftFoundry?: {
    readonly direct: { readonly baseUrl: string; readonly apiKey?: ProviderSecret; readonly serviceCredential?: ServiceCredentialRef; readonly entraServicePrincipal?: EntraServicePrincipal };
  };
  readonly geminiEnterprise?: { readonly direct: { readonly projectId: string; readonly region: string; readonly apiKey: ProviderSecret } };
  readonly custom?: { readonly direct: { readonly baseUrl: string; readonly apiKey?: ProviderSecret } };
}

export type ModelProviderType =
  | "EXTERNAL_MODEL_PROVIDER_TYPE_OPENAI"
  | "EXTERNAL_MODEL_PROVIDER_TYPE_ANTHROPIC"
  | "EXTERNAL_MODEL_PROVIDER_TYPE_AMAZON_BEDROCK"
  | "EXTERNAL_MODEL_PROVIDER_TYPE_AZURE_OPENAI"
  | "EXTERNAL_MODEL_PROVIDER_TYPE_MICROSOFT_FOUNDRY"
  | "EXTERNAL_MODEL_PROVIDER_TYPE_GEMINI_ENTERPRISE"
  | "EXTERNAL_MODEL_PROVIDER_TYPE_CUSTOM";

export interface AiGatewayModelProviderServiceProps extends ServiceBaseProps {
  /** The service name within its schema. Changing it replaces the service. */
  readonly modelProviderServiceId: string;
  readonly config: ModelProviderConfigs & {
    /** Immutable after creation; selects the provider block. */
    readonly providerType: ModelProviderType;
    /** Provider models callers may use (each with its native API types). @default - none; required unless allowAllTargets */
    readonly targets?: ReadonlyArray<{ readonly model: string; readonly nativeApiTypes?: readonly string[] }>;
    /** Accept any model of the provider. @default - not set (false): only `targets` */
    readonly allowAllTargets?: boolean;
    /** Limits when the provider service is invoked directly (through a model service, that service's limits apply). @default - none */
    readonly rateLimits?: readonly ServiceRateLimit[];
    /** Payload logging when invoked directly. @default - none */
    readonly inferenceTable?: ServiceInferenceTable;
  };
}

const PROVIDER_BLOCK: Record<ModelProviderType, keyof ModelProviderConfigs> = {
  EXTERNAL_MODEL_PROVIDER_TYPE_OPENAI: "openai",
  EXTERNAL_MODEL_PROVIDER_TYPE_ANTHROPIC: "anthropic",
  EXTERNAL_MODEL_PROVIDER_TYPE_AMAZON_BEDROCK: "amazonBedrock",
  EXTERNAL_MODEL_PROVIDER_TYPE_AZURE_OPENAI: "azureOpenai",
  EXTERNAL_MODEL_PROVIDER_TYPE_MICROSOFT_FOUNDRY: "microsoftFoundry",
  EXTERNAL_MODEL_PROVIDER_TYPE_GEMINI_ENTERPRISE: "geminiEnterprise",
  EXTERNAL_MODEL_PROVIDER_TYPE_CUSTOM: "custom",
};

/**
 * `databricks_ai_gateway_model_provider_service`: an external model provider (OpenAI, Anthropic,
 * Bedrock, ...) registered once, with its credential, as a Unity Catalog securable that model
 * services route to.
 *
 * @see https://docs.databricks.com/aws/en/ai-gateway/create-model-provider-services
 */
export class AiGatewayModelProviderService extends ServiceResource<AiGatewayModelProviderServiceProps> {
  static readonly tfResourceType = "databricks_ai_gateway_model_provider_service";

  constructor(scope: Construct, id: string, props: AiGatewayModelProviderServiceProps) {
    validate(`${scope.node.path}/${id}`, props);
    super(scope, id, AiGatewayModelProviderService.tfResourceType, props);
  }

  protected attributes(): Record<string, unknown> {
    const { rateLimits, ...config } = this.props.config;
    return {
      modelProviderServiceId: this.props.modelProviderServiceId,
      parent: this.props.parent,
      config: { ...config, rateLimits: renderRateLimits(rateLimits) },
    };
  }
}

function validate(where: string, props: AiGatewayModelProviderServiceProps): void {
  const problems: PropsProblem[] = [];
  const config = props.config;
  const blocks = (Object.values(PROVIDER_BLOCK) as Array<keyof ModelProviderConfigs>).filter((b) => config[b] !== undefined);
  const expected = PROVIDER_BLOCK[config.providerType];
  if (blocks.length !== 1 || blocks[0] !== expected) problems.push(propsError("config.providerType", `providerType ${config.providerType} takes exactly the "${expected}" block, got ${blocks.join(", ") || "none"}`));
  if (config.allowAllTargets !== true && (config.targets ?? []).length === 0) problems.push(propsError("config.targets", "targets is empty: list the provider models callers may use, or set allowAllTargets"));
  checkRateLimits(problems, config.rateLimits, SERVICE_LIMITS.maxRateLimits, SERVICE_LIMITS.maxGroupRateLimits);
  throwProblems(where, `model provider service "${props.modelProviderServiceId}"`, problems);
}
