/**
 * Databricks-hosted endpoints (pure facts: no cdktf, no YAML).
 *
 * Most workspaces come with Databricks-hosted foundation models served pay-per-token on endpoints
 * named `databricks-<model>` (e.g. `databricks-claude-sonnet-4-6`), with AI Gateway built in
 * (https://databricks.com/devhub/docs/agents/ai-gateway). They exist before any deploy, so
 * Terraform can only adopt them (import), never create them; their served models belong to
 * Databricks.
 *
 * What provider 1.99 does with such an endpoint once imported (serving/resource_model_serving.go):
 * - `config` is Optional + Computed: with no `config` block in the resource, the imported config
 *   stays in state and no update is sent (removing `config` is documented as a no-op);
 * - `tags` are updated with PATCH /serving-endpoints/{name}/tags (add / delete by key);
 * - `ai_gateway` is updated with one PUT /serving-endpoints/{name}/ai-gateway (the whole block);
 * - `description`, `budget_policy_id`, `email_notifications` are sent only on create, so they can
 *   never be set on an adopted endpoint;
 * - `route_optimized` and `name` are ForceNew: a change would destroy the endpoint and create a new
 *   one, which for a Databricks-hosted endpoint fails (and must never be tried).
 */

/** The name prefix of Databricks-hosted pay-per-token endpoints. */
export const SYSTEM_ENDPOINT_PREFIX = "databricks-";

export function isSystemEndpointName(name: string): boolean {
  return name.startsWith(SYSTEM_ENDPOINT_PREFIX);
}

/** Foundation models in Unity Catalog: `system.ai.<model>`. */
export const SYSTEM_MODEL_CATALOG_PREFIX = "system.ai.";
