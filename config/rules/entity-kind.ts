import { entityKind } from "../../databricks";
import { error, withArticle, type EndpointRule, type Finding } from "./rule";

export const oneEntityKind: EndpointRule = {
  id: "entity-kind",
  what: "An endpoint serves one kind of model, and has a task exactly when that kind is external models",
  why: "Databricks rejects endpoints mixing external, custom and foundation models; task applies to external models only.",
  check(endpoint, at) {
    const findings: Finding[] = [];
    // No served_entities: an adopted endpoint whose config stays with the workspace (endpoint-without-config).
    const kinds = (endpoint.served_entities ?? []).map(entityKind);
    if (kinds.length === 0) return findings;
    const firstKind = kinds[0];
    const mixed = kinds.findIndex((k) => k !== firstKind);
    if (mixed > 0) {
      findings.push(
        error(
          [...at, "served_entities", mixed],
          `served_entities[${mixed}] is ${withArticle(kinds[mixed])} but served_entities[0] is ${withArticle(firstKind)}: one endpoint serves one kind (external models, custom models or foundation models); put this entity on its own endpoint`,
        ),
      );
    }
    const external = firstKind === "external model" && mixed < 0;
    if (external && endpoint.task === undefined) {
      findings.push(error(at, `"task" is required when the served entities are external models: add task: llm/v1/chat, llm/v1/completions or llm/v1/embeddings`));
    }
    if (!external && mixed < 0 && endpoint.task !== undefined) {
      findings.push(error([...at, "task"], `"task" applies only to external models, but this endpoint serves ${firstKind}s: remove "task"`));
    }
    return findings;
  },
};
