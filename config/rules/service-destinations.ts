import { SYSTEM_MODEL_CATALOG_PREFIX } from "../../databricks";
import type { ServiceDestination } from "../schema";
import { error, Finding, ServiceRule, warning } from "./rule";

export const serviceDestinations: ServiceRule = {
  id: "service-destinations",
  what: "Destinations name a provider service, endpoint or model that exists in this environment",
  why: "A model service fails to create (or fails closed at request time) when a destination's provider service, model or serving endpoint does not exist.",
  check(service, at, env) {
    if (service.type !== "model") return [];
    const services = env.ai_gateway_services ?? {};
    const findings: Finding[] = [];
    const visit = (list: readonly ServiceDestination[] | undefined, field: string) =>
      (list ?? []).forEach((d, i) => {
        const dAt = [...at, field, i];
        if (d.provider_service !== undefined) {
          const target = services[d.provider_service];
          const providers = Object.entries(services).filter(([, s]) => s.type === "model_provider").map(([k]) => k);
          if (!target) findings.push(error([...dAt, "provider_service"], `provider_service "${d.provider_service}" is not a service of environment "${env.name}" (model provider services: ${providers.join(", ") || "none"})`));
          else if (target.type !== "model_provider") findings.push(error([...dAt, "provider_service"], `"${d.provider_service}" is a ${target.type} service; provider_service names a model_provider service (${providers.join(", ") || "none"})`));
          else if (d.model !== undefined && target.allow_all_targets !== true && !(target.targets ?? []).some((t) => t.model === d.model)) {
            const models = (target.targets ?? []).map((t) => t.model);
            findings.push(error([...dAt, "model"], `model "${d.model}" is not a target of provider service "${d.provider_service}" (targets: ${models.join(", ") || "none"}): add it to its targets, or set allow_all_targets there`));
          }
        }
        if (d.endpoint !== undefined) {
          const endpoint = env.endpoints[d.endpoint];
          if (!endpoint) {
            findings.push(error([...dAt, "endpoint"], `endpoint "${d.endpoint}" is not an endpoint of environment "${env.name}" (endpoints: ${Object.keys(env.endpoints).join(", ") || "none"})`));
          } else if ((endpoint.served_entities ?? []).some((e) => e.external_model)) {
            findings.push(error([...dAt, "endpoint"], `endpoint "${d.endpoint}" serves external models; a model service reaches external providers through model provider services: register its providers as type model_provider services and route to those`));
          } else if (!(endpoint.served_entities ?? []).some((e) => e.entity_name?.startsWith(SYSTEM_MODEL_CATALOG_PREFIX) || e.max_provisioned_throughput !== undefined || e.provisioned_model_units !== undefined)) {
            findings.push(warning([...dAt, "endpoint"], `endpoint "${d.endpoint}" does not look like a provisioned-throughput foundation model, the only kind of serving endpoint a model service routes to`));
          }
        }
      });
    visit(service.destinations, "destinations");
    visit(service.fallbacks, "fallbacks");
    return findings;
  },
};
