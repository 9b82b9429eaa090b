import { warning, type EnvironmentRule } from "./rule";

export const stateLocking: EnvironmentRule = {
  id: "state-locking",
  what: "An s3 state backend has a lock (use_lockfile or dynamodb_table)",
  why: "Two deploys of one environment at once corrupt its state.",
  check(env) {
    const state = env.state;
    if (state?.backend !== "s3" || state.use_lockfile === true || state.dynamodb_table !== undefined) return [];
    return [
      warning(["state"], `an s3 state backend without a lock lets two deploys of "${env.name}" write its state at once: add use_lockfile: true (Terraform >= 1.10), or a dynamodb_table; the deploy workflow refuses to run without one`),
    ];
  },
};
