/**
 * `workspace.host`: what is wrong with a value, as one message with a fix, or undefined when it is
 * a bare https workspace URL. Never throws (a value `new URL` rejects is a message, not a crash)
 * and never repeats a value that could be a credential (a pasted token is the likeliest
 * non-URL here).
 */
import { findCredential, urlHasUserinfo } from "../databricks/credentials";

const EXAMPLE = "https://<workspace>.cloud.databricks.com";
/** A host name (and optional port), as typed without a scheme. */
const BARE_HOST = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?\/?$/;

export function workspaceHostProblem(value: string): string | undefined {
  const safe = findCredential(value) === undefined && !urlHasUserinfo(value);
  const shown = (v: string) => (safe ? JSON.stringify(v) : "a value that is not shown");
  if (value.trim() === "") return `expected the workspace URL (${EXAMPLE}), got an empty string: set it to the URL you open the workspace at`;
  if (/\s/.test(value)) return `expected the workspace URL (${EXAMPLE}), got ${shown(value)}, which contains white space: remove it`;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value)?.[1];
  if (scheme === undefined) {
    return safe && BARE_HOST.test(value)
      ? `expected an https:// URL, got ${shown(value)} without a scheme: write https://${value.replace(/\/$/, "")}`
      : `expected the workspace URL (${EXAMPLE}), got a literal string (value not shown): set host to the URL you open the workspace at; credentials come from DATABRICKS_* in the deploy job's environment`;
  }
  if (scheme.toLowerCase() !== "https") return `expected an https:// workspace URL, got ${shown(value)}`;
  if (!URL.canParse(value) || new URL(value).hostname === "") {
    return `expected the workspace URL (${EXAMPLE}), got ${shown(value)}, which has no valid host name: write the workspace's host after https://`;
  }
  const url = new URL(value);
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "" || (url.pathname !== "/" && url.pathname !== "")) {
    return `expected only the workspace URL (${EXAMPLE}), without user, password, path, query or fragment: credentials come from DATABRICKS_* in the deploy job's environment`;
  }
  return undefined;
}
