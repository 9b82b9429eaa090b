import { CREATE_ONLY_FIELDS, PROVIDER } from "../../databricks";
import { warning, type EndpointRule } from "./rule";

/**
 * An imported endpoint already exists, so its create-only fields will never be applied: the
 * one case where validation knows, without a workspace, that a value cannot take effect.
 */
export const createOnlyOnImport: EndpointRule = {
  id: "create-only-on-import",
  what: "An imported endpoint sets no create-only field (description, budget_policy_id, email_notifications)",
  why: "The provider sends them only when it creates the endpoint, and an imported one already exists.",
  check(endpoint, at) {
    if (endpoint.import !== true) return [];
    return CREATE_ONLY_FIELDS.filter((k) => endpoint[k] !== undefined).map((k) =>
      warning(
        [...at, k],
        `"${k}" is applied by ${PROVIDER} only when it creates an endpoint, and this one is imported (import: true): set the same value in the workspace (Serving UI or REST API), or it stays a permanent diff`,
        true,
      ),
    );
  },
};
