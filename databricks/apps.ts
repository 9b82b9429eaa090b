import { endpointName, type Naming } from "./naming";

/**
 * Databricks Apps, secret scopes and Unity Catalog schema facts (provider 1.99: databricks_app,
 * databricks_secret_scope, databricks_secret_acl, databricks_schema, databricks_grants).
 */

/**
 * App names: lowercase letters, digits and hyphens, unique per workspace, fixed after creation
 * (provider docs/resources/app.md; Databricks Apps "create an app" notes).
 */
export const APP_NAME_PATTERN = /^[a-z0-9-]+$/;

/**
 * The longest app name we let through without a warning. Not in the API reference: the Apps UI
 * limits names to 30 characters, and the app URL `<name>-<workspace id>.<region>.databricksapps.com`
 * must fit a 63-character DNS label. A warning, not an error (unverified against the API).
 */
export const MAX_APP_NAME_LENGTH = 30;

/** `resources[].serving_endpoint.permission` of a databricks_app (provider 1.99). */
export const APP_SERVING_ENDPOINT_PERMISSIONS = ["CAN_QUERY", "CAN_VIEW", "CAN_MANAGE"] as const;
export type AppServingEndpointPermission = (typeof APP_SERVING_ENDPOINT_PERMISSIONS)[number];

/** What an app resource binding grants unless the config says otherwise. */
export const DEFAULT_APP_ENDPOINT_PERMISSION: AppServingEndpointPermission = "CAN_QUERY";

/** Serving endpoint permission levels that allow sending queries. */
export const QUERYING_LEVELS: readonly string[] = ["CAN_QUERY", "CAN_MANAGE"];

/**
 * app.yaml `valueFrom` names an app resource by its key (`resources[].name`); for a serving
 * endpoint resource the variable resolves to the endpoint name (Databricks Apps docs,
 * "valueFrom reference"). Resource keys: lowercase letters, digits, "-" and "_".
 */
export const APP_RESOURCE_KEY_PATTERN = /^[a-z0-9_-]+$/;

/** `databricks_secret_acl.permission`. */
export const SECRET_ACL_PERMISSIONS = ["READ", "WRITE", "MANAGE"] as const;
export type SecretAclPermission = (typeof SECRET_ACL_PERMISSIONS)[number];

/** Secret scope names: letters, digits, "-", "_", "." and "@", at most 128 characters. */
export const SECRET_SCOPE_NAME_PATTERN = /^[A-Za-z0-9_.@-]{1,128}$/;

/** `{{secrets/<scope>/<key>}}`: what Databricks resolves in serving endpoint config. */
export const SECRET_REFERENCE = /^\{\{secrets\/([^/\s{}]+)\/([^/\s{}]+)\}\}$/;

/** The scope a `{{secrets/<scope>/<key>}}` reference names, or undefined for other strings. */
export function secretReferenceScope(value: string): string | undefined {
  return SECRET_REFERENCE.exec(value)?.[1];
}

/** Unity Catalog privileges on a schema that `databricks_grants` accepts (the common ones). */
export const SCHEMA_PRIVILEGES = [
  "ALL_PRIVILEGES",
  "APPLY_TAG",
  "CREATE_FUNCTION",
  "CREATE_MATERIALIZED_VIEW",
  "CREATE_MODEL",
  "CREATE_TABLE",
  "CREATE_VOLUME",
  "EXECUTE",
  "MANAGE",
  "MODIFY",
  "READ_VOLUME",
  "REFRESH",
  "SELECT",
  "USE_SCHEMA",
  "WRITE_VOLUME",
] as const;
export type SchemaPrivilege = (typeof SCHEMA_PRIVILEGES)[number];

/** The environment variable an app reads an alias's endpoint name from: `DATABRICKS_SERVING_ENDPOINT_<ALIAS>`. */
export function servingEndpointEnvVar(alias: string): string {
  return `DATABRICKS_SERVING_ENDPOINT_${alias.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** The Terraform output of an app: `app_<key>`, beside the endpoints' outputs. */
export function appOutputId(key: string): string {
  return `app_${key}`;
}

/** The app name Databricks sees: apps the stack creates take the naming prefix/suffix, existing ones keep their name. */
export function appName(naming: Naming | undefined, key: string, app: { readonly name?: string; readonly existing?: boolean }): string {
  const base = app.name ?? key;
  return app.existing === true ? base : endpointName(naming, base);
}
