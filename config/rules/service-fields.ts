import type { AiGatewayService } from "../schema";
import { error, ServiceRule } from "./rule";

/** Fields each service type takes (beyond type, name, enabled, comment, schema, grants, rate_limits). */
const FIELDS: Record<AiGatewayService["type"], readonly string[]> = {
  model: ["destinations", "fallbacks", "first_token_timeout", "inference_table"],
  model_provider: ["provider", "openai", "anthropic", "amazon_bedrock", "azure_openai", "microsoft_foundry", "gemini_enterprise", "custom", "targets", "allow_all_targets", "inference_table"],
  mcp: ["connection", "include_tools"],
};
const REQUIRED: Record<AiGatewayService["type"], readonly string[]> = {
  model: ["destinations"],
  model_provider: ["provider"],
  mcp: ["connection"],
};
const ALL = new Set(Object.values(FIELDS).flat());

export const serviceFields: ServiceRule = {
  id: "service-fields",
  what: "A service sets the fields of its type, and its schema",
  why: "Model services route, provider services hold a provider connection, MCP services front a Unity Catalog connection; a field of another type would be silently ignored.",
  check(service, at) {
    const findings = [];
    const own = FIELDS[service.type];
    for (const key of Object.keys(service)) {
      if (ALL.has(key) && !own.includes(key) && service[key as keyof AiGatewayService] !== undefined) {
        const types = Object.entries(FIELDS).filter(([, f]) => f.includes(key)).map(([t]) => t);
        findings.push(error([...at, key], `"${key}" applies to ${types.join(" and ")} services, and this one is type ${service.type}: remove it (or change type)`, true));
      }
    }
    for (const key of REQUIRED[service.type]) {
      if (service[key as keyof AiGatewayService] === undefined) findings.push(error([...at, "type"], `a ${service.type} service needs "${key}"`));
    }
    if (service.schema === undefined) findings.push(error(at, `"schema" is required: the Unity Catalog "<catalog>.<schema>" the service lives in (set it here or in service_defaults)`, true));
    if (service.type === "model_provider" && service.allow_all_targets !== true && (service.targets ?? []).length === 0) {
      findings.push(error([...at, "targets"], `a model provider service needs "targets" (the provider models callers may use), or allow_all_targets: true`, service.targets === undefined));
    }
    return findings;
  },
};
