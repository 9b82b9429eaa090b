import { allows, checkProviderVersion, parseConstraint } from "../../config/provider-version";
import { BINDINGS_PROVIDER_VERSION, DEFAULT_PROVIDER_CONSTRAINT } from "../../databricks";
import type { EnvironmentConfig } from "../../config/schema";

const env = (version?: string): EnvironmentConfig => ({
  name: "dev",
  workspace: { host: "https://dbc-1.cloud.databricks.com" },
  provider: version === undefined ? undefined : { version },
  endpoints: {},
});

describe("constraint syntax (each case checked against `terraform init` 1.11)", () => {
  test.each([
    ">= 1.99.0, < 2.0.0",
    "~> 1.99",
    "~> 1",
    "1.99.0",
    "= 1.99.0",
    "!= 1.100.0",
    ">=1.99",
    " >= 1.99.0 , <2.0.0 ",
    "~> 1.99.0-beta",
    ">1.99.0+abc",
  ])("accepts %j", (c) => {
    expect(parseConstraint(c).ok).toBe(true);
  });

  test.each<[string, string]>([
    ["v1.99.0", '"v1.99.0": drop the "v" prefix'],
    ["latest", '"latest" is not an operator and a version'],
    [">= 1.99.0 < 2.0.0", '">= 1.99.0 < 2.0.0" is not an operator and a version: separate terms with commas'],
    ["", "it is empty"],
    ["1.x", '"1.x" is not an operator and a version: wildcards and ^ are not Terraform syntax; use ~> or a range'],
    ["^1.99", '"^1.99" is not an operator and a version: wildcards and ^ are not Terraform syntax; use ~> or a range'],
    [">= 1.99.0,, < 2", "it has an empty term between commas"],
    ["1.99.0.1", '"1.99.0.1" is not an operator and a version'],
  ])("rejects %j", (c, reason) => {
    expect(parseConstraint(c)).toEqual({ ok: false, reason });
  });
});

describe("which versions a constraint allows", () => {
  const allowed = (c: string, v: string) => {
    const parsed = parseConstraint(c);
    if (!parsed.ok) throw new Error(parsed.reason);
    return allows(parsed.terms, v);
  };
  test.each<[string, string, boolean]>([
    [DEFAULT_PROVIDER_CONSTRAINT, "1.99.0", true],
    [DEFAULT_PROVIDER_CONSTRAINT, "1.124.0", true],
    [DEFAULT_PROVIDER_CONSTRAINT, "1.98.9", false],
    [DEFAULT_PROVIDER_CONSTRAINT, "2.0.0", false],
    ["~> 1.99", "1.150.3", true],
    ["~> 1.99", "2.0.0", false],
    ["~> 1.99.0", "1.99.7", true],
    ["~> 1.99.0", "1.100.0", false],
    ["~> 1.100", "1.99.0", false],
    ["= 1.99", "1.99.4", true],
    ["1.99.0", "1.99.1", false],
    ["!= 1.99.0", "1.99.0", false],
    ["> 1.99.0", "1.99.0", false],
    ["<= 1.99.0", "1.99.0", true],
    ["~> 1.99.0-beta", "1.99.0", false],
  ])("%j allows %s: %s", (c, v, expected) => {
    expect(allowed(c, v)).toBe(expected);
  });
});

describe("checkProviderVersion", () => {
  test("no findings when provider.version is not set (the default applies)", () => {
    expect(checkProviderVersion(env())).toEqual([]);
  });

  test.each([DEFAULT_PROVIDER_CONSTRAINT, "~> 1.99", "~> 1.99.0", "1.99.0", ">= 1.99.0, < 1.120.0"])(
    "no findings for %j",
    (c) => {
      expect(checkProviderVersion(env(c))).toEqual([]);
    },
  );

  test("an unparseable constraint is an error at provider.version", () => {
    expect(checkProviderVersion(env(">= 1.99 < 2"))).toEqual([
      {
        severity: "error",
        path: ["provider", "version"],
        message: `expected a Terraform version constraint such as ">= 1.99.0, < 2.0.0" or "~> 1.99", got ">= 1.99 < 2": ">= 1.99 < 2" is not an operator and a version: separate terms with commas`,
      },
    ]);
  });

  test("a constraint that excludes the bindings' version is a warning naming it", () => {
    expect(BINDINGS_PROVIDER_VERSION).toBe("1.99.0");
    expect(checkProviderVersion(env("~> 1.110"))).toEqual([
      {
        severity: "warning",
        path: ["provider", "version"],
        message: `"~> 1.110" excludes 1.99.0, the databricks provider version the bindings (@cdktf/provider-databricks) were generated from: Terraform may reject or silently ignore fields the stack writes; include 1.99.0 or upgrade @cdktf/provider-databricks to bindings of the version you need`,
      },
    ]);
  });

  test.each([">= 1.99.0", "!= 1.100.0", "> 1.0"])("%j admitting 2.x is a warning", (c) => {
    const findings = checkProviderVersion(env(c));
    const messages = findings.map((f) => f.message);
    expect(messages).toContain(
      `"${c}" allows databricks provider 2.x, where fields the stack writes may be renamed or removed: add an upper bound such as "< 2.0.0"`,
    );
  });

  test("~> 1 stays below 2.0.0 and includes 1.99.0 (no findings)", () => {
    // Terraform (apparentlymart/go-versions) reads "~> 1" like "~> 1.0": >= 1.0.0, < 2.0.0.
    expect(checkProviderVersion(env("~> 1"))).toEqual([]);
  });
});
