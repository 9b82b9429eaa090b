/** Limits Databricks documents only indirectly: checked as warnings, not errors. */
export const LIMITS = { maxFallbacks: 2, maxRateLimits: 20, maxGroupRateLimits: 5, maxEndpointNameLength: 63 } as const;
