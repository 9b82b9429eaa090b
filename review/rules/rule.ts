/**
 * A change rule: one small pure function comparing one aspect of an endpoint between base and
 * head. Each rule has an id (shown in JSON output), a one-line what, and a why (the Databricks or
 * provider fact it encodes, from shared/design/databricks-facts.md).
 */
import type { EndpointView } from "../endpoint-view";
import type { Finding } from "../types";

export type { Finding };

export interface RuleContext {
  /** The endpoint is destroyed and re-created by this change (name or route_optimized). */
  readonly replaced: boolean;
}

export interface EndpointRule {
  readonly id: string;
  readonly what: string;
  readonly why: string;
  readonly check: (base: EndpointView, head: EndpointView, context: RuleContext) => Finding[];
}

/** `on` / `off` for sentences about switches. */
export function onOff(value: boolean | undefined): string {
  return value ? "on" : "off";
}
