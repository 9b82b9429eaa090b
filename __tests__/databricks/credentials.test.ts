import { findCredential, isCredentialName, mayCarryCredentials, redact, redactCredentials, urlHasUserinfo } from "../../databricks/credentials";

/** Realistic-length planted values (not real keys); each must be found, and shown only as its prefix. */
export const PLANTED: ReadonlyArray<[string, string]> = [
  ["sk-proj-Zq3vN8xR2mK7pL4tW9yB1cF6hJ0dS5gA", "sk-proj-…"],
  ["sk-ant-api03-Hk8Tq2Wn6Vp1Lz9Rx4Bm7Cy3Fd0Gs5", "sk-ant-…"],
  ["sk-Tq2Wn6Vp1Lz9Rx4Bm7Cy3Fd0Gs5Hk8Jq", "sk-…"],
  ["dapi3f1c9e7a5b2d4f6081a3c5e7b9d1f2a4", "dapi…"],
  ["dapi3f1c9e7a5b2d4f6081a3c5e7b9d1f2a4-2", "dapi…"],
  ["ghp_Zq3vN8xR2mK7pL4tW9yB1cF6hJ0dS5gAk2Lm", "ghp_…"],
  ["gho_Zq3vN8xR2mK7pL4tW9yB1cF6hJ0dS5gAk2Lm", "gho_…"],
  ["github_pat_11AZQ3VN80Zq3vN8xR2mK7_pL4tW9yB1cF6hJ0dS5gA", "github_pat_…"],
  ["AKIAZQ3VN8XR2MK7PL4T", "AKIA…"],
  ["ASIAZQ3VN8XR2MK7PL4T", "ASIA…"],
  ["xoxb-2048-Zq3vN8xR2mK7pL4tW9", "xoxb-…"],
  ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.Zq3vN8xR2mK7pL4tW9yB1c", "eyJ…"],
  ["-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN…"],
  ["https://AKIAZQ3VN8:s3cr3t@minio.acme.internal", "https://…@…"],
];

describe("findCredential: well-known shapes anywhere in a string", () => {
  test.each(PLANTED)("%s", (value, shown) => {
    for (const text of [value, `prefix ${value} suffix`]) {
      const found = findCredential(text);
      expect(found?.shown).toBe(shown);
      expect(redact(text)).toBe(shown);
      expect(redactCredentials(text)).not.toContain(value);
      expect(redactCredentials(text)).toContain(shown);
    }
  });

  test.each(["llm/v1/chat", "gpt-4o-mini", "ml.models.ranker", "{{secrets/llm/openai}}", "risk-assessment-for-the-2024-q3-team", "https://api.openai.com/v1", "arn:aws:iam::123456789012:instance-profile/serving", "claude-sonnet-4-5-20250929", "analysts@acme.com"])(
    "not a credential: %s",
    (value) => {
      expect(findCredential(value)).toBeUndefined();
      expect(findCredential(value, "OPENAI_AUTH")).toBeUndefined();
    },
  );

  test("a random-looking value is a credential only under a credential-like name", () => {
    const value = "Xy7Qp2Lm9Zr4Tn8Vb3Kd6Hs1";
    expect(findCredential(value)).toBeUndefined();
    expect(findCredential(value, "cost_center")).toBeUndefined();
    for (const name of ["OPENAI_AUTH", "API_TOKEN", "apiKey", "x-api-key", "client_secret", "DB_PASSWORD"]) {
      expect(findCredential(value, name)?.shown).toBe("…");
    }
  });

  test("a credential in a URL's query, under the parameter's name", () => {
    expect(findCredential("https://llm.acme.com/v1?api-key=Xy7Qp2Lm9Zr4Tn8Vb3Kd6Hs1")?.shown).toBe("…");
    expect(findCredential("https://llm.acme.com/v1?api-version=2024-06-01")).toBeUndefined();
  });
});

describe("names and URLs", () => {
  test.each([
    ["OPENAI_AUTH", true],
    ["openai_api_key", true],
    ["aws_access_key_id", true],
    ["API_TOKEN", true],
    ["clientSecret", true],
    ["key", false],
    ["tokens", false],
    ["max_tokens", false],
    ["kms_key_id", false],
    ["author", false],
    ["client_id", false],
  ])("isCredentialName(%s) = %s", (name, expected) => {
    expect(isCredentialName(name)).toBe(expected);
  });

  test("userinfo, query, fragment or no parse may carry credentials; never throws", () => {
    expect(urlHasUserinfo("https://user@host")).toBe(true);
    expect(urlHasUserinfo("https://host/a@b")).toBe(false);
    for (const url of ["dapi123", "", "https://", "https://u:p@h", "https://h/?token=x", "https://h/#x", "https://h h"]) {
      expect(mayCarryCredentials(url)).toBe(true);
    }
    expect(mayCarryCredentials("https://dbc-1.cloud.databricks.com")).toBe(false);
  });
});
