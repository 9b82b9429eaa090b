import { checkProviderVersion } from "../provider-version";
import type { EnvironmentRule } from "./rule";

export const providerVersion: EnvironmentRule = {
  id: "provider-version",
  what: "provider.version parses as a Terraform constraint, includes the bindings' version and excludes the next major",
  why: "A bad constraint only fails at terraform init in CI, after the merge; a new major version may remove fields the stack writes.",
  check: checkProviderVersion,
};
