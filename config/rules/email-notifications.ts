import { EndpointRule, error, Finding } from "./rule";

/**
 * One address: local part, "@", a domain with a dot; no white space, no second "@". Deliberately
 * simple (RFC 5322 allows far more); it catches the typos that silently send no mail.
 */
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/;

export const emailAddresses: EndpointRule = {
  id: "email-notifications",
  what: "email_notifications lists e-mail addresses.",
  why:
    "Databricks sends endpoint update notifications to each address as written; provider 1.99 applies email_notifications " +
    "only when it creates the endpoint, so a typo is not noticed at deploy and not fixable by a later deploy.",
  check(endpoint, at) {
    const findings: Finding[] = [];
    for (const list of ["on_update_failure", "on_update_success"] as const) {
      (endpoint.email_notifications?.[list] ?? []).forEach((address, i) => {
        if (!EMAIL.test(address)) {
          findings.push(error([...at, "email_notifications", list, i], `${JSON.stringify(address)} is not an e-mail address (expected name@domain.tld, one address per list entry): fix it, or notifications go nowhere`));
        }
      });
    }
    return findings;
  },
};
