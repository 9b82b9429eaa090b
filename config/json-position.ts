/**
 * Where JSON text stops being valid, without echoing any of it: Node's JSON.parse messages quote
 * the input around the error (a pasted key would be printed), and often give no position.
 */
export interface JsonSyntaxProblem {
  readonly offset: number;
  readonly reason: string;
}

/**
 * How deeply objects and lists may nest. Far beyond any Databricks API response (a serving
 * endpoint is under 10 levels), and low enough that this parser's recursion, JSON.parse and the
 * YAML parser run after it never overflow the stack.
 */
export const MAX_JSON_DEPTH = 256;

/** The first syntax problem of `text`, or undefined when it is valid JSON. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (reason: string): never => {
    throw { offset: i, reason } satisfies JsonSyntaxProblem;
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const expect = (c: string, what: string) => {
    ws();
    if (text[i] !== c) fail(i >= text.length ? `unexpected end of input, expected ${what}` : `unexpected character, expected ${what}`);
    i++;
  };
  const string = () => {
    expect('"', "a double-quoted string");
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail("an invalid \\u escape inside a string");
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "x")) fail("an invalid escape inside a string");
      } else if (text.charCodeAt(i) < 0x20) fail("a control character inside a string");
      i++;
    }
    if (i >= text.length) fail("unterminated string");
    i++;
  };
  const value = (depth: number): void => {
    ws();
    const c = text[i];
    if ((c === "{" || c === "[") && depth >= MAX_JSON_DEPTH) fail(`objects and lists nested more than ${MAX_JSON_DEPTH} levels deep`);
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        string();
        expect(":", '":"');
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        expect("}", '"," or "}"');
        return;
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        expect("]", '"," or "]"');
        return;
      }
    }
    if (c === '"') return string();
    const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal) return void (i += literal[0].length);
    fail(i >= text.length ? "unexpected end of input, expected a value" : "unexpected character, expected a value (object, list, string, number, true, false or null)");
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail("unexpected text after the JSON value");
    return undefined;
  } catch (e) {
    if (typeof e === "object" && e !== null && "offset" in e) return e as JsonSyntaxProblem;
    throw e;
  }
}
