/** The token syntax config/literals.ts refuses is exactly cdktf 0.21's. */
import { Token } from "cdktf";
import * as encoding from "cdktf/lib/tokens/private/encoding";
import { CDKTF_MAP_TOKEN_VALUES, CDKTF_TOKEN_MARKERS, cdktfTokenIn, isCdktfTokenNumber } from "../../config/literals";

describe("cdktf token syntax", () => {
  test("the markers are cdktf's own", () => {
    expect([...CDKTF_TOKEN_MARKERS]).toEqual([encoding.BEGIN_STRING_TOKEN_MARKER, encoding.BEGIN_LIST_TOKEN_MARKER, encoding.BEGIN_MAP_TOKEN_MARKER]);
    expect([...CDKTF_MAP_TOKEN_VALUES]).toEqual([Token.STRING_MAP_TOKEN_VALUE, Token.ANY_MAP_TOKEN_VALUE]);
  });

  test("every token cdktf encodes is found, as a string and inside text", () => {
    const resolvable = { resolve: () => "x", creationStack: [], toString: () => "x" };
    const tokens = [Token.asString(resolvable), Token.asList(resolvable)[0], Token.asNumber(resolvable), Token.asNumberList(resolvable)[0]];
    for (const token of tokens) {
      const text = String(token);
      expect(cdktfTokenIn(`before ${text} after`)).toBeDefined();
    }
    expect(isCdktfTokenNumber(Token.asNumber(resolvable))).toBe(true);
    expect(isCdktfTokenNumber(Token.asNumberList(resolvable)[0])).toBe(true);
  });

  test.each(["1e5", "2.5e-3 tokens", "version 1.2.3", "-1e308", "Infinity", "llm/v1/chat", "String Map Token Values"])("not a token: %s", (text) => {
    expect(cdktfTokenIn(text)).toBeUndefined();
  });
});
