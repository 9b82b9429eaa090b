/**
 * What kind of model a served entity is. One endpoint serves one kind, and the kind decides which
 * fields, routing and guardrails apply. Works on the plain snake_case shape both the YAML config
 * and the synthesized Terraform have.
 */
import { SYSTEM_MODEL_CATALOG_PREFIX } from "./system-endpoints";

const ENTITY_KINDS = ["external model", "foundation model", "custom model"] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** The fields of a served entity that decide its kind (config or Terraform JSON). */
export interface EntityShape {
  readonly external_model?: unknown;
  readonly entity_name?: unknown;
  readonly min_provisioned_throughput?: unknown;
  readonly max_provisioned_throughput?: unknown;
  readonly provisioned_model_units?: unknown;
}


export function entityKind(entity: EntityShape): EntityKind {
  const external = entity.external_model;
  if (external !== undefined && external !== null && typeof external === "object" && !Array.isArray(external)) return "external model";
  const provisioned =
    entity.min_provisioned_throughput !== undefined ||
    entity.max_provisioned_throughput !== undefined ||
    entity.provisioned_model_units !== undefined;
  const foundation = typeof entity.entity_name === "string" && entity.entity_name.startsWith(SYSTEM_MODEL_CATALOG_PREFIX);
  return provisioned || foundation ? "foundation model" : "custom model";
}

/**
 * Served-entity fields that buy capacity by number, so more of it costs more: model units of a
 * provisioned-throughput endpoint, the provisioned throughput band (tokens per second) of a
 * foundation model, and the provisioned concurrency of a custom model. A `min_*` that is absent
 * is 0 (provider 1.99 never sends a zero); `workload_size` is the other capacity field, ordered
 * by WORKLOAD_SIZES.
 */
export const CAPACITY_FIELDS = [
  "provisioned_model_units",
  "min_provisioned_throughput",
  "max_provisioned_throughput",
  "min_provisioned_concurrency",
  "max_provisioned_concurrency",
] as const;

/** Fields of a served entity that do not apply to an external model (Databricks proxies the provider's API). */
export const NOT_FOR_EXTERNAL_MODELS = [
  "entity_name",
  "entity_version",
  "workload_size",
  "workload_type",
  "scale_to_zero_enabled",
  "min_provisioned_throughput",
  "max_provisioned_throughput",
  "min_provisioned_concurrency",
  "max_provisioned_concurrency",
  "provisioned_model_units",
  "environment_vars",
  "instance_profile_arn",
] as const;
