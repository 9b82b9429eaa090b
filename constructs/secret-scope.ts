import { SecretAcl } from "@cdktf/provider-databricks/lib/secret-acl";
import { SecretScope as SecretScopeResource } from "@cdktf/provider-databricks/lib/secret-scope";
import { Construct } from "constructs";
import type { SecretAclPermission } from "../databricks";
import { propsError, reportProblems } from "./props-problems";

export type { SecretAclPermission } from "../databricks";

/** One principal's access to the scope. */
export interface SecretScopeAcl {
  /** A group name, a user's e-mail or a service principal's application id. */
  readonly principal: string;
  readonly permission: SecretAclPermission;
}

export interface SecretScopeProps {
  /** The scope name that `{{secrets/<scope>/<key>}}` references use. */
  readonly name: string;
  /** @default - no ACLs beyond the creator's MANAGE */
  readonly acls?: readonly SecretScopeAcl[];
  /**
   * Terraform logical id of the `databricks_secret_scope`; each ACL is `<logicalId>_<principal>`
   * with characters Terraform does not take in an address replaced by "_".
   * @default - the construct id
   */
  readonly logicalId?: string;
}

/**
 * A Databricks-backed secret scope and its ACLs (`databricks_secret_scope`, `databricks_secret_acl`).
 * Never secret values: those are put with `databricks secrets put-secret` and stay out of state.
 *
 * @see https://docs.databricks.com/aws/en/security/secrets/
 */
export class SecretScope extends Construct {
  readonly scope: SecretScopeResource;
  readonly acls: readonly SecretAcl[];

  constructor(scope: Construct, id: string, props: SecretScopeProps) {
    super(scope, id);
    const logicalId = props.logicalId ?? id;
    this.scope = new SecretScopeResource(this, "scope", { name: props.name });
    this.scope.overrideLogicalId(logicalId);
    const ids = new Map<string, string>();
    this.acls = (props.acls ?? []).map((acl) => {
      const aclId = `${logicalId}_${acl.principal.replace(/[^A-Za-z0-9_-]/g, "_")}`;
      const other = ids.get(aclId);
      if (other !== undefined) {
        const i = props.acls!.indexOf(acl);
        reportProblems(this, `secret scope "${props.name}"`, [
          propsError(`acls[${i}].principal`, `principals "${other}" and "${acl.principal}" both map to the logical id ${aclId}; list each principal once`),
        ]);
      }
      ids.set(aclId, acl.principal);
      const resource = new SecretAcl(this, aclId, { scope: this.scope.name, principal: acl.principal, permission: acl.permission });
      resource.overrideLogicalId(aclId);
      return resource;
    });
  }
}
