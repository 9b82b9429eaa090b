import { servingEndpointEnvVar } from "../../databricks";
import { error, type EnvironmentRule, type Finding } from "./rule";

/** Aliases become app resource keys and AppKit aliases: lowercase, digits, "-" and "_". */
const ALIAS_PATTERN = /^[a-z][a-z0-9_-]*$/;

export const appBindings: EnvironmentRule = {
  id: "app-bindings",
  what: "Every app binding names an endpoint enabled in the environment, under an alias used once per app",
  why: "A databricks_app resource naming a missing endpoint fails at apply; one alias (resource key, AppKit alias, environment variable) can hold only one endpoint.",
  check(env) {
    const findings: Finding[] = [];
    for (const [key, app] of Object.entries(env.apps ?? {})) {
      const seen = new Map<string, number>();
      const vars = new Map<string, number>();
      app.bindings.forEach((b, i) => {
        const at = ["apps", key, "bindings", i] as const;
        if (!Object.hasOwn(env.endpoints, b.endpoint)) {
          findings.push(
            error(
              [...at, "endpoint"],
              `app "${key}" is bound to endpoint "${b.endpoint}", which is not in environment "${env.name}" (disabled there or not defined in gateway.yaml; enabled: ${Object.keys(env.endpoints).join(", ") || "none"}): bind an enabled endpoint, or disable the binding's app in this environment with apps.${key}.enabled: false`,
            ),
          );
        }
        const alias = b.alias ?? b.endpoint;
        const aliasAt = b.alias !== undefined ? [...at, "alias"] : [...at, "endpoint"];
        if (!ALIAS_PATTERN.test(alias)) {
          findings.push(error(aliasAt, `alias "${alias}" must start with a lowercase letter and contain only lowercase letters, digits, "-" and "_" (it becomes the app resource key that app.yaml's valueFrom names): set "alias"`));
          return;
        }
        const first = seen.get(alias);
        if (first !== undefined) {
          findings.push(error(aliasAt, `alias "${alias}" is already used by bindings[${first}] of app "${key}": an alias names one endpoint; give this binding another "alias"`));
          return;
        }
        seen.set(alias, i);
        const variable = servingEndpointEnvVar(alias);
        const clash = vars.get(variable);
        if (clash !== undefined) {
          findings.push(error(aliasAt, `alias "${alias}" and the alias of bindings[${clash}] both become the environment variable ${variable}: rename one`));
        } else {
          vars.set(variable, i);
        }
      });
    }
    return findings;
  },
};
