export * from "./governed-endpoint";
export * from "./endpoint-permissions";
export * from "./external-models";
export * from "./ai-gateway-service-common";
export * from "./ai-gateway-model-service";
export * from "./ai-gateway-model-provider-service";
export * from "./ai-gateway-mcp-service";
export * from "./ai-gateway-service-grants";
