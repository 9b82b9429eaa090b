import { error, type EndpointRule, type Finding } from "./rule";

export const servedEntityNames: EndpointRule = {
  id: "served-entity-names",
  what: "Served entity names are unique within an endpoint",
  why: "Routing and traffic percentages address served entities by name.",
  check(endpoint, at) {
    const findings: Finding[] = [];
    const names = new Map<string, number>();
    (endpoint.served_entities ?? []).forEach((entity, i) => {
      const first = names.get(entity.name);
      if (first !== undefined) {
        findings.push(error([...at, "served_entities", i, "name"], `served entity name "${entity.name}" is already used by served_entities[${first}]; names must be unique within an endpoint`));
      } else {
        names.set(entity.name, i);
      }
    });
    return findings;
  },
};
