/**
 * The databricks/databricks provider version the bindings (@cdktf/provider-databricks) were
 * generated from, read from their package metadata (`cdktf.provider.version`), so upgrading the
 * bindings updates every message and the default constraint.
 */
import bindings from "@cdktf/provider-databricks/package.json";

/** `cdktf.provider.version` of a bindings package.json; throws if it is missing. */
export function providerVersionFrom(metadata: unknown): string {
  const cdktf = (metadata as { cdktf?: { provider?: { version?: unknown } } } | null)?.cdktf;
  const version = cdktf?.provider?.version;
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`expected cdktf.provider.version (x.y.z) in the bindings' package.json, got ${JSON.stringify(version)}`);
  }
  return version;
}

/** The provider version the bindings describe, e.g. "1.99.0". */
export const BINDINGS_PROVIDER_VERSION = providerVersionFrom(bindings);

/** "1.99.0" → "1.99": how messages name the provider release line. */
export function minorVersion(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/** How messages name the provider: `provider 1.99`. */
export const PROVIDER = `provider ${minorVersion(BINDINGS_PROVIDER_VERSION)}`;

/** Same, at the start of a sentence. */
export const PROVIDER_CAPITALIZED = `Provider ${minorVersion(BINDINGS_PROVIDER_VERSION)}`;

/**
 * Constraint used unless an environment sets `provider.version`: the bindings' version or any
 * later release of its major version (fixes and new optional fields), never the next major (it
 * may remove fields).
 */
export function defaultConstraint(version: string): string {
  const major = Number(version.split(".")[0]);
  return `>= ${version}, < ${major + 1}.0.0`;
}

export const DEFAULT_PROVIDER_CONSTRAINT = defaultConstraint(BINDINGS_PROVIDER_VERSION);
