/**
 * How a credential is written: a Databricks secret reference, `{{secrets/<scope>/<key>}}`, which the
 * serving endpoint resolves at run time. A literal value would land in Terraform state and plans.
 *
 * @see https://docs.databricks.com/aws/en/security/secrets/
 */

/** `{{secrets/<scope>/<key>}}`, exactly. */
export const SECRET_REFERENCE_PATTERN = /^\{\{secrets\/[^/\s{}]+\/[^/\s{}]+\}\}$/;

/** What to write instead of a literal credential (config and construct messages). */
export const SECRET_REFERENCE_HINT =
  "a credential must be a Databricks secret reference like {{secrets/<scope>/<key>}}; store the value with `databricks secrets put-secret <scope> <key>` and reference it";

export function isSecretReference(value: string): boolean {
  return SECRET_REFERENCE_PATTERN.test(value);
}
