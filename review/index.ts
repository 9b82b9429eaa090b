/**
 * Reviewing a gateway change from synthesized Terraform JSON: the policy report, who gets what,
 * and every change with its class. Pure functions only; the CLI (cli/review.ts) does the git and
 * synthesis around them.
 */
export type {
  AccessRow,
  Change,
  ChangeClass,
  EffectiveLimit,
  EnvironmentReview,
  Notice,
  PolicyRow,
  Review,
  SynthesizedStacks,
} from "./types";
export { CHANGE_CLASSES, CLASS_LABEL } from "./types";
export { exitCodeFor, reviewStacks } from "./review";
export type { ReviewOptions } from "./review";
export { renderMarkdown } from "./markdown";
export type { MarkdownOptions } from "./markdown";
export { endpointsOf } from "./endpoint-view";
export type { EndpointView } from "./endpoint-view";
export { policyRow, policyReport } from "./policy-report";
export { whoGetsWhat } from "./who-gets-what";
export { environmentChanges, sentence } from "./changes";
export { ENDPOINT_RULES } from "./rules";
export { RESOURCE_HANDLERS } from "./resources";
export type { ResourceHandler } from "./resources";
export { groupChanges } from "./groups";
export type { ChangeGroup } from "./groups";
