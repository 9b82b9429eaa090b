export * from "./governed-endpoint";
export * from "./endpoint-permissions";
export * from "./external-models";
