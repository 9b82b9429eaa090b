import type { ResourceHandler } from "./handler";

/** Serving endpoints: read into an EndpointView (review/endpoint-view.ts), compared by review/rules/. */
export const modelServing: ResourceHandler = {
  type: "databricks_model_serving",
  what: "Serving endpoints: served entities, routing, AI Gateway policy, tags, protection",
  why: "The endpoint is what callers reach; its gateway policy is what a reviewer signs off on.",
  partOf: "endpoint",
};
