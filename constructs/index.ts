export * from "./governed-endpoint";
export * from "./endpoint-permissions";
export * from "./external-models";
export * from "./governed-endpoint-validation";
export * from "./props-problems";
