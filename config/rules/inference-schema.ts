import { error, type EndpointRule, type Finding } from "./rule";

export const inferenceSchema: EndpointRule = {
  id: "inference-schema",
  what: "create_schema names its catalog and schema; schema_grants come only with create_schema and list each principal once",
  why: "databricks_schema needs catalog_name and name; databricks_grants is authoritative for the schema, so it is written only for a schema this stack owns.",
  check(endpoint, at) {
    const table = endpoint.ai_gateway?.inference_table;
    if (!table) return [];
    const tAt = [...at, "ai_gateway", "inference_table"];
    const findings: Finding[] = [];
    if (table.create_schema === true && (table.catalog_name === undefined || table.schema_name === undefined)) {
      findings.push(error([...tAt, "create_schema"], `create_schema needs catalog_name and schema_name: set both (the schema is created as <catalog_name>.<schema_name>)`));
    }
    if (table.schema_grants !== undefined && table.create_schema !== true) {
      findings.push(error([...tAt, "schema_grants"], `schema_grants are written only for a schema this stack creates: set create_schema: true, or grant on the existing schema where it is managed`));
    }
    const seen = new Map<string, number>();
    (table.schema_grants ?? []).forEach((g, i) => {
      const first = seen.get(g.principal);
      if (first !== undefined) findings.push(error([...tAt, "schema_grants", i, "principal"], `principal "${g.principal}" is already granted in schema_grants[${first}]: list its privileges once`));
      else seen.set(g.principal, i);
    });
    return findings;
  },
};
