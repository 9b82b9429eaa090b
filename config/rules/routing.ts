import { LIMITS } from "../../databricks";
import { error, warning, type EndpointRule, type Finding, type Path } from "./rule";

export const routing: EndpointRule = {
  id: "routing",
  what: "Several served entities have explicit routing: a split naming each once and summing to 100, or a fallback order (external models only)",
  why: "Databricks needs traffic percentages for every served entity; fallback is an external-model feature with a documented maximum.",
  check(endpoint, at) {
    const names = (endpoint.served_entities ?? []).map((e) => e.name);
    const routing = endpoint.routing;
    const rAt: Path = [...at, "routing"];
    // `fallback: false` without a split routes nothing: the same as no routing at all.
    if (!routing || (routing.split === undefined && !Array.isArray(routing.fallback) && routing.fallback !== true)) {
      return names.length > 1
        ? [error([...at, "served_entities"], `${names.length} served entities but no "routing": add routing.split (traffic percentages) or routing.fallback (failover order) so traffic is explicit`)]
        : [];
    }
    const findings: Finding[] = [];
    const external = names.length > 0 && (endpoint.served_entities ?? []).every((e) => e.external_model !== undefined);
    if (routing.split !== undefined) {
      const split = routing.split;
      const total = Object.values(split).reduce((a, b) => a + b, 0);
      if (total !== 100) findings.push(error([...rAt, "split"], `split percentages sum to ${total}, expected 100: adjust them so they add up to 100`));
      for (const name of Object.keys(split)) {
        if (!names.includes(name)) findings.push(error([...rAt, "split", name], `split names "${name}", which is not a served entity of this endpoint (served entities: ${names.join(", ")})`, true));
      }
      const missing = names.filter((n) => !Object.hasOwn(split, n));
      if (missing.length > 0) findings.push(error([...rAt, "split"], `split must name every served entity; missing: ${missing.join(", ")} (give it 0 to keep it without traffic)`));
      if (Array.isArray(routing.fallback)) {
        findings.push(error([...rAt, "fallback"], `with "split", "fallback" is true or false (fail over in served-entity order); a fallback list and a split cannot be combined`));
      }
      if (routing.fallback === true && !external) findings.push(error([...rAt, "fallback"], `fallback is supported for external models only`));
    } else if (Array.isArray(routing.fallback)) {
      const order = routing.fallback;
      if (order.length < 2) findings.push(error([...rAt, "fallback"], `fallback needs at least two served entities (a primary and a fallback), got ${order.length}`));
      const seen = new Set<string>();
      order.forEach((name, i) => {
        if (!names.includes(name)) findings.push(error([...rAt, "fallback", i], `fallback names "${name}", which is not a served entity of this endpoint (served entities: ${names.join(", ")})`));
        else if (seen.has(name)) findings.push(error([...rAt, "fallback", i], `"${name}" appears twice in fallback; list each served entity once`));
        seen.add(name);
      });
      const missing = names.filter((n) => !order.includes(n));
      if (missing.length > 0 && order.length >= 2) {
        findings.push(error([...rAt, "fallback"], `fallback must list every served entity in failover order; missing: ${missing.join(", ")}`));
      }
      if (!external) findings.push(error([...rAt, "fallback"], `fallback is supported for external models only; use routing.split for custom and foundation models`));
      if (order.length - 1 > LIMITS.maxFallbacks) {
        findings.push(warning([...rAt, "fallback"], `${order.length - 1} fallbacks after the primary; Databricks documents at most ${LIMITS.maxFallbacks} for serving endpoints, later ones may never be tried`));
      }
    } else if (routing.fallback === true) {
      findings.push(error([...rAt, "fallback"], `"fallback: true" needs a "split"; without one, list the failover order: fallback: [${names.join(", ")}]`));
    }
    return findings;
  },
};
