import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { Construct } from "constructs";
import type { TerraformResource } from "cdktf";

import { checkEndpoint } from "../config/semantic";
import type { PermissionLevel } from "../databricks";
import { reportProblems, toPropsProblem, type PropsProblem } from "./props-problems";

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
    reportProblems(this, "permissions", validateEndpointPermissionsProps(props));
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

/**
 * Every problem with the props of EndpointPermissions, each with its path in the props
 * (`permissions[1]`): the permission rule YAML users get (config/rules/), run on the same list.
 */
export function validateEndpointPermissionsProps(props: EndpointPermissionsProps): PropsProblem[] {
  if (props.permissions.length === 0) {
    // GovernedEndpoint emits no resource for an empty list; this construct would emit an empty
    // authoritative ACL, which is never what was meant.
    return [{ severity: "error", path: "permissions", message: "no permissions: list at least one identity, or leave the construct out (ACLs stay unmanaged)" }];
  }
  const spec = {
    served_entities: [],
    permissions: props.permissions.map((p) => ({ group_name: p.groupName, user_name: p.userName, service_principal_name: p.servicePrincipalName, level: p.level })),
  };
  // Endpoint rules run on an endpoint with only this list: what they say about it is all that applies.
  return checkEndpoint(spec, [])
    .filter((f) => f.path[0] === "permissions")
    .map(toPropsProblem);
}

/** The settings every serving-endpoint resource shares, whatever its kind. */
export interface EndpointLifecycleProps {
  readonly name: string;
  readonly preventDestroy?: boolean;
  readonly importExisting?: boolean;
  readonly permissions?: readonly EndpointPermission[];
}

/**
 * Pins an endpoint resource to its logical id, protects or imports it, and attaches its ACL
 * (`databricks_permissions` with the same logical id). The import id of both serving-endpoint
 * resources is the endpoint name.
 */
export function governEndpointResource(
  scope: Construct,
  resource: TerraformResource & { readonly servingEndpointId: string },
  id: string,
  props: EndpointLifecycleProps,
): EndpointPermissions | undefined {
  resource.overrideLogicalId(id);
  if (props.preventDestroy) resource.addOverride("lifecycle.prevent_destroy", true);
  if (props.importExisting) resource.importFrom(props.name);
  if (!props.permissions || props.permissions.length === 0) return undefined;
  return new EndpointPermissions(scope, "permissions", {
    servingEndpointId: resource.servingEndpointId,
    permissions: props.permissions,
    logicalId: id,
  });
}
