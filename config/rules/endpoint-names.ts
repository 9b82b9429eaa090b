import { endpointName, LIMITS, NAME_PATTERN } from "../../databricks";
import { error, type EnvironmentRule, type Finding, type Path } from "./rule";

export const endpointNames: EnvironmentRule = {
  id: "endpoint-names",
  what: "Every endpoint name (after naming prefix/suffix) is valid, at most 63 characters, and unique in its environment",
  why: "Databricks names endpoints per workspace; a second endpoint with one name fails at apply, and the serving-endpoints API takes a name of [1 .. 63] characters (API reference, e.g. PATCH /api/2.0/serving-endpoints/{name}/tags), so a longer one fails at create.",
  check(env) {
    const findings: Finding[] = [];
    const seen = new Map<string, string>();
    for (const key of Object.keys(env.endpoints)) {
      const name = endpointName(env.naming, env.endpoints[key].name ?? key);
      const at: Path = env.endpoints[key].name !== undefined ? ["endpoints", key, "name"] : ["endpoints", key];
      if (!NAME_PATTERN.test(name)) {
        findings.push(
          error(["naming"], `endpoint name "${name}" (after naming prefix/suffix) may contain only letters, digits, "_" and "-": fix naming.prefix / naming.suffix`),
        );
      } else if (name.length > LIMITS.maxEndpointNameLength) {
        findings.push(
          error(at, `endpoint name "${name}" is ${name.length} characters; Databricks accepts at most ${LIMITS.maxEndpointNameLength}, so creating it fails: shorten the name or the naming prefix/suffix`, at.length === 2),
        );
      }
      const other = seen.get(name);
      if (other !== undefined) {
        findings.push(
          error(at, `endpoint name "${name}" is already used by endpoint "${other}" in environment "${env.name}"; endpoint names must be unique per environment: give one a different "name"`, at.length === 2),
        );
      } else {
        seen.set(name, key);
      }
    }
    return findings;
  },
};
