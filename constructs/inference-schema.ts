import { Grants } from "@cdktf/provider-databricks/lib/grants";
import { Schema } from "@cdktf/provider-databricks/lib/schema";
import { Construct } from "constructs";
import type { SchemaPrivilege } from "../databricks";

export type { SchemaPrivilege } from "../databricks";

export interface SchemaGrant {
  /** A group name, a user's e-mail or a service principal's application id. */
  readonly principal: string;
  readonly privileges: readonly SchemaPrivilege[];
}

export interface InferenceSchemaProps {
  readonly catalogName: string;
  readonly schemaName: string;
  /** @default - none */
  readonly comment?: string;
  /** Authoritative: principals not listed lose their grants on the schema (the owner keeps all). @default - grants not managed */
  readonly grants?: readonly SchemaGrant[];
  /** @default false */
  readonly preventDestroy?: boolean;
  /** Terraform logical id of the `databricks_schema` and `databricks_grants`. @default - the construct id */
  readonly logicalId?: string;
}

/**
 * The Unity Catalog schema AI Gateway inference tables are written to (`databricks_schema`),
 * with its grants (`databricks_grants`), so endpoints that log payloads do not depend on a schema
 * created by hand. Principals and privileges are written sorted, so the order in config is not a change.
 *
 * @see https://docs.databricks.com/aws/en/ai-gateway/inference-tables
 */
export class InferenceSchema extends Construct {
  readonly schema: Schema;
  readonly grants?: Grants;

  constructor(scope: Construct, id: string, props: InferenceSchemaProps) {
    super(scope, id);
    const logicalId = props.logicalId ?? id;
    this.schema = new Schema(this, "schema", {
      catalogName: props.catalogName,
      name: props.schemaName,
      comment: props.comment,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.schema.overrideLogicalId(logicalId);
    if (props.grants && props.grants.length > 0) {
      this.grants = new Grants(this, "grants", {
        schema: this.schema.id,
        grant: [...props.grants]
          .sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0))
          .map((g) => ({ principal: g.principal, privileges: [...new Set(g.privileges)].sort() })),
      });
      this.grants.overrideLogicalId(logicalId);
    }
  }
}
