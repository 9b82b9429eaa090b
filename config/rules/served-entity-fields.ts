import { entityKind, isCredentialName, PROVIDER, SECRET_REFERENCE_PATTERN } from "../../databricks";
import { error, warning, type EndpointRule, type Finding, type Path } from "./rule";

function checkRange(min: number | undefined, max: number | undefined, at: Path, what: string): Finding[] {
  return min !== undefined && max !== undefined && min > max
    ? [error(at, `min_${what} (${min}) is greater than max_${what} (${max}): swap them or lower the minimum`)]
    : [];
}

export const servedEntityFields: EndpointRule = {
  id: "served-entity-fields",
  what: "A custom or foundation model entity has entity_name, entity_version, the sizing of its kind, ordered ranges and no literal credentials",
  why: "Databricks needs the model and version to serve and a size; environment variables land in Terraform state.",
  check(endpoint, at) {
    const findings: Finding[] = [];
    (endpoint.served_entities ?? []).forEach((entity, i) => {
      if (entity.external_model) return;
      const eAt: Path = [...at, "served_entities", i];
      if (entity.entity_name === undefined) {
        findings.push(error(eAt, `a served entity needs either "external_model" or "entity_name" (a Unity Catalog model such as ml.models.ranker, or system.ai.<model>)`));
        return;
      }
      if (entity.entity_version === undefined) {
        findings.push(error(eAt, `"entity_version" is required with entity_name "${entity.entity_name}": add the model version to serve, as a string (entity_version: "1")`));
      }
      const kind = entityKind(entity);
      if (kind === "custom model" && entity.workload_size === undefined && entity.min_provisioned_concurrency === undefined && entity.max_provisioned_concurrency === undefined) {
        findings.push(
          error(
            eAt,
            `"${entity.entity_name}" is served as a custom model, which needs "workload_size" (Small | Medium | Large) or min/max_provisioned_concurrency. A pay-per-token foundation model is named system.ai.<model>; to govern a Databricks-hosted databricks-* endpoint, give its name with import: true and no served_entities`,
          ),
        );
      }
      // On kind: provisioned_throughput the provisioned-throughput rule says it (with the right advice).
      if (kind === "foundation model" && entity.workload_size !== undefined && endpoint.kind !== "provisioned_throughput") {
        findings.push(error([...eAt, "workload_size"], `"workload_size" does not apply to a foundation model with provisioned throughput: use min/max_provisioned_throughput`));
      }
      findings.push(
        ...checkRange(entity.min_provisioned_throughput, entity.max_provisioned_throughput, [...eAt, "min_provisioned_throughput"], "provisioned_throughput"),
        ...checkRange(entity.min_provisioned_concurrency, entity.max_provisioned_concurrency, [...eAt, "min_provisioned_concurrency"], "provisioned_concurrency"),
      );
      for (const [name, value] of Object.entries(entity.environment_vars ?? {})) {
        if (isCredentialName(name) && !SECRET_REFERENCE_PATTERN.test(value)) {
          findings.push(error([...eAt, "environment_vars", name], `environment variable "${name}" looks like a credential but is a literal value: use a {{secrets/<scope>/<key>}} reference so it stays out of Terraform state`));
        }
      }
      if (entity.scale_to_zero_enabled === false) {
        findings.push(warning([...eAt, "scale_to_zero_enabled"], `${PROVIDER} drops false booleans from requests: "scale_to_zero_enabled: false" may not be applied to an existing endpoint; check the endpoint after deploy`));
      }
    });
    return findings;
  },
};
