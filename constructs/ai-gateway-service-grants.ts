import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { toAttributes } from "./ai-gateway-service-common";
import { propsError, type PropsProblem, throwPropsErrors } from "./props-problems";

export type ServicePrivilege = "EXECUTE" | "MANAGE";

export interface ServiceGrant {
  /** A user e-mail, group name or service principal application id. */
  readonly principal: string;
  /** EXECUTE lets the principal query the service; MANAGE administers it. */
  readonly privileges: readonly ServicePrivilege[];
}

/** Exactly one securable: the service's full name `<catalog>.<schema>.<name>`. */
export type ServiceSecurable = { readonly modelService: string } | { readonly modelProviderService: string } | { readonly mcpService: string };

export type AiGatewayServiceGrantsProps = ServiceSecurable & {
  /** Every principal with access; anything not listed is revoked (authoritative). */
  readonly grants: readonly ServiceGrant[];
  /** Resources the grants need first (the service itself). @default - none */
  readonly dependsOn?: readonly TerraformResource[];
};

/**
 * `databricks_grants` on one standalone AI Gateway service (provider >= 1.127): authoritative, so
 * it replaces every grant on the service. Callers also need USE CATALOG and USE SCHEMA on its
 * catalog and schema, which are granted elsewhere.
 *
 * @see https://registry.terraform.io/providers/databricks/databricks/latest/docs/resources/grants
 */
export class AiGatewayServiceGrants extends TerraformResource {
  static readonly tfResourceType = "databricks_grants";
  private readonly props: AiGatewayServiceGrantsProps;

  constructor(scope: Construct, id: string, props: AiGatewayServiceGrantsProps) {
    const problems: PropsProblem[] = [];
    if (props.grants.length === 0) problems.push(propsError("grants", "grants is empty: list at least one principal, or omit the construct"));
    const seen = new Set<string>();
    props.grants.forEach((g, i) => {
      if (seen.has(g.principal)) problems.push(propsError(`grants[${i}].principal`, `${g.principal} is listed twice; one entry per principal`));
      seen.add(g.principal);
      if (g.privileges.length === 0) problems.push(propsError(`grants[${i}].privileges`, "no privileges: list EXECUTE, MANAGE or both"));
    });
    // Checked before super(): a rejected construct is never added to the tree.
    throwPropsErrors(`${scope.node.path}/${id}`, "grants", problems);
    super(scope, id, { terraformResourceType: AiGatewayServiceGrants.tfResourceType, terraformGeneratorMetadata: { providerName: "databricks" }, dependsOn: props.dependsOn ? [...props.dependsOn] : undefined });
    this.props = props;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const { grants, dependsOn: _dependsOn, ...securable } = this.props;
    return toAttributes({ ...securable, grant: grants.map((g) => ({ principal: g.principal, privileges: [...g.privileges] })) }) as { [name: string]: unknown };
  }
}
