/**
 * A config file's bytes as text, or one located problem that says what to do: YAML files here
 * are UTF-8. UTF-16 and UTF-32 (an editor's "Unicode"), bytes that are not UTF-8 (which would
 * otherwise turn into U+FFFD and land in Terraform), and CR-only line ends (everything on one
 * line, so every key reads wrong) each get one message instead of a cascade of syntax errors.
 */
import type { ConfigProblem } from "./errors";

export type Decoded = { readonly text: string } | { readonly problem: ConfigProblem };

function at(file: string, line: number, col: number, message: string): { problem: ConfigProblem } {
  return { problem: { severity: "error", location: { file, line, col }, path: "(file)", message } };
}

/** The encoding a byte-order mark or NUL pattern gives away, if not UTF-8. */
function wideEncoding(bytes: Uint8Array): string | undefined {
  const b = (i: number) => bytes[i];
  if (b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0) return "UTF-32";
  if (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff) return "UTF-32";
  if ((b(0) === 0xff && b(1) === 0xfe) || (b(0) === 0xfe && b(1) === 0xff)) return "UTF-16";
  // No BOM: ASCII text in UTF-16 has a NUL in every other byte.
  const sample = bytes.subarray(0, 256);
  let nuls = 0;
  for (const x of sample) if (x === 0) nuls++;
  if (sample.length >= 4 && nuls >= sample.length / 4) return nuls >= (sample.length * 2) / 3 ? "UTF-32" : "UTF-16";
  return undefined;
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const x = bytes[i];
    let n = 0;
    let min = 0;
    if (x < 0x80) {
      i++;
      continue;
    } else if (x >= 0xc2 && x <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (x >= 0xe0 && x <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (x >= 0xf0 && x <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = x & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * UTF-8 bytes as text, or one located problem for any other encoding (UTF-16/UTF-32, or a byte
 * that is not UTF-8): the encoding check every text we read goes through (config files, and the
 * JSON `npm run import` reads from a file or stdin). A UTF-8 byte-order mark is dropped.
 */
export function decodeUtf8(file: string, bytes: Uint8Array): Decoded {
  const wide = wideEncoding(bytes);
  if (wide) return at(file, 1, 1, `file is ${wide}; save it as UTF-8 (in most editors: "Save with encoding" → UTF-8)`);
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, bad));
    const lines = before.split("\n");
    const byte = bytes[bad].toString(16).toUpperCase().padStart(2, "0");
    return at(
      file,
      lines.length,
      lines[lines.length - 1].length + 1,
      `byte 0x${byte} is not UTF-8 (the file was probably saved as Latin-1 or Windows-1252): save it as UTF-8; nothing is read from a file that is not`,
    );
  }
  return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
}

export function decodeConfigFile(file: string, bytes: Uint8Array): Decoded {
  const decoded = decodeUtf8(file, bytes);
  if (!("text" in decoded)) return decoded;
  const { text } = decoded;
  if (text.includes("\r") && !text.includes("\n")) {
    return at(file, 1, 1, `file has CR-only line ends (classic Mac OS), so YAML reads it as one line: save it with LF (or CRLF) line ends`);
  }
  return { text };
}
