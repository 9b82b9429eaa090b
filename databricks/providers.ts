/**
 * External model providers: the `<provider>_config` block each takes (Terraform / REST names),
 * the fields it requires, and which of its fields hold credentials.
 *
 * @see https://docs.databricks.com/aws/en/generative-ai/external-models/
 */

export const EXTERNAL_PROVIDERS = [
  "openai",
  "anthropic",
  "amazon-bedrock",
  "google-cloud-vertex-ai",
  "cohere",
  "ai21labs",
  "databricks-model-serving",
  "custom",
  "palm",
] as const;
export type ExternalProvider = (typeof EXTERNAL_PROVIDERS)[number];

/** The `<provider>_config` block each provider takes. */
export const PROVIDER_CONFIG_KEY = {
  openai: "openai_config",
  anthropic: "anthropic_config",
  "amazon-bedrock": "amazon_bedrock_config",
  "google-cloud-vertex-ai": "google_cloud_vertex_ai_config",
  cohere: "cohere_config",
  ai21labs: "ai21labs_config",
  "databricks-model-serving": "databricks_model_serving_config",
  custom: "custom_provider_config",
  palm: "palm_config",
} as const satisfies Record<ExternalProvider, string>;
type ProviderConfigKey = (typeof PROVIDER_CONFIG_KEY)[ExternalProvider];

/** Every provider config block name, in provider order. */
export const PROVIDER_CONFIG_KEYS: readonly ProviderConfigKey[] = EXTERNAL_PROVIDERS.map((p) => PROVIDER_CONFIG_KEY[p]);

/**
 * Fields each provider's config block requires (beyond alternatives that need their own rule:
 * OpenAI's key or Entra ID triple, Bedrock's keys or instance profile, custom's one auth).
 */
export const PROVIDER_REQUIRED: Readonly<Record<ExternalProvider, readonly string[]>> = {
  openai: [],
  anthropic: ["anthropic_api_key"],
  "amazon-bedrock": ["aws_region", "bedrock_provider"],
  "google-cloud-vertex-ai": ["project_id", "region", "private_key"],
  cohere: ["cohere_api_key"],
  ai21labs: ["ai21labs_api_key"],
  "databricks-model-serving": ["databricks_workspace_url", "databricks_api_token"],
  custom: ["custom_provider_url"],
  palm: ["palm_api_key"],
};

/**
 * Fields that hold a credential, per provider: always a `{{secrets/<scope>/<key>}}` reference.
 * Nested fields are written `block.field` (custom provider auth).
 */
export const PROVIDER_CREDENTIAL_FIELDS: Readonly<Record<ExternalProvider, readonly string[]>> = {
  openai: ["openai_api_key", "microsoft_entra_client_secret"],
  anthropic: ["anthropic_api_key"],
  "amazon-bedrock": ["aws_access_key_id", "aws_secret_access_key"],
  "google-cloud-vertex-ai": ["private_key"],
  cohere: ["cohere_api_key"],
  ai21labs: ["ai21labs_api_key"],
  "databricks-model-serving": ["databricks_api_token"],
  custom: ["api_key_auth.value", "bearer_token_auth.token"],
  palm: ["palm_api_key"],
};

/** OpenAI through Azure with Microsoft Entra ID: all three instead of openai_api_key. */
export const OPENAI_ENTRA_FIELDS = ["microsoft_entra_client_id", "microsoft_entra_client_secret", "microsoft_entra_tenant_id"] as const;

/** Amazon Bedrock access keys: both instead of instance_profile_arn. */
export const BEDROCK_ACCESS_KEY_FIELDS = ["aws_access_key_id", "aws_secret_access_key"] as const;

/** Custom provider authentication: exactly one. */
export const CUSTOM_PROVIDER_AUTH_FIELDS = ["api_key_auth", "bearer_token_auth"] as const;

/** The credential field to show in an example config block for a provider. */
export function exampleCredentialField(provider: ExternalProvider): string {
  return PROVIDER_REQUIRED[provider].find((f) => /key|token/.test(f)) ?? (provider === "openai" ? "openai_api_key" : "...");
}
