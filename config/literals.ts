/**
 * Every string in config is a literal and none is a credential: one walk over each file's located
 * tree checks every string value and every map key, before merging, so each problem points at the
 * line it was written on.
 *
 * - Terraform evaluates `${...}` and `%{...}` in every string of its JSON (a tag could read a file
 *   on the deploy runner into state).
 * - cdktf resolves its own token syntax in the same strings at synth: `${TfToken[...]}`,
 *   `#{TfToken[...]}` (list), `&{TfToken[...]}` (map), the exact strings it uses for map tokens,
 *   and numbers written as text whose bits are an encoded token (cdktf 0.21
 *   lib/tokens/private/encoding.js: STRING/LIST/MAP_TOKEN_REGEX and NUMBER_TOKEN_REGEX;
 *   lib/tokens/token.js: STRING_MAP_TOKEN_VALUE, ANY_MAP_TOKEN_VALUE). User text that matched
 *   would become a live reference to another resource, or crash synth.
 * - A credential (databricks/credentials.ts) must never be committed, synthesized or reviewed.
 */
import { findCredential } from "../databricks/credentials";
import { ConfigProblem, formatPath } from "./errors";
import type { LNode, Origin } from "./located";

const TEMPLATE_SEQUENCE = /\$\{|%\{/;

/** cdktf 0.21's token markers (BEGIN_*_TOKEN_MARKER); `${TfToken[` is also a template sequence. */
export const CDKTF_TOKEN_MARKERS = ["${TfToken[", "#{TfToken[", "&{TfToken["] as const;
/** Strings cdktf's resolver refuses outright (Token.STRING_MAP_TOKEN_VALUE, Token.ANY_MAP_TOKEN_VALUE). */
export const CDKTF_MAP_TOKEN_VALUES = ["String Map Token Value", "Any Map Token Value"] as const;
/** cdktf's NUMBER_TOKEN_REGEX: every match in a string is looked up as an encoded number token. */
const NUMBER_TOKEN_PATTERN = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;

/**
 * Whether a number is one of cdktf's encoded token doubles: the top 16 bits are 0xfdff (a value)
 * or 0xfbff (a list element), as cdktf's extractTokenDouble tests them.
 */
export function isCdktfTokenNumber(n: number): boolean {
  if (!Number.isFinite(n)) return false;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n, true);
  const top = view.getUint32(4, true) >>> 16;
  return top === 0xfdff || top === 0xfbff;
}

/** The cdktf token syntax in `text`, as it may be shown, or undefined. */
export function cdktfTokenIn(text: string): string | undefined {
  const marker = CDKTF_TOKEN_MARKERS.find((m) => text.includes(m));
  if (marker) return marker;
  if ((CDKTF_MAP_TOKEN_VALUES as readonly string[]).includes(text)) return text;
  for (const m of text.matchAll(NUMBER_TOKEN_PATTERN)) {
    if (isCdktfTokenNumber(parseFloat(m[0]))) return m[0];
  }
  return undefined;
}

/** Problems of one file's strings, and the credential values found (to scrub from every message). */
export interface LiteralCheck {
  readonly problems: ConfigProblem[];
  /** Exact credential texts found, never to be printed. */
  readonly credentials: string[];
}

export const CREDENTIAL_ADVICE =
  "a credential must never be written in config (it would be committed, synthesized into cdk.tf.json and shown in reviews): revoke it, remove it, and where the field takes one use a Databricks secret reference {{secrets/<scope>/<key>}}";

/** Checks every string value and map key of a file's tree. */
export function checkLiteralStrings(root: LNode): LiteralCheck {
  const problems: ConfigProblem[] = [];
  const credentials: string[] = [];
  const report = (origin: Origin, message: string) => problems.push({ severity: "error", location: origin, path: formatPath(origin.path), message });
  const check = (text: string, origin: Origin, what: "value" | "key", name: string | undefined) => {
    const credential = findCredential(text, name);
    if (credential) {
      credentials.push(credential.match, text);
      const shown = credential.shown === "…" ? "" : ` (${credential.shown})`;
      report(origin, `this ${what} looks like ${credential.kind}${shown}: ${CREDENTIAL_ADVICE}`);
      return;
    }
    if (TEMPLATE_SEQUENCE.test(text)) {
      report(
        origin,
        `this ${what} contains "\${" or "%{", which Terraform would evaluate as a template expression at plan time: config values are literal, so remove the sequence (write "$" and "{" apart)`,
      );
      return;
    }
    const token = cdktfTokenIn(text);
    if (token) {
      report(
        origin,
        `this ${what} contains ${JSON.stringify(token)}, which cdktf reads as its own token syntax (a reference to another resource's attribute) at synth: config values are literal, so remove it`,
      );
    }
  };
  // Iterative, so a deeply nested file cannot overflow the stack here.
  const stack: Array<{ node: LNode; name: string | undefined }> = [{ node: root, name: undefined }];
  while (stack.length > 0) {
    const { node, name } = stack.pop()!;
    if (node.kind === "scalar") {
      if (typeof node.value === "string") check(node.value, node.origin, "value", name);
    } else if (node.kind === "seq") {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], name });
    } else {
      const entries = [...node.entries].reverse();
      for (const [key, entry] of entries) {
        check(key, entry.keyOrigin, "key", undefined);
        stack.push({ node: entry.node, name: key });
      }
    }
  }
  return { problems, credentials };
}
