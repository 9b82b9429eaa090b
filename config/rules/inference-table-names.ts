import { EndpointRule, error, Finding } from "./rule";

/** Unity Catalog's documented limit on object names. */
const MAX_NAME_LENGTH = 255;

export const inferenceTableNames: EndpointRule = {
  id: "inference-table-names",
  what: "Inference table catalog, schema and prefix are plain Unity Catalog names.",
  why:
    "Unity Catalog object names cannot contain a period, space, forward slash, ASCII control characters or DELETE, and " +
    "cannot exceed 255 characters (Databricks SQL reference, Names: docs.databricks.com/aws/en/sql/language-manual/sql-ref-names). " +
    "The table is <catalog_name>.<schema_name>.<table_name_prefix>_payload, so a dot would name a different table. Backticks " +
    "and semicolons are legal inside a quoted identifier but are refused here: the names are pasted into SQL by whoever " +
    "queries the payload table, and no real catalog needs them.",
  check(endpoint, at) {
    const table = endpoint.ai_gateway?.inference_table;
    if (!table) return [];
    const findings: Finding[] = [];
    for (const field of ["catalog_name", "schema_name", "table_name_prefix"] as const) {
      const value = table[field];
      if (value === undefined) continue;
      const where = [...at, "ai_gateway", "inference_table", field];
      const bad = [...value].find((ch) => /[.\s/`;]/.test(ch) || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
      if (bad !== undefined) {
        const shown = bad === " " ? "a space" : /[\s\x00-\x1f\x7f]/.test(bad) ? `a control or white-space character (U+${bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")})` : `"${bad}"`;
        findings.push(error(where, `${field} ${JSON.stringify(value)} contains ${shown}: a Unity Catalog name cannot contain ".", spaces, "/", control characters, and here not "\`" or ";" either; use letters, digits and "_"`));
      } else if (value.length > MAX_NAME_LENGTH) {
        findings.push(error(where, `${field} is ${value.length} characters; Unity Catalog names are at most ${MAX_NAME_LENGTH}: shorten it`));
      }
    }
    return findings;
  },
};
