/**
 * External model providers and their config blocks, in the provider's field names (camelCase).
 * Credentials are `{{secrets/<scope>/<key>}}` references; the `*Plaintext` fields of the
 * provider are deliberately absent (they land in Terraform state and drift on the provider).
 *
 * @see https://docs.databricks.com/aws/en/generative-ai/external-models/
 */

import type { ExternalProvider, OpenAiApiType, BedrockProvider, Task } from "../databricks";

/** The task every external model on one endpoint shares. */
export type ExternalModelTask = Task;

export interface OpenAiConfig {
  /** @default - none; required unless Microsoft Entra ID credentials are given */
  readonly openaiApiKey?: string;
  /** @default - the OpenAI API */
  readonly openaiApiBase?: string;
  /** @default "openai" (server side) */
  readonly openaiApiType?: OpenAiApiType;
  readonly openaiApiVersion?: string;
  readonly openaiDeploymentName?: string;
  readonly openaiOrganization?: string;
  readonly microsoftEntraClientId?: string;
  readonly microsoftEntraClientSecret?: string;
  readonly microsoftEntraTenantId?: string;
}
export interface AnthropicConfig {
  readonly anthropicApiKey: string;
}
export interface AmazonBedrockConfig {
  readonly awsRegion: string;
  /** anthropic, cohere, ai21labs or amazon, in any letter case (the provider compares case-insensitively). */
  readonly bedrockProvider: BedrockProvider | (string & {});
  readonly awsAccessKeyId?: string;
  readonly awsSecretAccessKey?: string;
  readonly instanceProfileArn?: string;
}
export interface GoogleCloudVertexAiConfig {
  readonly projectId: string;
  readonly region: string;
  readonly privateKey?: string;
}
export interface CohereConfig {
  readonly cohereApiKey: string;
  readonly cohereApiBase?: string;
}
export interface Ai21LabsConfig {
  readonly ai21LabsApiKey: string;
}
export interface DatabricksModelServingConfig {
  readonly databricksWorkspaceUrl: string;
  readonly databricksApiToken?: string;
}
export interface CustomProviderConfig {
  readonly customProviderUrl: string;
  /** Exactly one of apiKeyAuth and bearerTokenAuth. */
  readonly apiKeyAuth?: { readonly key: string; readonly value: string };
  readonly bearerTokenAuth?: { readonly token: string };
}
export interface PalmConfig {
  readonly palmApiKey: string;
}

interface Model<P extends ExternalProvider> {
  readonly provider: P;
  /** The provider's model name, e.g. `gpt-4o-mini`. */
  readonly name: string;
}

/** An external model: the provider and exactly its config block. */
export type ExternalModelProps =
  | (Model<"openai"> & { readonly openaiConfig: OpenAiConfig })
  | (Model<"anthropic"> & { readonly anthropicConfig: AnthropicConfig })
  | (Model<"amazon-bedrock"> & { readonly amazonBedrockConfig: AmazonBedrockConfig })
  | (Model<"google-cloud-vertex-ai"> & { readonly googleCloudVertexAiConfig: GoogleCloudVertexAiConfig })
  | (Model<"cohere"> & { readonly cohereConfig: CohereConfig })
  | (Model<"ai21labs"> & { readonly ai21LabsConfig: Ai21LabsConfig })
  | (Model<"databricks-model-serving"> & { readonly databricksModelServingConfig: DatabricksModelServingConfig })
  | (Model<"custom"> & { readonly customProviderConfig: CustomProviderConfig })
  | (Model<"palm"> & { readonly palmConfig: PalmConfig });

export type ExternalModelProvider = ExternalModelProps["provider"];
