/** Every validation rule, in the order their findings are produced (then sorted by location). */
import { createOnlyOnImport } from "./create-only-on-import";
import { endpointNames } from "./endpoint-names";
import { oneEntityKind } from "./entity-kind";
import { externalModel } from "./external-model";
import { guardrails } from "./guardrails";
import { inferenceTable } from "./inference-table";
import { permissions } from "./permissions";
import { providerVersion } from "./provider-version";
import { rateLimits } from "./rate-limits";
import { routing } from "./routing";
import type { EndpointRule, EnvironmentRule } from "./rule";
import { servedEntityFields } from "./served-entity-fields";
import { servedEntityNames } from "./served-entity-names";
import { stateLocking } from "./state-locking";
import { usageTracking } from "./usage-tracking";

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [endpointNames, providerVersion, stateLocking];

export const ENDPOINT_RULES: readonly EndpointRule[] = [
  servedEntityNames,
  servedEntityFields,
  externalModel,
  oneEntityKind,
  routing,
  rateLimits,
  guardrails,
  inferenceTable,
  usageTracking,
  permissions,
  createOnlyOnImport,
];

export type { EndpointRule, EnvironmentRule } from "./rule";
