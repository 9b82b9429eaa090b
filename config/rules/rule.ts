/**
 * A validation rule: one small pure function over the merged, schema-valid config. Each rule has
 * an id (stable, shown nowhere yet but used in tests), a one-line what, and a why (the Databricks
 * or provider fact it encodes). Findings carry a path into the effective environment; the loader
 * turns it into file:line:col of the layer that set the value.
 *
 * Add a rule: a new file in this folder exporting one `EnvironmentRule` or `EndpointRule`, listed
 * in `index.ts`, with a test that has a compliant and a non-compliant case.
 */
import type { Finding, PathSegment } from "../errors";
import type { AiGatewayService, Endpoint, EnvironmentConfig } from "../schema";

export type { Finding };
export type Path = ReadonlyArray<PathSegment>;

/** A rule over a whole environment (names across endpoints, state, provider). */
export interface EnvironmentRule {
  readonly id: string;
  readonly what: string;
  readonly why: string;
  readonly check: (env: EnvironmentConfig) => Finding[];
}

/** A rule over one endpoint on its own; also run when other parts of the environment are invalid. */
export interface EndpointRule {
  readonly id: string;
  readonly what: string;
  readonly why: string;
  readonly check: (endpoint: Endpoint, at: Path) => Finding[];
}

/**
 * A rule over one standalone AI Gateway service (`ai_gateway_services.<key>`), with its
 * environment for references (other services, endpoints, provider version).
 */
export interface ServiceRule {
  readonly id: string;
  readonly what: string;
  readonly why: string;
  readonly check: (service: AiGatewayService, at: Path, env: EnvironmentConfig) => Finding[];
}

export const error = (path: Path, message: string, atKey = false): Finding => ({ severity: "error", path, message, atKey });
export const warning = (path: Path, message: string, atKey = false): Finding => ({ severity: "warning", path, message, atKey });

/** "a custom model", "an external model", `an "openai_config"`. */
export function withArticle(noun: string): string {
  return /^"?[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}
