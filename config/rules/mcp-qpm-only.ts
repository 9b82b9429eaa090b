import { error, Finding, ServiceRule } from "./rule";

export const mcpQpmOnly: ServiceRule = {
  id: "mcp-qpm-only",
  what: "MCP services take request limits per minute (QPM) only",
  why: "An MCP tool call has no token count, and MCP service limits are queries per minute (issue 14; Databricks MCP service docs).",
  check(service, at) {
    if (service.type !== "mcp") return [];
    const findings: Finding[] = [];
    (service.rate_limits ?? []).forEach((l, i) => {
      const iAt = [...at, "rate_limits", i];
      if (l.tokens !== undefined) findings.push(error([...iAt, "tokens"], `MCP services take "requests" (queries per minute) only, not "tokens": remove it`, true));
      if (l.renewal_period === "hour") findings.push(error([...iAt, "renewal_period"], `MCP services take per-minute limits only: use renewal_period: minute (or leave it out) and requests per minute`));
    });
    return findings;
  },
};
