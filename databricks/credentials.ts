/**
 * The one credential detector: validate, synth, review and the CI annotations all ask it whether a
 * string is, or holds, a credential, and how to show one without leaking it. Pure TypeScript (no
 * cdktf, no YAML, no zod) so every layer can import it.
 *
 * Users paste keys by mistake: into a tag, a description, a URL, an environment variable, even a
 * map key. Anything this module flags is reported as an error that shows at most `redact(value)`
 * (a few leading characters that name the kind of key, then "…"), never the value.
 *
 * API:
 * - `findCredential(value, name?)`: the first credential in a string (a well-known shape anywhere;
 *   a long high-entropy string when `name`, the key it is written under, sounds like a credential).
 * - `redact(value)`: the short prefix that may be shown (`sk-…`, `dapi…`, `AKIA…`).
 * - `redactCredentials(text)`: `text` with every well-known credential shape replaced by its redaction.
 * - `isCredentialName(name)`: whether a field, key or variable name says its value is a credential.
 * - `urlHasUserinfo(text)` / `mayCarryCredentials(url)`: URLs with user:password@ (or a query, a
 *   fragment, or no parse at all, which may hide one). Never throws.
 */

/** A credential found in a string: what kind, and the redacted form that may be shown. */
export interface CredentialMatch {
  /** What it looks like, for the message: "an OpenAI API key", "a JSON Web Token", ... */
  readonly kind: string;
  /** The part that may be shown: `redact()` of the match. */
  readonly shown: string;
  /** The matched text itself (to scrub it from other messages); never print it. */
  readonly match: string;
}

interface Shape {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Characters of the match that may be shown (the kind's fixed prefix). */
  readonly prefix: number;
}

/**
 * Well-known credential shapes, most specific first (an Anthropic key also starts with `sk-`).
 * Sources: each vendor's documented key prefix (OpenAI `sk-`/`sk-proj-`, Anthropic `sk-ant-`,
 * Databricks personal access tokens `dapi` and OAuth secrets `dose`, GitHub `ghp_` `gho_` `ghu_`
 * `ghs_` `ghr_` `github_pat_`, AWS access key ids `AKIA`/`ASIA`, Slack `xox?-`, Google API keys
 * `AIza`), JWTs (`eyJ` base64url header and payload) and PEM private keys.
 */
const SHAPES: readonly Shape[] = [
  { kind: "an Anthropic API key", pattern: /sk-ant-[A-Za-z0-9_-]{16,}/, prefix: 7 },
  { kind: "an OpenAI API key", pattern: /sk-proj-[A-Za-z0-9_-]{16,}/, prefix: 8 },
  { kind: "an OpenAI-style API key", pattern: /(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{20,}/, prefix: 3 },
  { kind: "a Databricks access token", pattern: /(?<![A-Za-z0-9])(dapi|dose)[0-9a-f]{20,}(-\d+)?/, prefix: 4 },
  { kind: "a GitHub token", pattern: /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{30,}/, prefix: 4 },
  { kind: "a GitHub token", pattern: /github_pat_[A-Za-z0-9_]{22,}/, prefix: 11 },
  { kind: "an AWS access key id", pattern: /(?<![A-Z0-9])(AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])/, prefix: 4 },
  { kind: "a Slack token", pattern: /xox[abposr]-[0-9A-Za-z-]{10,}/, prefix: 5 },
  { kind: "a Google API key", pattern: /AIza[0-9A-Za-z_-]{35}/, prefix: 4 },
  { kind: "a JSON Web Token", pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, prefix: 3 },
  { kind: "a private key", pattern: /-----BEGIN[A-Z ]* PRIVATE KEY-----/, prefix: 10 },
  // user:password@ or token@ in any URL: the userinfo is the credential.
  { kind: "a URL with a user name or password", pattern: /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s?#@\u2026]+@/, prefix: 0 },
];

/** A cheap first test: text none of the shapes can match is skipped (most config strings). */
const ANY_SHAPE = /sk-|dapi|dose|gh[pousr]_|github_pat_|AKIA|ASIA|xox|AIza|eyJ|-----BEGIN|:\/\/[^/\s?#@\u2026]+@/;

/**
 * Words in a name that say its value is a credential (`OPENAI_AUTH`, `apiKey`, `x-api-token`).
 * "key" alone is not one (a rate limit's `key: user`, an S3 state `key`, a header name): it
 * counts as the last of several words (`api_key`, `OPENAI_KEY`) or after "access" (`aws_access_key_id`).
 */
const CREDENTIAL_WORDS = new Set([
  "apikey",
  "token",
  "secret",
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "credential",
  "credentials",
  "auth",
  "authorization",
  "bearer",
  "pat",
  "signature",
  "cookie",
  "plaintext",
]);

/** A Databricks secret reference is how a credential is written correctly: never flagged. */
const SECRET_REFERENCE = /^\{\{secrets\/[^/\s{}]+\/[^/\s{}]+\}\}$/;

/** Bits per character above which a name-flagged string reads as random (English is about 2.5-3.5 per letter in such short samples; base64 keys above 4). */
const MIN_ENTROPY_BITS = 3.7;

/** Splits `OPENAI_AUTH`, `apiKey`, `x-api-token` into lower-case words. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Whether a field, key or variable name says its value is a credential. */
export function isCredentialName(name: string): boolean {
  let known = nameCache.get(name);
  if (known === undefined) {
    known = credentialName(name);
    if (nameCache.size < 10_000) nameCache.set(name, known);
  }
  return known;
}

/** Config repeats the same few hundred names thousands of times. */
const nameCache = new Map<string, boolean>();

function credentialName(name: string): boolean {
  const parts = words(name);
  if (parts.some((w) => CREDENTIAL_WORDS.has(w))) return true;
  if (parts.length > 1 && parts[parts.length - 1] === "key") return true;
  if (parts.some((w, i) => w === "access" && parts[i + 1] === "key")) return true;
  // Names run together: "apikey", "accesstoken", "clientsecret" (but not "tokens", a count).
  return /(apikey|token(?!s$)|secret|password|passwd|credential)/.test(parts.join(""));
}

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A long random-looking token: a run of at least 20 base64/hex characters without separators,
 * letters and digits mixed, high entropy. Model names and dated ids (`claude-sonnet-4-5-20250929`)
 * are separated into short words, so they do not qualify.
 */
function looksRandom(value: string): boolean {
  const runs = value.match(/[A-Za-z0-9+/=]{20,}/g) ?? [];
  return runs.some((run) => /[A-Za-z]/.test(run) && /[0-9]/.test(run) && entropy(run) >= MIN_ENTROPY_BITS);
}

/**
 * The first credential in `value`: a well-known shape anywhere in it, or, when `name` (the key it
 * is written under) sounds like a credential, the whole value when it is long and random-looking.
 * A `{{secrets/<scope>/<key>}}` reference is never a credential.
 */
export function findCredential(value: string, name?: string): CredentialMatch | undefined {
  if (SECRET_REFERENCE.test(value.trim())) return undefined;
  if (ANY_SHAPE.test(value)) for (const shape of SHAPES) {
    const m = shape.pattern.exec(value);
    if (m) return { kind: shape.kind, shown: shownPrefix(m[0], shape), match: m[0] };
  }
  // A URL's query names its parameters: `?api-key=...`, `&token=...`.
  if (value.includes("=")) for (const [, param, arg] of value.matchAll(/[?&]([^=&#\s]+)=([^&#\s]*)/g)) {
    const inQuery = findCredential(decodeSafely(arg), decodeSafely(param));
    if (inQuery) return { ...inQuery, match: arg };
  }
  if (name !== undefined && isCredentialName(name) && looksRandom(value)) {
    return { kind: `a secret (a random string under the credential-like name "${redactCredentials(name)}")`, shown: "…", match: value };
  }
  return undefined;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function shownPrefix(match: string, shape: Shape): string {
  if (shape.prefix === 0) {
    // A URL: keep the scheme, hide the userinfo and everything after it.
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(match)?.[0] ?? "";
    return `${scheme}…@…`;
  }
  return `${match.slice(0, shape.prefix)}…`;
}

/**
 * What may be shown of a credential: its kind's fixed prefix (`sk-…`, `sk-ant-…`, `dapi…`,
 * `AKIA…`), or just "…" when it has no known shape.
 */
export function redact(value: string): string {
  for (const shape of SHAPES) {
    const m = shape.pattern.exec(value);
    if (m) return shownPrefix(m[0], shape);
  }
  return "…";
}

/** `text` with every well-known credential shape in it replaced by its redaction. */
export function redactCredentials(text: string): string {
  if (!ANY_SHAPE.test(text)) return text;
  let out = text;
  for (const shape of GLOBAL_SHAPES) out = out.replace(shape.pattern, (m) => shownPrefix(m, shape));
  return out;
}

const GLOBAL_SHAPES: readonly Shape[] = SHAPES.map((s) => ({ ...s, pattern: new RegExp(s.pattern.source, "g") }));

/** Whether `text` contains a URL with userinfo (`https://user:password@host`, `https://token@host`). */
export function urlHasUserinfo(text: string): boolean {
  return /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s?#@\u2026]+@/.test(text);
}

/**
 * A URL that may carry a credential: user info, a query or a fragment, or anything that does not
 * parse as a URL at all (it may be a pasted token). Never throws.
 */
export function mayCarryCredentials(url: string): boolean {
  if (!URL.canParse(url)) return true;
  const u = new URL(url);
  return u.username !== "" || u.password !== "" || u.search !== "" || u.hash !== "" || findCredential(url) !== undefined;
}
