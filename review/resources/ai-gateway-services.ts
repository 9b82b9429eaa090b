/**
 * The standalone AI Gateway services (model, model provider, MCP) and the `databricks_grants` on
 * them: read by review/services/view.ts, compared by review/services/rules/.
 */
import { isObj } from "../endpoint-view";
import { SERVICE_TYPES } from "../services/view";
import type { Obj, ResourceHandler } from "./handler";

const WHY = "A service is a Unity Catalog securable with its own limits and grants; endpoint limits do not cover its traffic.";

export const aiGatewayServices: readonly ResourceHandler[] = Object.entries(SERVICE_TYPES).map(([type, meta]) => ({
  type,
  what: `AI Gateway ${meta.kind}s: limits, routing, inference table, grants`,
  why: WHY,
  partOf: "service" as const,
}));

export const serviceGrants: ResourceHandler = {
  type: "databricks_grants",
  what: "EXECUTE and other grants on an AI Gateway service (grants on anything else: the generic line)",
  why: "databricks_grants is authoritative for the securable it names: who may query a service.",
  partOf: "service",
};

/** Terraform addresses the services view reads: every service and the grants that name one. */
export function serviceAddresses(stack: unknown): string[] {
  const resources: Obj = isObj(stack) && isObj(stack.resource) ? stack.resource : {};
  const out: string[] = [];
  for (const type of Object.keys(SERVICE_TYPES)) {
    const of = resources[type];
    if (isObj(of)) out.push(...Object.keys(of).map((k) => `${type}.${k}`));
  }
  const grants = isObj(resources.databricks_grants) ? resources.databricks_grants : {};
  for (const [name, g] of Object.entries(grants)) {
    if (isObj(g) && Object.values(SERVICE_TYPES).some((t) => typeof g[t.grantsField] === "string")) out.push(`databricks_grants.${name}`);
  }
  return out;
}
