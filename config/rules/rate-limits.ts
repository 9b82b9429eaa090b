import { LIMITS } from "../../databricks";
import { error, warning, type EndpointRule, type Finding, type Path } from "./rule";

export const rateLimits: EndpointRule = {
  id: "rate-limits",
  what: "Each rate limit has calls or tokens, a principal exactly for user_group / service_principal keys, and is the only one for its key and principal",
  why: "Databricks rejects group and service principal limits without a principal; two limits for one principal are ambiguous; the count per endpoint is limited.",
  check(endpoint, at) {
    const limits = endpoint.ai_gateway?.rate_limits ?? [];
    const lAt: Path = [...at, "ai_gateway", "rate_limits"];
    const findings: Finding[] = [];
    const seen = new Map<string, number>();
    limits.forEach((limit, i) => {
      const itemAt = [...lAt, i];
      if ((limit.key === "user_group" || limit.key === "service_principal") && limit.principal === undefined) {
        const what = limit.key === "user_group" ? "a group name" : "the service principal's application id";
        findings.push(error(itemAt, `a "${limit.key}" rate limit needs "principal" (${what})`));
      }
      if (limit.key === "endpoint" && limit.principal !== undefined) {
        findings.push(error([...itemAt, "principal"], `an "endpoint" rate limit is a global cap and takes no "principal": remove it, or use key user_group / service_principal / user`));
      }
      if (limit.calls === undefined && limit.tokens === undefined) {
        findings.push(error(itemAt, `a rate limit needs "calls" (queries per minute) or "tokens" (tokens per minute), or both`));
      }
      const id = `${limit.key}\0${limit.principal ?? ""}`;
      const first = seen.get(id);
      if (first !== undefined) {
        const who = limit.principal ? `key ${limit.key}, principal ${limit.principal}` : `key ${limit.key}`;
        findings.push(error(itemAt, `a second rate limit for ${who} (the first is rate_limits[${first}]): put calls and tokens in one entry`));
      } else {
        seen.set(id, i);
      }
    });
    if (limits.length > LIMITS.maxRateLimits) {
      findings.push(warning(lAt, `${limits.length} rate limits; Databricks documents at most ${LIMITS.maxRateLimits} per endpoint`));
    }
    const groups = limits.filter((l) => l.key === "user_group").length;
    if (groups > LIMITS.maxGroupRateLimits) {
      findings.push(warning(lAt, `${groups} user_group rate limits; Databricks documents at most ${LIMITS.maxGroupRateLimits} per endpoint`));
    }
    return findings;
  },
};
