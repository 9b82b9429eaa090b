import { SERVICE_GRANTS_MIN_PROVIDER } from "../../databricks/ai-gateway-services";
import { admitsReleaseBelow, serviceProviderFloor } from "../provider-version";
import { EnvironmentRule, error } from "./rule";

export const serviceProviderVersion: EnvironmentRule = {
  id: "service-provider-version",
  what: "An environment with standalone AI Gateway services allows no provider older than the one that has them",
  why: "databricks provider 1.124.0 added the services and 1.127.0 grants on them: an older provider fails terraform plan with an unknown resource type or attribute.",
  check(env) {
    const floor = serviceProviderFloor(env);
    const constraint = env.provider?.version;
    if (floor === undefined || constraint === undefined || !admitsReleaseBelow(constraint, floor)) return [];
    const why = floor === SERVICE_GRANTS_MIN_PROVIDER ? "grants on AI Gateway services need" : "AI Gateway services (ai_gateway_services) need";
    return [error(["provider", "version"], `"${constraint}" allows databricks provider versions below ${floor}, and ${why} ${floor} or later: raise the lower bound, e.g. ">= ${floor}, < 2.0.0"`)];
  },
};
