import { DEFAULT_SERVICE_RENEWAL_PERIOD, PRINCIPAL_KEYS, SERVICE_LIMITS } from "../../databricks/ai-gateway-services";
import { newerFieldProblem } from "../provider-version";
import { error, Finding, ServiceRule } from "./rule";

export const serviceRateLimits: ServiceRule = {
  id: "service-rate-limits",
  what: "At most 20 rate limits and 5 group limits per service; each names who it limits and what",
  why: "Databricks documents 20 limits and 5 user-group limits per service; user, user_group and service_principal limits need a principal, the others must not have one, request_tag limits need the tag and a provider newer than 1.132, whose schema lacks them.",
  check(service, at, env) {
    const limits = service.rate_limits ?? [];
    const lAt = [...at, "rate_limits"];
    const findings: Finding[] = [];
    if (limits.length > SERVICE_LIMITS.maxRateLimits) findings.push(error(lAt, `${limits.length} rate limits; a service takes at most ${SERVICE_LIMITS.maxRateLimits}: merge or remove some`));
    const groups = limits.filter((l) => l.key === "user_group").length;
    if (groups > SERVICE_LIMITS.maxGroupRateLimits) findings.push(error(lAt, `${groups} user_group rate limits; a service takes at most ${SERVICE_LIMITS.maxGroupRateLimits}`));
    const seen = new Map<string, number>();
    limits.forEach((l, i) => {
      const iAt = [...lAt, i];
      const needsPrincipal = PRINCIPAL_KEYS.includes(l.key);
      if (needsPrincipal && l.principal === undefined) {
        const what = l.key === "user" ? "a user's e-mail (for every user, use key user_default)" : l.key === "user_group" ? "a group name" : "the service principal's application id";
        findings.push(error(iAt, `a "${l.key}" rate limit needs "principal": ${what}`));
      }
      if (!needsPrincipal && l.principal !== undefined) findings.push(error([...iAt, "principal"], `a "${l.key}" rate limit takes no "principal"; use key ${PRINCIPAL_KEYS.join(" / ")} to limit one principal`, true));
      if (l.key === "request_tag" && l.request_tag === undefined) findings.push(error(iAt, `a "request_tag" rate limit needs request_tag: { key: <tag>, value: <optional value> }`));
      if (l.key !== "request_tag" && l.request_tag !== undefined) findings.push(error([...iAt, "request_tag"], `"request_tag" applies to key request_tag only`, true));
      const newer = l.key === "request_tag" && l.request_tag !== undefined ? newerFieldProblem(env, "a request_tag rate limit", "remove this limit") : undefined;
      if (newer !== undefined) findings.push(error([...iAt, "key"], newer));
      if (l.requests === undefined && l.tokens === undefined) findings.push(error(iAt, `a rate limit needs "requests" or "tokens" (per renewal_period, default a ${DEFAULT_SERVICE_RENEWAL_PERIOD}), or both`));
      const id = [l.key, l.principal ?? "", l.request_tag?.key ?? "", l.request_tag?.value ?? "", l.renewal_period ?? DEFAULT_SERVICE_RENEWAL_PERIOD].join("\0");
      const first = seen.get(id);
      if (first !== undefined) findings.push(error(iAt, `the same scope as rate_limits[${first}] (key, principal, tag and renewal period): put requests and tokens in one entry`));
      else seen.set(id, i);
    });
    return findings;
  },
};
