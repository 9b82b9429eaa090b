import { EndpointRule, Finding, warning } from "./rule";

/** Databricks' documented tag limits (Unity Catalog securable objects); none is documented for serving endpoints. */
export const TAG_LIMITS = { maxKeyLength: 255, maxValueLength: 1000 } as const;

export const tagLengths: EndpointRule = {
  id: "tag-lengths",
  what: "Tag keys are at most 255 characters and values at most 1000, without surrounding white space.",
  why:
    "The serving-endpoints API reference documents no length for endpoint tags; the tag limits Databricks does document " +
    "(Unity Catalog tags: key at most 255 characters, value at most 1000, no leading or trailing spaces; " +
    "docs.databricks.com/aws/en/database-objects/tags) are the bound used here, as a warning. Endpoint tags are copied " +
    "into billing logs, where an overlong or padded key breaks cost attribution.",
  check(endpoint, at) {
    const findings: Finding[] = [];
    for (const [key, value] of Object.entries(endpoint.tags ?? {})) {
      const where = [...at, "tags", key];
      if (key.length > TAG_LIMITS.maxKeyLength) {
        findings.push(warning(where, `tag key is ${key.length} characters; Databricks documents tag keys of at most ${TAG_LIMITS.maxKeyLength}: shorten it`, true));
      } else if (key.trim() !== key) {
        findings.push(warning(where, `tag key ${JSON.stringify(key)} has white space around it, which Databricks does not allow in tag keys: remove it`, true));
      }
      if (value.length > TAG_LIMITS.maxValueLength) {
        findings.push(warning(where, `tag value is ${value.length} characters; Databricks documents tag values of at most ${TAG_LIMITS.maxValueLength}: shorten it`));
      }
    }
    return findings;
  },
};
