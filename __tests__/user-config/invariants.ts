/**
 * What must hold for ANY valid config, whatever endpoints and environments it has: the checks
 * __tests__/user-config/config.test.ts runs on the user's own config/, as plain functions so a
 * test can run them on a mutated copy too. Nothing here knows the example's endpoints or
 * environments.
 */
import { formatProblem } from "../../config/errors";
import { loadConfig } from "../../config/load";
import type { EnvironmentConfig } from "../../config/schema";
import { synthesizeInMemory } from "../../stacks/synth-memory";

/** The command that updates the reviewed snapshots of config/, after reading the diff. */
export const UPDATE_SNAPSHOTS = "npm run snapshots";

export interface ConfigCheck {
  /** Validation errors, formatted `file:line:col path: message` (warnings are allowed). */
  readonly errors: string[];
  readonly environments: EnvironmentConfig[];
}

/** Loads and validates a config directory. */
export function validate(configDir: string): ConfigCheck {
  const result = loadConfig(configDir);
  return {
    errors: result.problems.filter((p) => p.severity === "error").map(formatProblem),
    environments: result.environments.map((e) => e.config),
  };
}

/** Terraform JSON text of every environment's stack, by environment name. */
export function synthesizeText(environments: readonly EnvironmentConfig[]): Record<string, string> {
  const stacks = synthesizeInMemory(environments);
  return Object.fromEntries(Object.entries(stacks).map(([name, json]) => [name, JSON.stringify(json, null, 2)]));
}

/**
 * Every invariant at once, as a list of violations (empty for a good config): it validates, it
 * synthesizes one stack per environment with at least a provider, and synthesizing it again gives
 * byte-identical output.
 */
export function invariantViolations(configDir: string): string[] {
  return checkInvariants(configDir).violations;
}

/** The violations, and the synthesized stacks (parsed, by environment) when there are none. */
export function checkInvariants(configDir: string): { violations: string[]; stacks: Record<string, any> } {
  const { errors, environments } = validate(configDir);
  if (errors.length > 0) return { violations: errors.map((e) => `does not validate: ${e}`), stacks: {} };
  if (environments.length === 0) return { violations: ["no environments"], stacks: {} };
  let first: Record<string, string>;
  let second: Record<string, string>;
  try {
    first = synthesizeText(environments);
    second = synthesizeText(validate(configDir).environments);
  } catch (e) {
    return { violations: [`does not synthesize: ${e instanceof Error ? e.message : String(e)}`], stacks: {} };
  }
  const violations: string[] = [];
  const stacks: Record<string, any> = {};
  for (const env of environments) {
    const text = first[env.name];
    if (text === undefined || !JSON.parse(text).provider?.databricks) violations.push(`gateway-${env.name}: no stack with a databricks provider`);
    else if (second[env.name] !== text) violations.push(`gateway-${env.name}: a second synthesis differs from the first`);
    else stacks[env.name] = JSON.parse(text);
  }
  return { violations, stacks };
}
