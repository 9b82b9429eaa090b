/** How provider 1.99's databricks_model_serving treats changes to some of its fields. */

/** Fields the provider sends only when it creates the endpoint (never on update). */
export const CREATE_ONLY_FIELDS = ["description", "budget_policy_id", "email_notifications"] as const;

/**
 * The deprecated top-level `rate_limits` block of the resource: also sent on create only and never
 * read back (the config writes AI Gateway rate limits instead, so only hand-written JSON has it).
 */
export const DEPRECATED_CREATE_ONLY_FIELDS = ["rate_limits"] as const;

/** Fields whose change forces a new resource: the endpoint is destroyed and created again. */
export const REPLACING_FIELDS = ["name", "route_optimized"] as const;
export type ReplacingField = (typeof REPLACING_FIELDS)[number];

/**
 * databricks_model_serving_provisioned_throughput (provider 1.99, bindings 15.16.1): served entities
 * carry only name, entity_name, entity_version (both required) and provisioned_model_units
 * (required); the resource has no description, route_optimized or task.
 */
export const PROVISIONED_THROUGHPUT_ENTITY_REQUIRED = ["entity_name", "entity_version", "provisioned_model_units"] as const;
export const NOT_FOR_PROVISIONED_THROUGHPUT_ENTITIES = [
  "external_model",
  "workload_size",
  "workload_type",
  "scale_to_zero_enabled",
  "min_provisioned_throughput",
  "max_provisioned_throughput",
  "min_provisioned_concurrency",
  "max_provisioned_concurrency",
  "environment_vars",
  "instance_profile_arn",
] as const;
export const NOT_FOR_PROVISIONED_THROUGHPUT_ENDPOINTS = ["task", "description", "route_optimized"] as const;
