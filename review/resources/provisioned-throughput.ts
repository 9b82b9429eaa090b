import type { ResourceHandler } from "./handler";

/** Provisioned-throughput endpoints: read into an EndpointView like serving endpoints, same rules. */
export const provisionedThroughput: ResourceHandler = {
  type: "databricks_model_serving_provisioned_throughput",
  what: "Provisioned-throughput endpoints: served entities, AI Gateway policy, tags, protection",
  why: "An endpoint like databricks_model_serving for callers and policy; only its resource type differs.",
  partOf: "endpoint",
};
