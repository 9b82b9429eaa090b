/**
 * Serving limits. The endpoint name length is documented (the API takes [1 .. 63] characters) and
 * checked as an error; the others Databricks documents only indirectly: checked as warnings.
 */
export const LIMITS = { maxFallbacks: 2, maxRateLimits: 20, maxGroupRateLimits: 5, maxEndpointNameLength: 63 } as const;
