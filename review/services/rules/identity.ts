import { quote } from "../../format";
import type { ServiceRule } from "./rule";

export const SERVICE_REPLACEMENT_ADVICE =
  "Terraform destroys the service and creates it again: callers of the old name get errors, its usage history starts over, and grants are applied again";

export const serviceIdentity: ServiceRule = {
  id: "service-identity",
  what: "The service's schema or name (its Unity Catalog full name) changed",
  why: "parent and the service id are immutable: a change replaces the service.",
  check(base, head) {
    if (base.fullName.toLowerCase() === head.fullName.toLowerCase()) return [];
    return [{ class: "replaces", what: `${head.kind} name`, before: quote(base.fullName), after: quote(head.fullName), advice: SERVICE_REPLACEMENT_ADVICE }];
  },
};
