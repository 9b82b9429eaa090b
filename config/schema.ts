/**
 * The YAML contract (shared/spec/config-format.md) as zod schemas, strict everywhere so an unknown
 * key is an error. Field names are the Databricks REST API / Terraform names (snake_case). Types
 * are inferred from the schemas; rules that span several fields live in semantic.ts.
 *
 * Defaults are not filled in here: each default has one owner, the construct's `@default`.
 */
import { z } from "zod";
import { GO_DURATION_PATTERN } from "../databricks/timeouts";
import {
  APP_SERVING_ENDPOINT_PERMISSIONS,
  BEDROCK_PROVIDERS,
  EXTERNAL_PROVIDERS,
  NAME_CHARACTERS,
  NAME_PATTERN,
  OPENAI_API_TYPES,
  PERMISSION_LEVELS,
  PII_BEHAVIORS,
  RATE_LIMIT_KEYS,
  RENEWAL_PERIODS,
  SCHEMA_PRIVILEGES,
  SECRET_ACL_PERMISSIONS,
  SECRET_REFERENCE_HINT,
  SECRET_REFERENCE_PATTERN,
  TASKS,
  TERRAFORM_NAME_PATTERN,
  WORKLOAD_SIZES,
  WORKLOAD_TYPES,
} from "../databricks";
import { workspaceHostProblem } from "./workspace-host";
import { SERVICE_PRIVILEGES, SERVICE_PROVIDERS, SERVICE_RATE_LIMIT_KEYS, SERVICE_RENEWAL_PERIODS, SERVICE_TYPES } from "../databricks/ai-gateway-services";

export const ENDPOINT_KEY_PATTERN = TERRAFORM_NAME_PATTERN;
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

const name = (what: string) =>
  z.string().regex(NAME_PATTERN, `${what} ${NAME_CHARACTERS}`);

/** A credential: always a Databricks secret reference, never a literal (it would land in state). */
const secretReference = z.string().regex(SECRET_REFERENCE_PATTERN, SECRET_REFERENCE_HINT);

const positiveInt = z.int().positive();
const nonNegativeInt = z.int().nonnegative();

// ---- served entities ---------------------------------------------------------------------

const OpenAiConfig = z.strictObject({
  openai_api_key: secretReference.optional(),
  openai_api_base: z.string().optional(),
  openai_api_type: z.enum(OPENAI_API_TYPES).optional(),
  openai_api_version: z.string().optional(),
  openai_deployment_name: z.string().optional(),
  openai_organization: z.string().optional(),
  microsoft_entra_client_id: z.string().optional(),
  microsoft_entra_client_secret: secretReference.optional(),
  microsoft_entra_tenant_id: z.string().optional(),
});
const AnthropicConfig = z.strictObject({ anthropic_api_key: secretReference.optional() });
const AmazonBedrockConfig = z.strictObject({
  aws_region: z.string().optional(),
  /** The provider documents these case-insensitively (`Anthropic`, `AI21Labs`, ...); sent as written. */
  bedrock_provider: z
    .string()
    .refine((v) => (BEDROCK_PROVIDERS as readonly string[]).includes(v.toLowerCase()), {
      error: `expected one of ${BEDROCK_PROVIDERS.join(" | ")} (any letter case, e.g. Anthropic)`,
    })
    .optional(),
  aws_access_key_id: secretReference.optional(),
  aws_secret_access_key: secretReference.optional(),
  instance_profile_arn: z.string().optional(),
});
const GoogleCloudVertexAiConfig = z.strictObject({
  project_id: z.string().optional(),
  region: z.string().optional(),
  private_key: secretReference.optional(),
});
const CohereConfig = z.strictObject({
  cohere_api_key: secretReference.optional(),
  cohere_api_base: z.string().optional(),
});
const Ai21LabsConfig = z.strictObject({ ai21labs_api_key: secretReference.optional() });
const DatabricksModelServingConfig = z.strictObject({
  databricks_workspace_url: z.string().optional(),
  databricks_api_token: secretReference.optional(),
});
const CustomProviderConfig = z.strictObject({
  custom_provider_url: z.string().optional(),
  api_key_auth: z.strictObject({ key: z.string(), value: secretReference.optional() }).optional(),
  bearer_token_auth: z.strictObject({ token: secretReference.optional() }).optional(),
});
const PalmConfig = z.strictObject({ palm_api_key: secretReference.optional() });

export const ExternalModel = z.strictObject({
  provider: z.enum(EXTERNAL_PROVIDERS),
  name: z.string().min(1),
  openai_config: OpenAiConfig.optional(),
  anthropic_config: AnthropicConfig.optional(),
  amazon_bedrock_config: AmazonBedrockConfig.optional(),
  google_cloud_vertex_ai_config: GoogleCloudVertexAiConfig.optional(),
  cohere_config: CohereConfig.optional(),
  ai21labs_config: Ai21LabsConfig.optional(),
  databricks_model_serving_config: DatabricksModelServingConfig.optional(),
  custom_provider_config: CustomProviderConfig.optional(),
  palm_config: PalmConfig.optional(),
});
export type ExternalModel = z.infer<typeof ExternalModel>;

/**
 * `entity_version` is a string in the API; YAML reads `entity_version: 3` as a number, so a
 * non-negative integer is accepted and normalized to its decimal string.
 */
const entityVersion = z.union([z.string().min(1), z.int().nonnegative()]).transform((v) => String(v));

export const ServedEntity = z.strictObject({
  name: name("a served entity name"),
  /** An external model (OpenAI, Anthropic, ...) proxied by the endpoint. */
  external_model: ExternalModel.optional(),
  /** A Unity Catalog model (`catalog.schema.model`) or a foundation model (`system.ai.*`). */
  entity_name: z.string().min(1).optional(),
  entity_version: entityVersion.optional(),
  /** Small | Medium | Large, or a custom size the workspace offers. */
  workload_size: z.string().regex(NAME_PATTERN, `expected a workload size such as ${WORKLOAD_SIZES.join(", ")} (or a custom size your workspace offers)`).optional(),
  workload_type: z.enum(WORKLOAD_TYPES).optional(),
  scale_to_zero_enabled: z.boolean().optional(),
  min_provisioned_throughput: nonNegativeInt.optional(),
  max_provisioned_throughput: nonNegativeInt.optional(),
  min_provisioned_concurrency: nonNegativeInt.optional(),
  max_provisioned_concurrency: nonNegativeInt.optional(),
  provisioned_model_units: positiveInt.optional(),
  environment_vars: z.record(z.string(), z.string()).optional(),
  instance_profile_arn: z.string().optional(),
});
export type ServedEntity = z.infer<typeof ServedEntity>;

// ---- routing -----------------------------------------------------------------------------

export const Routing = z.strictObject({
  /** Fail over in this order: the first entity gets 100 % of traffic, the rest 0 %. */
  fallback: z.union([z.array(z.string()), z.boolean()]).optional(),
  /** Traffic percentages per served entity, integers summing to 100. */
  split: z.record(z.string(), z.int().min(0).max(100)).optional(),
});
export type Routing = z.infer<typeof Routing>;

// ---- AI Gateway --------------------------------------------------------------------------

export const RateLimit = z.strictObject({
  key: z.enum(RATE_LIMIT_KEYS),
  principal: z.string().min(1).optional(),
  calls: positiveInt.optional(),
  tokens: positiveInt.optional(),
  renewal_period: z.literal(RENEWAL_PERIODS).optional(),
});
export type RateLimit = z.infer<typeof RateLimit>;

const GuardrailDirection = z.strictObject({
  safety: z.boolean().optional(),
  pii: z.enum(PII_BEHAVIORS).optional(),
});
type GuardrailDirection = z.infer<typeof GuardrailDirection>;

/** One principal's Unity Catalog privileges on a schema (`databricks_grants`). */
export const SchemaGrant = z.strictObject({
  principal: z.string().min(1),
  privileges: z.array(z.enum(SCHEMA_PRIVILEGES)).min(1),
});
export type SchemaGrant = z.infer<typeof SchemaGrant>;

export const InferenceTable = z.strictObject({
  catalog_name: z.string().min(1).optional(),
  schema_name: z.string().min(1).optional(),
  table_name_prefix: z.string().min(1).optional(),
  enabled: z.boolean().optional(),
  /** Create `catalog_name.schema_name` in this stack (`databricks_schema`). */
  create_schema: z.boolean().optional(),
  /** Authoritative grants on the created schema; only with `create_schema: true`. */
  schema_grants: z.array(SchemaGrant).optional(),
});
export type InferenceTable = z.infer<typeof InferenceTable>;

export const AiGateway = z.strictObject({
  usage_tracking: z.boolean().optional(),
  inference_table: z.union([InferenceTable, z.literal(false)]).optional(),
  rate_limits: z.array(RateLimit).optional(),
  guardrails: z
    .strictObject({ input: GuardrailDirection.optional(), output: GuardrailDirection.optional() })
    .optional(),
});
export type AiGateway = z.infer<typeof AiGateway>;

// ---- permissions, notifications ----------------------------------------------------------

export const Permission = z.strictObject({
  group_name: z.string().min(1).optional(),
  user_name: z.string().min(1).optional(),
  service_principal_name: z.string().min(1).optional(),
  level: z.enum(PERMISSION_LEVELS),
});
export type Permission = z.infer<typeof Permission>;

const EmailNotifications = z.strictObject({
  on_update_failure: z.array(z.string()).optional(),
  on_update_success: z.array(z.string()).optional(),
});

// ---- endpoints ---------------------------------------------------------------------------

/** Fields that may be set once for every endpoint (`defaults`). */
const endpointPolicyFields = {
  ai_gateway: AiGateway.optional(),
  permissions: z.array(Permission).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  budget_policy_id: z.string().min(1).optional(),
  email_notifications: EmailNotifications.optional(),
  route_optimized: z.boolean().optional(),
};

const Defaults = z.strictObject(endpointPolicyFields);

const duration = z.string().regex(GO_DURATION_PATTERN, 'expected a duration such as "60m" or "1h30m"');

/** Which Terraform resource an endpoint is. */
export const ENDPOINT_KINDS = ["serving", "provisioned_throughput"] as const;

export const Endpoint = z.strictObject({
  /** `false` leaves the endpoint out of the environment. */
  enabled: z.boolean().optional(),
  /** Adopt an endpoint that already exists under this name: emits a Terraform import block. */
  import: z.boolean().optional(),
  /**
   * `serving` (default): databricks_model_serving. `provisioned_throughput`:
   * databricks_model_serving_provisioned_throughput (newer foundation models, provisioned_model_units).
   */
  kind: z.enum(ENDPOINT_KINDS).optional(),
  name: name("an endpoint name").optional(),
  description: z.string().optional(),
  task: z.enum(TASKS).optional(),
  /** Absent: no `config` block (only with import: true; the workspace keeps the served models). */
  served_entities: z.array(ServedEntity).min(1).optional(),
  /** How long Terraform waits for the endpoint to become ready; a create that times out deletes it. */
  timeouts: z.strictObject({ create: duration.optional(), update: duration.optional() }).optional(),
  routing: Routing.optional(),
  ...endpointPolicyFields,
});
export type Endpoint = z.infer<typeof Endpoint>;

// ---- apps, secret scopes ----------------------------------------------------------------

/** One endpoint an app calls, under the alias its code uses. */
export const AppBinding = z.strictObject({
  /** The endpoint key in gateway.yaml. */
  endpoint: z.string().min(1),
  /** The name the app's code calls the endpoint by (AppKit `serving` alias, app resource key). @default - the endpoint key */
  alias: z.string().min(1).optional(),
  permission: z.enum(APP_SERVING_ENDPOINT_PERMISSIONS).optional(),
});
export type AppBinding = z.infer<typeof AppBinding>;

/** Fields that may be set once for every app (`app_defaults`). */
const appPolicyFields = {
  /** The level every binding grants unless it sets its own. */
  permission: z.enum(APP_SERVING_ENDPOINT_PERMISSIONS).optional(),
};
const AppDefaults = z.strictObject(appPolicyFields);

export const App = z.strictObject({
  /** `false` leaves the app out of the environment. */
  enabled: z.boolean().optional(),
  /** The app's name in the workspace (naming prefix/suffix apply to apps this stack creates). @default - the key */
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  /** The app exists and is managed elsewhere: only its service principal's endpoint grants are managed here. */
  existing: z.boolean().optional(),
  /** Application id of an existing app's service principal (`existing: true` only). */
  service_principal: z.string().min(1).optional(),
  bindings: z.array(AppBinding).min(1),
  ...appPolicyFields,
});
export type App = z.infer<typeof App>;

export const SecretAcl = z.strictObject({
  /** A group name, a user's e-mail or a service principal's application id. */
  principal: z.string().min(1),
  permission: z.enum(SECRET_ACL_PERMISSIONS),
});
export type SecretAcl = z.infer<typeof SecretAcl>;

/** A secret scope: created here with its ACLs, or `external: true` (exists, declared so references resolve). Never secret values. */
export const SecretScope = z.strictObject({
  enabled: z.boolean().optional(),
  external: z.boolean().optional(),
  acls: z.array(SecretAcl).optional(),
});
export type SecretScope = z.infer<typeof SecretScope>;

// ---- state backends ----------------------------------------------------------------------

export const LocalState = z.strictObject({
  backend: z.literal("local"),
  path: z.string().min(1).optional(),
});
export const S3State = z.strictObject({
  backend: z.literal("s3"),
  bucket: z.string().min(1),
  key: z.string().min(1),
  region: z.string().min(1),
  use_lockfile: z.boolean().optional(),
  dynamodb_table: z.string().min(1).optional(),
  encrypt: z.boolean().optional(),
  kms_key_id: z.string().optional(),
  role_arn: z.string().optional(),
  profile: z.string().optional(),
  workspace_key_prefix: z.string().optional(),
  endpoint: z.string().optional(),
});
export const GcsState = z.strictObject({
  backend: z.literal("gcs"),
  bucket: z.string().min(1),
  prefix: z.string().min(1),
  impersonate_service_account: z.string().optional(),
  kms_encryption_key: z.string().optional(),
});
export const AzurermState = z.strictObject({
  backend: z.literal("azurerm"),
  storage_account_name: z.string().min(1),
  container_name: z.string().min(1),
  key: z.string().min(1),
  resource_group_name: z.string().optional(),
  subscription_id: z.string().optional(),
  tenant_id: z.string().optional(),
  client_id: z.string().optional(),
  use_azuread_auth: z.boolean().optional(),
  use_oidc: z.boolean().optional(),
  use_msi: z.boolean().optional(),
});
export const RemoteState = z.strictObject({
  backend: z.literal("remote"),
  hostname: z.string().optional(),
  organization: z.string().min(1),
  workspaces: z.union([
    z.strictObject({ name: z.string().min(1) }),
    z.strictObject({ prefix: z.string().min(1) }),
  ]),
});
export const State = z.discriminatedUnion("backend", [LocalState, S3State, GcsState, AzurermState, RemoteState]);
export type State = z.infer<typeof State>;

// ---- standalone AI Gateway services --------------------------------------------------------
// `ai_gateway_services:` and `service_defaults:`: model services, model provider services and MCP
// services. One flat shape per service with `type` saying which fields apply
// (config/rules/service-fields.ts checks that), so each mistake is reported at its own line
// rather than as "no union member matched". Credentials are Unity Catalog service credentials (by
// name) or {{secrets/<scope>/<key>}} references, never literal values.

/** A Unity Catalog name part: letters, digits and "_" (Databricks lower-cases it). */
export const UC_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
const ucName = (what: string) => z.string().regex(UC_NAME_PATTERN, `${what} may contain only letters, digits, "_" and "-"`);
/** `catalog.schema`. */
const catalogSchema = z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'expected "<catalog>.<schema>", for example "ml.ai_gateway"');
/** `catalog.schema.name`. */
const threePart = (what: string) => z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+$/, `expected ${what} as "<catalog>.<schema>.<name>"`);

export const ServiceRateLimit = z.strictObject({
  key: z.enum(SERVICE_RATE_LIMIT_KEYS),
  /** User e-mail (key user), group name (user_group), application id (service_principal). */
  principal: z.string().min(1).optional(),
  /** For key request_tag: the tag, and optionally one value of it. */
  request_tag: z.strictObject({ key: z.string().min(1), value: z.string().min(1).optional() }).optional(),
  requests: z.int().nonnegative().optional(),
  tokens: z.int().nonnegative().optional(),
  renewal_period: z.enum(SERVICE_RENEWAL_PERIODS).optional(),
});
export type ServiceRateLimit = z.infer<typeof ServiceRateLimit>;

export const ServiceGrant = z.strictObject({
  /** A group name, user e-mail or service principal application id. */
  principal: z.string().min(1),
  privileges: z.array(z.enum(SERVICE_PRIVILEGES)).min(1),
});
export type ServiceGrant = z.infer<typeof ServiceGrant>;

export const ServiceInferenceTable = z.strictObject({
  /** `catalog.schema` of the payload table; cannot change after the service is created. */
  schema: catalogSchema,
  /** The table is `<prefix>_payload`; cannot change after creation. */
  table_name_prefix: z.string().min(1).optional(),
});

export const ServiceDestination = z.strictObject({
  /** Unique within the service. */
  name: ucName("a destination name"),
  /** Primary destinations: integer share of traffic, summing to 100. */
  traffic_percentage: z.int().min(0).max(100).optional(),
  /** An external model through one of `ai_gateway_services` (type model_provider), by key. */
  provider_service: z.string().min(1).optional(),
  /** With provider_service: the provider's model name, e.g. gpt-4o-mini. */
  model: z.string().min(1).optional(),
  native_api_types: z.array(z.string().min(1)).optional(),
  /** A pay-per-token foundation model: `system.ai.<model>` or another UC model. */
  pay_per_token: threePart("a Unity Catalog model").optional(),
  /** One of `endpoints` (a provisioned-throughput foundation model), by key. */
  endpoint: z.string().min(1).optional(),
});
export type ServiceDestination = z.infer<typeof ServiceDestination>;

const apiKey = { api_key: secretReference.optional() };
const ProviderConnection = z.strictObject({
  ...apiKey,
  base_url: z.url({ protocol: /^https$/, error: "expected an https:// URL" }).optional(),
  organization: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  project_id: z.string().min(1).optional(),
  /** A Unity Catalog service credential, by name (Bedrock, Azure OpenAI, Microsoft Foundry). */
  service_credential: ucName("a service credential name").optional(),
  access_key_id: z.string().min(1).optional(),
  secret_access_key: secretReference.optional(),
  entra: z.strictObject({ client_id: z.string().min(1), tenant_id: z.string().min(1), client_secret: secretReference }).optional(),
});
export type ProviderConnection = z.infer<typeof ProviderConnection>;

/** Fields `service_defaults` may set under every service. */
const serviceDefaultFields = {
  /** `catalog.schema` the service lives in. */
  schema: catalogSchema.optional(),
  grants: z.array(ServiceGrant).optional(),
  rate_limits: z.array(ServiceRateLimit).optional(),
};
export const ServiceDefaults = z.strictObject(serviceDefaultFields);

export const AiGatewayService = z.strictObject({
  /** `false` leaves the service out of the environment. */
  enabled: z.boolean().optional(),
  type: z.enum(SERVICE_TYPES),
  /** The service name in its schema; default: the key. */
  name: ucName("a service name").optional(),
  comment: z.string().optional(),
  ...serviceDefaultFields,
  inference_table: z.union([ServiceInferenceTable, z.literal(false)]).optional(),
  // model
  destinations: z.array(ServiceDestination).optional(),
  fallbacks: z.array(ServiceDestination).optional(),
  /** Streaming: fail over when no first token arrives in time, e.g. "30s". */
  first_token_timeout: z.string().regex(/^\d+(\.\d+)?s$/, 'expected seconds, for example "30s"').optional(),
  // model_provider
  provider: z.enum(SERVICE_PROVIDERS).optional(),
  /** One block, named after `provider`, with its connection and credential. */
  openai: ProviderConnection.optional(),
  anthropic: ProviderConnection.optional(),
  amazon_bedrock: ProviderConnection.optional(),
  azure_openai: ProviderConnection.optional(),
  microsoft_foundry: ProviderConnection.optional(),
  gemini_enterprise: ProviderConnection.optional(),
  custom: ProviderConnection.optional(),
  targets: z.array(z.strictObject({ model: z.string().min(1), native_api_types: z.array(z.string().min(1)).optional() })).optional(),
  allow_all_targets: z.boolean().optional(),
  // mcp
  /** The Unity Catalog connection to the MCP server. */
  connection: threePart("a Unity Catalog connection").optional(),
  include_tools: z.array(z.string().min(1)).optional(),
});
export type AiGatewayService = z.infer<typeof AiGatewayService>;

// ---- files -------------------------------------------------------------------------------

/** The workspace URL: https, host only. Credentials in it would be synthesized into the provider block. */
const Workspace = z.strictObject({
  // One check with one message per mistake (and no `new URL` that could throw): see workspace-host.ts.
  host: z
    .string()
    .superRefine((value, ctx) => {
      const problem = workspaceHostProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .meta({ format: "uri" }),
});

const ProviderSettings = z.strictObject({
  /** Terraform version constraint for databricks/databricks. */
  version: z.string().min(1).optional(),
});

/**
 * How CI deploys the environment. Environments deploy one after another in ascending `order`
 * (ties and environments without one after, by name), each only after the one before succeeded.
 */
export const DeploySettings = z.strictObject({
  /** Position in the deploy sequence: lower deploys first. @default after every ordered environment */
  order: z.number().int().min(0).optional(),
});

/** The effective environment after merging, as validated and synthesized. */
export const EnvironmentConfig = z.strictObject({
  name: z.string().regex(ENVIRONMENT_NAME_PATTERN),
  workspace: Workspace,
  state: State.optional(),
  naming: z.strictObject({ prefix: z.string().optional(), suffix: z.string().optional() }).optional(),
  protect: z.boolean().optional(),
  provider: ProviderSettings.optional(),
  deploy: DeploySettings.optional(),
  endpoints: z.record(z.string(), Endpoint),
  ai_gateway_services: z.record(z.string(), AiGatewayService).optional(),
  apps: z.record(z.string(), App).optional(),
  /** Present (even empty) when the environment declares its scopes: references are then checked. */
  secret_scopes: z.record(z.string(), SecretScope).optional(),
});
export type EnvironmentConfig = z.infer<typeof EnvironmentConfig>;

/** `config/gateway.yaml`, as written. */
export const GatewayFile = z.strictObject({
  defaults: Defaults.optional(),
  endpoints: z.record(z.string(), Endpoint),
  service_defaults: ServiceDefaults.optional(),
  ai_gateway_services: z.record(z.string(), AiGatewayService).optional(),
  app_defaults: AppDefaults.optional(),
  apps: z.record(z.string(), App).optional(),
  secret_scopes: z.record(z.string(), SecretScope).optional(),
});

/** `config/environments/<env>.yaml`, as written. */
export const EnvironmentFile = z.strictObject({
  workspace: Workspace,
  state: State.optional(),
  naming: z.strictObject({ prefix: z.string().optional(), suffix: z.string().optional() }).optional(),
  protect: z.boolean().optional(),
  provider: ProviderSettings.optional(),
  deploy: DeploySettings.optional(),
  defaults: Defaults.optional(),
  endpoints: z.record(z.string(), Endpoint.partial()).optional(),
  service_defaults: ServiceDefaults.optional(),
  ai_gateway_services: z.record(z.string(), AiGatewayService.partial()).optional(),
  app_defaults: AppDefaults.optional(),
  apps: z.record(z.string(), App.partial()).optional(),
  secret_scopes: z.record(z.string(), SecretScope).optional(),
});
