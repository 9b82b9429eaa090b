/** Every validation rule, in the order their findings are produced (then sorted by location). */
import { emailAddresses } from "./email-notifications";
import { identitySpelling } from "./identity-spelling";
import { inferenceTableNames } from "./inference-table-names";
import type { EndpointRule, EnvironmentRule } from "./rule";
import { tagLengths } from "./tag-lengths";

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [];

export const ENDPOINT_RULES: readonly EndpointRule[] = [identitySpelling, emailAddresses, inferenceTableNames, tagLengths];

export type { EndpointRule, EnvironmentRule } from "./rule";
