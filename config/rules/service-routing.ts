import { SERVICE_LIMITS } from "../../databricks/ai-gateway-services";
import type { ServiceDestination } from "../schema";
import { newerFieldProblem } from "../provider-version";
import { error, Finding, Path, ServiceRule } from "./rule";

const TARGETS = ["provider_service", "pay_per_token", "endpoint"] as const;

function checkDestination(d: ServiceDestination, dAt: Path, fallback: boolean): Finding[] {
  const findings: Finding[] = [];
  const set = TARGETS.filter((t) => d[t] !== undefined);
  if (set.length !== 1) findings.push(error(dAt, `a destination names exactly one of provider_service (with model), pay_per_token or endpoint; found ${set.length === 0 ? "none" : set.join(" and ")}`));
  if (d.provider_service !== undefined && d.model === undefined) findings.push(error(dAt, `a provider_service destination needs "model": the provider's model name, e.g. gpt-4o-mini`));
  for (const f of ["model", "native_api_types"] as const) {
    if (d[f] !== undefined && d.provider_service === undefined) findings.push(error([...dAt, f], `"${f}" applies to provider_service destinations only`, true));
  }
  if (!fallback && d.traffic_percentage === undefined) findings.push(error(dAt, `a primary destination needs "traffic_percentage" (the percentages sum to 100)`));
  if (fallback && d.traffic_percentage !== undefined) findings.push(error([...dAt, "traffic_percentage"], `fallbacks take no traffic share: they are tried in list order after the destinations fail`, true));
  return findings;
}

export const serviceRouting: ServiceRule = {
  id: "service-routing",
  what: "A model service routes to 1–10 destinations summing to 100 % and at most 5 fallbacks",
  why: "Databricks allows at most 10 primary destinations and 5 fallback destinations; traffic percentages split requests and must add up to 100. first_token_timeout is not in provider 1.132's schema, so it needs a constraint that excludes 1.132.",
  check(service, at, env) {
    if (service.type !== "model" || service.destinations === undefined) return [];
    const findings: Finding[] = [];
    const dests = service.destinations;
    const fallbacks = service.fallbacks ?? [];
    const dAt = [...at, "destinations"];
    if (dests.length === 0) findings.push(error(dAt, `no destinations: route to at least one`));
    if (dests.length > SERVICE_LIMITS.maxDestinations) findings.push(error(dAt, `${dests.length} destinations; a model service takes at most ${SERVICE_LIMITS.maxDestinations}`));
    if (fallbacks.length > SERVICE_LIMITS.maxFallbacks) findings.push(error([...at, "fallbacks"], `${fallbacks.length} fallbacks; a model service takes at most ${SERVICE_LIMITS.maxFallbacks} (tried in list order)`));
    const total = dests.reduce((sum, d) => sum + (d.traffic_percentage ?? 0), 0);
    if (dests.length > 0 && dests.every((d) => d.traffic_percentage !== undefined) && total !== 100) {
      findings.push(error(dAt, `traffic percentages sum to ${total}, expected 100: adjust them so they add up to 100`));
    }
    const names = new Map<string, string>();
    const visit = (list: readonly ServiceDestination[], field: "destinations" | "fallbacks") =>
      list.forEach((d, i) => {
        const iAt = [...at, field, i];
        findings.push(...checkDestination(d, iAt, field === "fallbacks"));
        const first = names.get(d.name);
        if (first !== undefined) findings.push(error([...iAt, "name"], `destination name "${d.name}" is already used by ${first}; names are unique within a service`));
        else names.set(d.name, `${field}[${i}]`);
      });
    visit(dests, "destinations");
    visit(fallbacks, "fallbacks");
    const newer = service.first_token_timeout !== undefined ? newerFieldProblem(env, "first_token_timeout", "remove first_token_timeout") : undefined;
    if (newer !== undefined) findings.push(error([...at, "first_token_timeout"], newer));
    return findings;
  },
};
