/**
 * A resource-type handler: how the review reads and compares the resources of one Terraform
 * resource type. See ./index.ts for the registry and how to add a type.
 */
import type { Finding } from "../types";

export type Obj = Record<string, unknown>;

export interface ResourceHandler {
  /** The Terraform resource type, as in `resource.<type>` of cdk.tf.json. */
  readonly type: string;
  /** One line: what a reviewer learns from this handler. */
  readonly what: string;
  /** The Databricks or provider fact it encodes (shared/design/databricks-facts.md). */
  readonly why: string;
  /**
   * Read into a view that has its own rules, rather than compared here: `endpoint` for
   * `databricks_model_serving` and the `databricks_permissions` that govern one (review/endpoint-view.ts,
   * rules in review/rules/), `service` for the standalone AI Gateway services and the
   * `databricks_grants` on them (review/services/). Such a handler has no `compare`.
   */
  readonly partOf?: "endpoint" | "service";
  /**
   * The findings for one resource address: `base` undefined when the change creates it, `head`
   * undefined when it removes it. Return [] when nothing a reviewer must read changed.
   * Never put a credential-looking value in a finding (see `isSecretField` in ../format).
   * @default - the generic handler: created, removed, or "changed, fields: …" (neutral)
   */
  readonly compare?: (base: Obj | undefined, head: Obj | undefined, address: string) => Finding[];
}
