import type { ResourceHandler } from "./handler";

/**
 * `databricks_permissions`: those whose `serving_endpoint_id` points at a
 * `databricks_model_serving` of the same stack are the endpoint's ACL (the endpoint view reads
 * them, the `permissions` rule compares them). Permissions of anything else (clusters, jobs, apps)
 * get the generic review until a handler for them is added.
 */
export const endpointPermissions: ResourceHandler = {
  type: "databricks_permissions",
  what: "Who may view, query or manage a serving endpoint",
  why: "databricks_permissions is authoritative: it revokes every grant it does not list.",
  partOf: "endpoint",
};
