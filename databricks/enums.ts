/**
 * Closed vocabularies of the Databricks serving API, as `as const` lists with their derived types.
 * config/schema.ts builds its zod enums from these lists and constructs/ its prop types, so a new
 * value is added here once.
 */

/** The task every external model on one endpoint shares. */
export const TASKS = ["llm/v1/chat", "llm/v1/completions", "llm/v1/embeddings"] as const;
export type Task = (typeof TASKS)[number];

/** Concurrency tier of a custom model, smallest (and cheapest) first. */
export const WORKLOAD_SIZES = ["Small", "Medium", "Large"] as const;
export type WorkloadSize = (typeof WORKLOAD_SIZES)[number];

/** Compute type of a custom model. */
export const WORKLOAD_TYPES = ["CPU", "GPU_SMALL", "GPU_MEDIUM", "GPU_LARGE", "MULTIGPU_MEDIUM"] as const;
export type WorkloadType = (typeof WORKLOAD_TYPES)[number];

/** Whom an AI Gateway rate limit counts. */
export const RATE_LIMIT_KEYS = ["endpoint", "user", "user_group", "service_principal"] as const;
export type RateLimitKey = (typeof RATE_LIMIT_KEYS)[number];

/** The only renewal period Databricks accepts for rate limits. */
export const RENEWAL_PERIODS = ["minute"] as const;
export type RenewalPeriod = (typeof RENEWAL_PERIODS)[number];
/** The renewal period of an endpoint rate limit that names none (config may leave it out; QPM/TPM are per this). */
export const DEFAULT_RENEWAL_PERIOD: RenewalPeriod = "minute";

/** What a PII guardrail does with personal data. */
export const PII_BEHAVIORS = ["NONE", "BLOCK", "MASK"] as const;
export type PiiBehavior = (typeof PII_BEHAVIORS)[number];

/** Permission levels of a serving endpoint's ACL, weakest first (each includes the ones before it). */
export const PERMISSION_LEVELS = ["CAN_VIEW", "CAN_QUERY", "CAN_MANAGE"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

/** Identity fields of an ACL entry: exactly one per entry. */
export const PERMISSION_IDENTITY_FIELDS = ["group_name", "user_name", "service_principal_name"] as const;

/** The group that always has CAN_MANAGE and cannot be set in an ACL. */
export const ADMINS_GROUP = "admins";

/** `openai_config.openai_api_type`. */
export const OPENAI_API_TYPES = ["openai", "azure", "azuread"] as const;
export type OpenAiApiType = (typeof OPENAI_API_TYPES)[number];

/** `amazon_bedrock_config.bedrock_provider`. */
export const BEDROCK_PROVIDERS = ["anthropic", "cohere", "ai21labs", "amazon"] as const;
export type BedrockProvider = (typeof BEDROCK_PROVIDERS)[number];
