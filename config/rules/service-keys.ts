import { TERRAFORM_NAME_PATTERN } from "../../databricks";
import { EnvironmentRule, error } from "./rule";

export const serviceKeys: EnvironmentRule = {
  id: "service-keys",
  what: "Service keys are valid Terraform addresses and service names are unique per schema",
  why: "The key becomes the Terraform logical id (renaming it replaces the service); model, provider and MCP services share one name space per Unity Catalog schema.",
  check(env) {
    const findings = [];
    const seen = new Map<string, string>();
    for (const [key, service] of Object.entries(env.ai_gateway_services ?? {})) {
      if (!TERRAFORM_NAME_PATTERN.test(key)) {
        findings.push(error(["ai_gateway_services", key], `invalid service key "${key}": keys become Terraform addresses and must match [A-Za-z_][A-Za-z0-9_-]*; set the service's name with "name" instead`, true));
      }
      const full = `${service.schema ?? "?"}.${service.name ?? key}`.toLowerCase();
      const other = seen.get(full);
      if (other !== undefined) findings.push(error(["ai_gateway_services", key], `service "${full}" is already defined by "${other}": services in one schema need different names`, true));
      else seen.set(full, key);
    }
    return findings;
  },
};
