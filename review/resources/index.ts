/**
 * The registry of resource-type handlers: what the review knows about each Terraform resource
 * type. A type without a handler is still reviewed: each resource created, removed or changed is
 * one neutral "changed, fields: …" line (./generic.ts), never silence. So are the backend,
 * `required_providers`, provider blocks, data sources and outputs (./stack-settings.ts).
 *
 * ## Adding a resource type
 * 1. Create `review/resources/<type-in-kebab-case>.ts` exporting a `ResourceHandler`
 *    (./handler.ts): `type` (the Terraform type, e.g. `databricks_grants`), `what`, `why`, and
 *    `compare(base, head, address)` returning `Finding`s (../types.ts): a class (`replaces`,
 *    `not-applied`, `loosens`, `tightens`, `neutral`; creation is `creates`), `what`, optional
 *    `before` / `after` / `detail` / `advice`. Reuse `genericFindings` for the parts you do not
 *    word yourself, and never put a credential-looking value in a finding.
 * 2. Add it to `RESOURCE_HANDLERS` below (one line; the order does not matter, types are unique).
 * 3. Add a compliant and a non-compliant case to
 *    `__tests__/review/resource-handlers.test.ts` (the test fails for a handler without both).
 * A type that is part of a serving endpoint (read into its EndpointView) or of an AI Gateway
 * service (review/services/) sets `partOf` instead and gets its rules there.
 */
import { compareStrings, isObj } from "../endpoint-view";
import type { Finding } from "../types";
import { genericFindings } from "./generic";
import type { Obj, ResourceHandler } from "./handler";
import { aiGatewayServices, serviceGrants } from "./ai-gateway-services";
import { modelServing } from "./model-serving";
import { endpointPermissions } from "./permissions";
import { provisionedThroughput } from "./provisioned-throughput";

export const RESOURCE_HANDLERS: readonly ResourceHandler[] = [modelServing, provisionedThroughput, endpointPermissions, ...aiGatewayServices, serviceGrants];

const BY_TYPE = new Map(RESOURCE_HANDLERS.map((h) => [h.type, h]));

function handlerFor(type: string): ResourceHandler | undefined {
  return BY_TYPE.get(type);
}

export type { ResourceHandler } from "./handler";
export { changedFields, fieldList, genericFindings } from "./generic";
export { stackSettingFindings } from "./stack-settings";
export { serviceAddresses } from "./ai-gateway-services";

function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/**
 * Findings for every resource of two stacks that the endpoint view does not read: by address
 * (`type.name`), sorted. `claimed` holds the addresses the endpoint view reads (in base or head).
 */
export function resourceFindings(baseStack: unknown, headStack: unknown, claimed: ReadonlySet<string>): Array<{ address: string; rule: string; finding: Finding }> {
  const base = obj(obj(baseStack).resource);
  const head = obj(obj(headStack).resource);
  const out: Array<{ address: string; rule: string; finding: Finding }> = [];
  const types = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort(compareStrings);
  for (const type of types) {
    const handler = handlerFor(type);
    const b = obj(base[type]);
    const h = obj(head[type]);
    for (const name of [...new Set([...Object.keys(b), ...Object.keys(h)])].sort(compareStrings)) {
      const address = `${type}.${name}`;
      if (claimed.has(address)) continue;
      const compare = handler?.compare;
      const findings = compare ? compare(isObj(b[name]) ? b[name] : undefined, isObj(h[name]) ? h[name] : undefined, address) : genericFindings("resource", b[name], h[name]);
      for (const finding of findings) out.push({ address, rule: compare ? type : "resource", finding });
    }
  }
  return out;
}
