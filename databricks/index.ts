/**
 * Pure Databricks facts: what the serving API and provider 1.99 accept, one owner per fact.
 * No cdktf, no YAML, no zod: config/, constructs/, stacks/ and review/ import from here.
 */
export * from "./apps";
export * from "./credentials";
export * from "./enums";
export * from "./entities";
export * from "./fields";
export * from "./limits";
export * from "./naming";
export * from "./provider-version";
export * from "./providers";
export * from "./secret-reference";
export * from "./system-endpoints";
export * from "./timeouts";
export * from "./ai-gateway-services";
