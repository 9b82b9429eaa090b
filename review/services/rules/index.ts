/** Every service change rule, in the order their sentences are listed for a service. */
import { serviceGrants } from "./grants";
import { serviceIdentity } from "./identity";
import { serviceInferenceTable } from "./inference-table";
import { serviceOther } from "./other";
import { serviceRateLimits } from "./rate-limits";
import { serviceRouting } from "./routing";
import type { ServiceRule } from "./rule";

export const SERVICE_RULES: readonly ServiceRule[] = [serviceIdentity, serviceRateLimits, serviceInferenceTable, serviceRouting, serviceGrants, serviceOther];

export type { ServiceRule } from "./rule";
export { SERVICE_REPLACEMENT_ADVICE } from "./identity";
