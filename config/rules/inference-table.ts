import { PROVIDER } from "../../databricks";
import { error, warning, type EndpointRule, type Finding, type Path } from "./rule";

export const inferenceTable: EndpointRule = {
  id: "inference-table",
  what: "An enabled inference table names its catalog and schema; enabled: false is flagged",
  why: "The table is <catalog_name>.<schema_name>.<prefix>_payload; the provider drops false booleans (terraform-provider-databricks#5504).",
  check(endpoint, at) {
    const table = endpoint.ai_gateway?.inference_table;
    const tAt: Path = [...at, "ai_gateway", "inference_table"];
    const findings: Finding[] = [];
    if (table && table.enabled !== false) {
      for (const field of ["catalog_name", "schema_name"] as const) {
        if (table[field] === undefined) findings.push(error(tAt, `"${field}" is required when the inference table is enabled (the table is <catalog_name>.<schema_name>.<table_name_prefix>_payload); or set inference_table: false`));
      }
    }
    if (table && table.enabled === false) {
      findings.push(warning([...tAt, "enabled"], `${PROVIDER} drops false booleans (issue #5504): "enabled: false" does not disable an existing inference table; disable it in the Databricks UI or API, then remove the block`));
    }
    return findings;
  },
};
