/** Every validation rule, in the order their findings are produced (then sorted by location). */
import { appBindings } from "./app-bindings";
import { appNames } from "./app-names";
import { appQueryAccess } from "./app-query-access";
import { createOnlyOnImport } from "./create-only-on-import";
import { emailAddresses } from "./email-notifications";
import { endpointNames } from "./endpoint-names";
import { endpointWithoutConfig } from "./endpoint-without-config";
import { oneEntityKind } from "./entity-kind";
import { externalModel } from "./external-model";
import { guardrails } from "./guardrails";
import { inferenceSchema } from "./inference-schema";
import { identitySpelling } from "./identity-spelling";
import { inferenceTable } from "./inference-table";
import { inferenceTableNames } from "./inference-table-names";
import { mcpQpmOnly } from "./mcp-qpm-only";
import { permissions } from "./permissions";
import { providerVersion } from "./provider-version";
import { provisionedThroughput } from "./provisioned-throughput";
import { rateLimits } from "./rate-limits";
import { routing } from "./routing";
import { secretReferences } from "./secret-references";
import { secretScopes } from "./secret-scopes";
import type { EndpointRule, EnvironmentRule, ServiceRule } from "./rule";
import { servedEntityFields } from "./served-entity-fields";
import { servedEntityNames } from "./served-entity-names";
import { silentNoOps } from "./silent-no-ops";
import { serviceCredentials } from "./service-credentials";
import { serviceDestinations } from "./service-destinations";
import { serviceFields } from "./service-fields";
import { serviceGrants } from "./service-grants";
import { serviceKeys } from "./service-keys";
import { serviceProviderVersion } from "./service-provider-version";
import { serviceRateLimits } from "./service-rate-limits";
import { serviceRouting } from "./service-routing";
import { serviceSecretReferences } from "./service-secret-references";
import { stateLocking } from "./state-locking";
import { tagLengths } from "./tag-lengths";
import { systemEndpoint } from "./system-endpoint";
import { usageTracking } from "./usage-tracking";

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [
  endpointNames,
  providerVersion,
  stateLocking,
  systemEndpoint,
  serviceKeys,
  serviceProviderVersion,
  appNames,
  appBindings,
  appQueryAccess,
  secretScopes,
  secretReferences,
];

/** Rules over each standalone AI Gateway service (`ai_gateway_services.<key>`), with its environment. */
export const SERVICE_RULES: readonly ServiceRule[] = [serviceFields, serviceCredentials, serviceSecretReferences, serviceRateLimits, mcpQpmOnly, serviceRouting, serviceDestinations, serviceGrants];

export const ENDPOINT_RULES: readonly EndpointRule[] = [
  servedEntityNames,
  servedEntityFields,
  externalModel,
  oneEntityKind,
  routing,
  rateLimits,
  guardrails,
  inferenceTable,
  inferenceSchema,
  usageTracking,
  permissions,
  createOnlyOnImport,
  identitySpelling,
  emailAddresses,
  inferenceTableNames,
  tagLengths,
  endpointWithoutConfig,
  provisionedThroughput,
  silentNoOps,
];

export type { EndpointRule, EnvironmentRule, ServiceRule } from "./rule";
