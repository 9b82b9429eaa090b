/** Files that are not UTF-8 with LF or CRLF line ends: one located problem each, no cascade, no U+FFFD in output. */
import * as fs from "fs";
import * as path from "path";
import { formatProblem } from "../../config/errors";
import { loadConfig } from "../../config/load";
import { MINIMAL_ENV, MINIMAL_GATEWAY, writeTree } from "../helpers";

function load(gateway: Buffer, env: Buffer = Buffer.from(MINIMAL_ENV)): { lines: string[]; valid: number } {
  const dir = writeTree({});
  fs.mkdirSync(path.join(dir, "environments"));
  fs.writeFileSync(path.join(dir, "gateway.yaml"), gateway);
  fs.writeFileSync(path.join(dir, "environments", "dev.yaml"), env);
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const result = loadConfig(".");
    return { lines: result.problems.map(formatProblem), valid: result.environments.length };
  } finally {
    process.chdir(cwd);
  }
}

const utf16le = (text: string, bom = true) => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, "utf16le")]);
const utf16be = (text: string) => {
  const le = Buffer.from(text, "utf16le");
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};

describe("file encodings and line ends", () => {
  test.each([
    ["UTF-16 LE with BOM", utf16le(MINIMAL_GATEWAY), "UTF-16"],
    ["UTF-16 LE without BOM", utf16le(MINIMAL_GATEWAY, false), "UTF-16"],
    ["UTF-16 BE with BOM", utf16be(MINIMAL_GATEWAY), "UTF-16"],
  ])("%s: one problem, file is UTF-16", (_name, bytes, encoding) => {
    expect(load(bytes)).toEqual({ lines: [`gateway.yaml:1:1 (file): file is ${encoding}; save it as UTF-8 (in most editors: "Save with encoding" → UTF-8)`], valid: 0 });
  });

  test("an environment file in UTF-16 is named, and gateway.yaml is still checked", () => {
    const { lines } = load(Buffer.from(MINIMAL_GATEWAY + "    colour: blue\n"), utf16le(MINIMAL_ENV));
    expect(lines[0]).toBe('environments/dev.yaml:1:1 (file): file is UTF-16; save it as UTF-8 (in most editors: "Save with encoding" → UTF-8)');
    expect(lines).toHaveLength(2);
  });

  test("CR-only line ends: one problem", () => {
    expect(load(Buffer.from(MINIMAL_GATEWAY.replace(/\n/g, "\r")))).toEqual({
      lines: ["gateway.yaml:1:1 (file): file has CR-only line ends (classic Mac OS), so YAML reads it as one line: save it with LF (or CRLF) line ends"],
      valid: 0,
    });
  });

  test("CRLF line ends are fine", () => {
    expect(load(Buffer.from(MINIMAL_GATEWAY.replace(/\n/g, "\r\n")), Buffer.from(MINIMAL_ENV.replace(/\n/g, "\r\n"))).valid).toBe(1);
  });

  test("a Latin-1 byte is located and refused, never turned into U+FFFD", () => {
    const latin1 = Buffer.concat([Buffer.from(MINIMAL_GATEWAY + "    description: caf"), Buffer.from([0xe9]), Buffer.from(" menu\n")]);
    const { lines, valid } = load(latin1);
    expect(lines).toEqual([
      "gateway.yaml:10:21 (file): byte 0xE9 is not UTF-8 (the file was probably saved as Latin-1 or Windows-1252): save it as UTF-8; nothing is read from a file that is not",
    ]);
    expect(valid).toBe(0);
    expect(lines.join("\n")).not.toContain("\uFFFD");
  });

  test("valid UTF-8, including a real U+FFFD and a BOM, is read as written", () => {
    const text = "\uFEFF" + MINIMAL_GATEWAY + '    description: "café \uFFFD 🚀"\n';
    expect(load(Buffer.from(text, "utf8")).valid).toBe(1);
  });

  test.each([
    ["overlong", [0xc0, 0xaf]],
    ["surrogate", [0xed, 0xa0, 0x80]],
    ["truncated", [0xe2, 0x82]],
    ["above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
  ])("invalid UTF-8 (%s) is refused", (_name, bytes) => {
    const buf = Buffer.concat([Buffer.from(MINIMAL_GATEWAY + "    description: x"), Buffer.from(bytes as number[]), Buffer.from("\n")]);
    expect(load(buf).lines[0]).toMatch(/^gateway\.yaml:10:19 \(file\): byte 0x[0-9A-F]{2} is not UTF-8/);
  });
});
