export * from "./governed-endpoint";
export * from "./endpoint-permissions";
export * from "./external-models";
export * from "./governed-app";
export * from "./secret-scope";
export * from "./inference-schema";
