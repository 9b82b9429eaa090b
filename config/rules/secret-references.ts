import { secretReferenceScope } from "../../databricks";
import { error, type EnvironmentRule, type Finding, type Path } from "./rule";

export const secretReferences: EnvironmentRule = {
  id: "secret-references",
  what: "When an environment declares secret_scopes, every {{secrets/<scope>/<key>}} in its endpoints names a declared scope (created here or external: true)",
  why: "Databricks resolves the reference when the endpoint starts: an unknown scope fails the endpoint update, after apply.",
  check(env) {
    const scopes = env.secret_scopes;
    if (scopes === undefined) return [];
    const findings: Finding[] = [];
    const walk = (value: unknown, at: Path): void => {
      if (typeof value === "string") {
        const scope = secretReferenceScope(value);
        if (scope !== undefined && !Object.hasOwn(scopes, scope)) {
          findings.push(
            error(at, `secret scope "${scope}" is not declared in secret_scopes of environment "${env.name}" (declared: ${Object.keys(scopes).join(", ") || "none"}): declare it (secret_scopes.${scope}: { acls: [...] }) or, if it is managed elsewhere, as secret_scopes.${scope}: { external: true }`),
          );
        }
      } else if (Array.isArray(value)) {
        value.forEach((v, i) => walk(v, [...at, i]));
      } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
      }
    };
    for (const [key, endpoint] of Object.entries(env.endpoints)) walk(endpoint, ["endpoints", key]);
    return findings;
  },
};
