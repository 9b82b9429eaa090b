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
