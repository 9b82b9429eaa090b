export * from "./governed-endpoint";
export * from "./endpoint-permissions";
export * from "./external-models";
export * from "./provisioned-throughput-endpoint";
