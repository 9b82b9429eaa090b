/** Every endpoint rule, in the order their sentences are listed for an endpoint. */
import { aiGatewayBlock } from "./ai-gateway-block";
import { createOnly } from "./create-only";
import { guardrails } from "./guardrails";
import { inferenceTable } from "./inference-table";
import { otherAttributes } from "./other-attributes";
import { permissions } from "./permissions";
import { protection } from "./protection";
import { rateLimits } from "./rate-limits";
import { replacement } from "./replacement";
import type { EndpointRule } from "./rule";
import { routing } from "./routing";
import { servedEntities } from "./served-entities";
import { tags } from "./tags";
import { usageTracking } from "./usage-tracking";

export const ENDPOINT_RULES: readonly EndpointRule[] = [
  replacement,
  protection,
  createOnly,
  aiGatewayBlock,
  guardrails,
  rateLimits,
  usageTracking,
  inferenceTable,
  routing,
  permissions,
  servedEntities,
  tags,
  otherAttributes,
];

export type { EndpointRule, Finding, RuleContext } from "./rule";
export { REPLACEMENT_ADVICE } from "./replacement";
