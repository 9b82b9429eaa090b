import { APP_NAME_PATTERN, appName, appOutputId, MAX_APP_NAME_LENGTH } from "../../databricks";
import { error, warning, type EnvironmentRule, type Finding, type Path } from "./rule";

export const appNames: EnvironmentRule = {
  id: "app-names",
  what: "Every app name is lowercase letters, digits and hyphens, at most 30 characters, unique in its environment",
  why: "Databricks rejects other app names at create and cannot rename an app; the name is part of the app URL.",
  check(env) {
    const findings: Finding[] = [];
    const seen = new Map<string, string>();
    for (const [key, app] of Object.entries(env.apps ?? {})) {
      const name = appName(env.naming, key, app);
      const at: Path = app.name !== undefined ? ["apps", key, "name"] : ["apps", key];
      const atKey = app.name === undefined;
      const decorated = app.existing !== true && (env.naming?.prefix || env.naming?.suffix) ? " (after naming prefix/suffix)" : "";
      if (!APP_NAME_PATTERN.test(name)) {
        findings.push(error(at, `app name "${name}"${decorated} may contain only lowercase letters, digits and "-" (Databricks Apps naming): set apps.${key}.name${decorated ? " or fix naming.prefix / naming.suffix" : ""}`, atKey));
      } else if (name.length > MAX_APP_NAME_LENGTH) {
        findings.push(warning(at, `app name "${name}"${decorated} is ${name.length} characters; Databricks Apps takes at most ${MAX_APP_NAME_LENGTH}: shorten it`, atKey));
      }
      const other = seen.get(name);
      if (other !== undefined) {
        findings.push(error(at, `app name "${name}" is already used by app "${other}" in environment "${env.name}": app names are unique per workspace; give one a different "name"`, atKey));
      } else {
        seen.set(name, key);
      }
      if (Object.hasOwn(env.endpoints, appOutputId(key))) {
        findings.push(error(["apps", key], `app "${key}" has the Terraform output "${appOutputId(key)}", which is also the output of endpoint "${appOutputId(key)}": rename the app key`, true));
      }
    }
    return findings;
  },
};
