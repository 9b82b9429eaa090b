import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { Construct } from "constructs";

import type { PermissionLevel } from "../databricks";

export type { PermissionLevel } from "../databricks";

/** One identity and its level; exactly one of groupName, userName, servicePrincipalName. */
export interface EndpointPermission {
  readonly groupName?: string;
  readonly userName?: string;
  /** The service principal's application id. */
  readonly servicePrincipalName?: string;
  readonly level: PermissionLevel;
}

export interface EndpointPermissionsProps {
  /** The endpoint's `serving_endpoint_id` (not its name). */
  readonly servingEndpointId: string;
  /** Every identity that may use the endpoint; anything not listed loses access. */
  readonly permissions: readonly EndpointPermission[];
  /**
   * Terraform logical id of the `databricks_permissions` resource.
   * @default - the construct id
   */
  readonly logicalId?: string;
}

/**
 * The access control list of one serving endpoint, as one authoritative
 * `databricks_permissions` resource: it replaces every ACL on the endpoint (the deploying
 * identity and the `admins` group keep CAN_MANAGE).
 *
 * @see https://registry.terraform.io/providers/databricks/databricks/latest/docs/resources/permissions
 */
export class EndpointPermissions extends Construct {
  readonly resource: Permissions;

  constructor(scope: Construct, id: string, props: EndpointPermissionsProps) {
    super(scope, id);
    validatePermissions(this.node.path, props.permissions);
    this.resource = new Permissions(this, "resource", {
      servingEndpointId: props.servingEndpointId,
      accessControl: props.permissions.map((p) => ({
        groupName: p.groupName,
        userName: p.userName,
        servicePrincipalName: p.servicePrincipalName,
        permissionLevel: p.level,
      })),
    });
    this.resource.overrideLogicalId(props.logicalId ?? id);
  }
}

function identityOf(p: EndpointPermission): string[] {
  return [
    p.groupName !== undefined ? `group_name ${p.groupName}` : undefined,
    p.userName !== undefined ? `user_name ${p.userName}` : undefined,
    p.servicePrincipalName !== undefined ? `service_principal_name ${p.servicePrincipalName}` : undefined,
  ].filter((x): x is string => x !== undefined);
}

function validatePermissions(where: string, permissions: readonly EndpointPermission[]): void {
  const problems: string[] = [];
  if (permissions.length === 0) problems.push("permissions is empty: list at least one identity, or omit the construct");
  const seen = new Set<string>();
  permissions.forEach((p, i) => {
    const ids = identityOf(p);
    if (ids.length !== 1) {
      problems.push(`permissions[${i}] must name exactly one of groupName, userName, servicePrincipalName; got ${ids.length}`);
      return;
    }
    if (p.groupName === "admins") problems.push(`permissions[${i}]: the "admins" group cannot be set`);
    if (seen.has(ids[0])) problems.push(`permissions[${i}]: ${ids[0]} is listed twice; one level per identity`);
    seen.add(ids[0]);
  });
  if (problems.length > 0) throw new Error(`${where}: invalid permissions:\n  ${problems.join("\n  ")}`);
}
