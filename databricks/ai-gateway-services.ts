/**
 * Facts of the standalone AI Gateway (model services, model provider services, MCP services):
 * Unity Catalog securables with their own rate limits, inference tables and grants, separate from
 * serving endpoints. Pure data, no cdktf, no YAML.
 *
 * Sources: terraform-provider-databricks docs/resources/ai_gateway_{model,model_provider,mcp}_service.md
 * (v1.124.0 added the resources, v1.127.0 grants on them) and the published typed binding
 * @cdktn/provider-databricks 18.7.0 (provider 1.132.0); see __tests__/fixtures/gateway/binding-schema.json.
 */

/** The first provider release with the three resources. */
export const SERVICES_MIN_PROVIDER = "1.124.0";
/** The first provider release with `databricks_grants` on them (`model_service`, `model_provider_service`, `mcp_service`). */
export const SERVICE_GRANTS_MIN_PROVIDER = "1.127.0";

/** The provider release whose schema the published typed bindings describe (@cdktn/provider-databricks 18.7.0). */
export const SERVICE_BINDINGS_PROVIDER = "1.132.0";

/** Documented limits per service. */
export const SERVICE_LIMITS = {
  maxRateLimits: 20,
  maxGroupRateLimits: 5,
  /** Primary routing destinations of a model service. */
  maxDestinations: 10,
  /** Fallback destinations, tried in list order. */
  maxFallbacks: 5,
} as const;

export const SERVICE_TYPES = ["model", "model_provider", "mcp"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** The Terraform resource type of each service type. */
export const SERVICE_RESOURCE_TYPE: Record<ServiceType, string> = {
  model: "databricks_ai_gateway_model_service",
  model_provider: "databricks_ai_gateway_model_provider_service",
  mcp: "databricks_ai_gateway_mcp_service",
};

/** The `databricks_grants` attribute that names each service type. */
export const SERVICE_GRANTS_ATTRIBUTE: Record<ServiceType, "model_service" | "model_provider_service" | "mcp_service"> = {
  model: "model_service",
  model_provider: "model_provider_service",
  mcp: "mcp_service",
};

/** Rate-limit scopes, as written in config, and the API value of each. */
export const SERVICE_RATE_LIMIT_KEYS = ["service", "user", "user_default", "user_group", "service_principal", "request_tag"] as const;
export type ServiceRateLimitKey = (typeof SERVICE_RATE_LIMIT_KEYS)[number];
export const RATE_LIMIT_KEY_VALUE: Record<ServiceRateLimitKey, string> = {
  service: "RATE_LIMIT_KEY_SERVICE",
  user: "RATE_LIMIT_KEY_USER",
  user_default: "RATE_LIMIT_KEY_USER_DEFAULT",
  user_group: "RATE_LIMIT_KEY_USER_GROUP",
  service_principal: "RATE_LIMIT_KEY_SERVICE_PRINCIPAL",
  request_tag: "RATE_LIMIT_KEY_REQUEST_TAG",
};
/** Keys that name a principal (user e-mail, group name, service principal application id); the others must not. */
export const PRINCIPAL_KEYS: readonly ServiceRateLimitKey[] = ["user", "user_group", "service_principal"];

export const SERVICE_RENEWAL_PERIODS = ["minute", "hour"] as const;
export type ServiceRenewalPeriod = (typeof SERVICE_RENEWAL_PERIODS)[number];
/** The renewal period of a limit that sets none (the API's default). */
export const DEFAULT_SERVICE_RENEWAL_PERIOD: ServiceRenewalPeriod = "minute";
export const RENEWAL_PERIOD_VALUE: Record<ServiceRenewalPeriod, string> = {
  minute: "RATE_LIMIT_RENEWAL_PERIOD_MINUTE",
  hour: "RATE_LIMIT_RENEWAL_PERIOD_HOUR",
};
/**
 * The period of an API `renewal_period` value (`RATE_LIMIT_RENEWAL_PERIOD_HOUR` → `hour`); none is
 * the default period; a value this list does not know yet is shown in the same lowercase form.
 */
export function renewalPeriodOf(value: string | undefined): string {
  if (value === undefined) return DEFAULT_SERVICE_RENEWAL_PERIOD;
  const known = SERVICE_RENEWAL_PERIODS.find((p) => RENEWAL_PERIOD_VALUE[p] === value);
  return known ?? value.replace(/^RATE_LIMIT_RENEWAL_PERIOD_/, "").toLowerCase();
}

/** External providers of a model provider service, and the `provider_type` of each. */
export const SERVICE_PROVIDERS = ["openai", "anthropic", "amazon_bedrock", "azure_openai", "microsoft_foundry", "gemini_enterprise", "custom"] as const;
export type ServiceProvider = (typeof SERVICE_PROVIDERS)[number];
export const PROVIDER_TYPE_VALUE: Record<ServiceProvider, string> = {
  openai: "EXTERNAL_MODEL_PROVIDER_TYPE_OPENAI",
  anthropic: "EXTERNAL_MODEL_PROVIDER_TYPE_ANTHROPIC",
  amazon_bedrock: "EXTERNAL_MODEL_PROVIDER_TYPE_AMAZON_BEDROCK",
  azure_openai: "EXTERNAL_MODEL_PROVIDER_TYPE_AZURE_OPENAI",
  microsoft_foundry: "EXTERNAL_MODEL_PROVIDER_TYPE_MICROSOFT_FOUNDRY",
  gemini_enterprise: "EXTERNAL_MODEL_PROVIDER_TYPE_GEMINI_ENTERPRISE",
  custom: "EXTERNAL_MODEL_PROVIDER_TYPE_CUSTOM",
};
/** Providers that authenticate with a Unity Catalog service credential (AWS- or Azure-hosted workspaces only). */
export const SERVICE_CREDENTIAL_PROVIDERS: readonly ServiceProvider[] = ["amazon_bedrock", "azure_openai", "microsoft_foundry"];

export const DESTINATION_TYPE = {
  external: "DESTINATION_TYPE_EXTERNAL_FOUNDATION_MODEL",
  payPerToken: "DESTINATION_TYPE_PAY_PER_TOKEN_FOUNDATION_MODEL",
  provisionedThroughput: "DESTINATION_TYPE_PROVISIONED_THROUGHPUT_FOUNDATION_MODEL",
} as const;

/** Unity Catalog privileges on a service: EXECUTE lets a caller query it, MANAGE administers it. */
export const SERVICE_PRIVILEGES = ["EXECUTE", "MANAGE"] as const;
export type ServicePrivilege = (typeof SERVICE_PRIVILEGES)[number];

/** AIP-122 resource names the API takes. */
export const resourceName = {
  schema: (catalogSchema: string) => `schemas/${catalogSchema}`,
  model: (fullName: string) => `models/${fullName}`,
  servingEndpoint: (name: string) => `serving-endpoints/${name}`,
  connection: (fullName: string) => `connections/${fullName}`,
  credential: (name: string) => `credentials/${name}`,
};

/**
 * Documented in the provider's docs/resources/ai_gateway_*.md but absent from the 1.132 bindings
 * (so from provider 1.132's schema): written only when a config uses them.
 */
export const FIELDS_NEWER_THAN_1_132 = ["rate_limits[].request_tag_key", "rate_limits[].request_tag_value", "routing.first_token_timeout", "routing.traffic_splitting", "inference_table.disabled", "owner"] as const;
