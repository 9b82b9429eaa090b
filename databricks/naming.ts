import { isSystemEndpointName } from "./system-endpoints";
/** Names Databricks and Terraform see, derived in one place. */

/** Letters, digits, "_" and "-": what Databricks accepts in endpoint and served entity names. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/** NAME_PATTERN in words, for messages: `an endpoint name ${NAME_CHARACTERS}`. */
export const NAME_CHARACTERS = 'may contain only letters, digits, "_" and "-"';

/** A Terraform resource name (logical id): endpoint keys and construct ids become one. */
export const TERRAFORM_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The Terraform stack of an environment: `gateway-<env>`. */
export function stackName(environment: string): string {
  return `gateway-${environment}`;
}

/** How an environment decorates its endpoint names. */
export interface Naming {
  readonly prefix?: string;
  readonly suffix?: string;
}

/**
 * The endpoint name Databricks sees: naming prefix + (name or key) + suffix. A Databricks-hosted
 * `databricks-*` endpoint keeps its name: it exists under exactly that name in every workspace.
 */
export function endpointName(naming: Naming | undefined, base: string): string {
  if (isSystemEndpointName(base)) return base;
  return `${naming?.prefix ?? ""}${base}${naming?.suffix ?? ""}`;
}
