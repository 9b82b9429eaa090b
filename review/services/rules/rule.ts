/**
 * A service change rule: one small pure function comparing one aspect of a standalone AI Gateway
 * service between base and head, worded with the same classes as the endpoint rules.
 */
import type { Finding } from "../../types";
import type { ServiceView } from "../view";

export type { Finding };

export interface ServiceRule {
  readonly id: string;
  readonly what: string;
  readonly why: string;
  readonly check: (base: ServiceView, head: ServiceView) => Finding[];
}
