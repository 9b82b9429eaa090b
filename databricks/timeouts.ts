/**
 * Terraform `timeouts` of the serving resources in provider 1.99 (pure facts: no cdktf, no YAML).
 *
 * Source: serving/resource_model_serving.go (`DefaultProvisionTimeout = 45 * time.Minute`) and
 * serving/resource_model_serving_provisioned_throughput.go (`defaultPtProvisionTimeout = 10 *
 * time.Minute`) in databricks/terraform-provider-databricks. Both resources wait for the endpoint
 * to be ready on create and, when the wait fails or times out, delete the endpoint again.
 */

/** A Go duration as Terraform's `timeouts` block takes it: `90m`, `1h30m`, `45s`. */
// Built from a string so that `.source` (the editor JSON Schema's `pattern`) keeps "µs" while the
// code stays ASCII (scripts/run.cjs reads an ASCII bundle as latin1, twice as fast).
export const GO_DURATION_PATTERN = new RegExp("^(\\d+(\\.\\d+)?(ns|us|\u00b5s|ms|s|m|h))+$");

/** Provider defaults for create and update, in minutes. */
export const DEFAULT_TIMEOUT_MINUTES = { serving: 45, provisioned_throughput: 10 } as const;

/** A Go duration in minutes (for comparisons), or undefined when it is not one. */
export function durationMinutes(value: string): number | undefined {
  if (!GO_DURATION_PATTERN.test(value)) return undefined;
  const unit: Record<string, number> = { ns: 1e-9 / 60, us: 1e-6 / 60, "µs": 1e-6 / 60, ms: 1e-3 / 60, s: 1 / 60, m: 1, h: 60 };
  let total = 0;
  for (const [, n, , u] of value.matchAll(/(\d+(\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/g)) total += Number(n) * unit[u];
  return total;
}
