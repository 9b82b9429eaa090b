import {
  DEFAULT_TIMEOUT_MINUTES,
  durationMinutes,
  NOT_FOR_PROVISIONED_THROUGHPUT_ENDPOINTS,
  NOT_FOR_PROVISIONED_THROUGHPUT_ENTITIES,
  PROVISIONED_THROUGHPUT_ENTITY_REQUIRED,
} from "../../databricks";
import type { EndpointRule, Finding } from "./rule";
import { error, warning } from "./rule";

/**
 * A create needs the GPUs to come up; the provider deletes the endpoint when its wait times out.
 * Recommend the wait the provider itself gives a serving endpoint (databricks_model_serving), which
 * brings up the same GPUs, rather than the provisioned-throughput resource's shorter default.
 */
const RECOMMENDED_CREATE_MINUTES = DEFAULT_TIMEOUT_MINUTES.serving;

export const provisionedThroughput: EndpointRule = {
  id: "provisioned-throughput",
  what: "A kind: provisioned_throughput endpoint serves foundation models by provisioned_model_units and nothing else",
  why: "databricks_model_serving_provisioned_throughput (provider 1.99) requires entity_name, entity_version and provisioned_model_units on every served entity, has no description, route_optimized, task or fallback, and waits only 10 minutes by default before it deletes an endpoint whose create has not finished",
  check(endpoint, at): Finding[] {
    if (endpoint.kind !== "provisioned_throughput") return [];
    const findings: Finding[] = [];
    (endpoint.served_entities ?? []).forEach((entity, i) => {
      const eAt = [...at, "served_entities", i];
      for (const field of PROVISIONED_THROUGHPUT_ENTITY_REQUIRED) {
        if (entity[field] === undefined) {
          findings.push(error(eAt, `"${field}" is required on a provisioned_throughput endpoint (e.g. entity_name: system.ai.llama-4-maverick, entity_version: "1", provisioned_model_units: 100)`));
        }
      }
      for (const field of NOT_FOR_PROVISIONED_THROUGHPUT_ENTITIES) {
        if (entity[field] !== undefined) {
          findings.push(error([...eAt, field], `"${field}" does not apply to a provisioned_throughput endpoint, which is sized by provisioned_model_units only: remove it (or use kind: serving)`, true));
        }
      }
    });
    for (const field of NOT_FOR_PROVISIONED_THROUGHPUT_ENDPOINTS) {
      if (endpoint[field] !== undefined) {
        findings.push(error([...at, field], `databricks_model_serving_provisioned_throughput has no "${field}": remove it`, true));
      }
    }
    if (endpoint.routing?.fallback !== undefined) {
      findings.push(error([...at, "routing", "fallback"], `fallback is for external models; a provisioned_throughput endpoint takes only routing.split`, true));
    }
    const create = endpoint.timeouts?.create;
    const minutes = create === undefined ? DEFAULT_TIMEOUT_MINUTES.provisioned_throughput : durationMinutes(create);
    if (endpoint.import !== true && minutes !== undefined && minutes < RECOMMENDED_CREATE_MINUTES) {
      findings.push(
        warning(
          create === undefined ? at : [...at, "timeouts", "create"],
          `a provisioned-throughput create can take up to ${RECOMMENDED_CREATE_MINUTES} minutes, and the provider deletes the endpoint when its wait (${create ?? `default ${DEFAULT_TIMEOUT_MINUTES.provisioned_throughput}m`}) runs out: set timeouts: { create: "${RECOMMENDED_CREATE_MINUTES}m" } or more`,
        ),
      );
    }
    return findings;
  },
};
