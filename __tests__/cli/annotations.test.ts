/** GitHub annotations escape file= as a workflow-command property, so a file name cannot inject properties or commands. */
import { escapeData, escapeProperty, githubAnnotation } from "../../cli/report";
import { runValidate } from "../../cli/validate";
import { MINIMAL_ENV, MINIMAL_GATEWAY, writeTree } from "../helpers";

describe("GitHub annotations", () => {
  test("property values escape %, CR, LF, : and ,; the message escapes %, CR and LF", () => {
    expect(escapeProperty("a%b\r\nc:d,e")).toBe("a%25b%0D%0Ac%3Ad%2Ce");
    expect(escapeData("a%b\r\nc:d,e")).toBe("a%25b%0D%0Ac:d,e");
  });

  test("a hostile file name stays one property", () => {
    const line = githubAnnotation({
      severity: "error",
      location: { file: "environments/x,line=1,title=pwned::y%0A.yaml", line: 3, col: 4 },
      path: "(file)",
      message: "bad\n::error::injected",
    });
    expect(line).toBe("::error file=environments/x%2Cline=1%2Ctitle=pwned%3A%3Ay%250A.yaml,line=3,col=4::(file): bad%0A::error::injected");
    expect(line.split("\n")).toHaveLength(1);
  });

  test("validate annotates a file whose name holds , : and %", () => {
    const dir = writeTree({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": MINIMAL_ENV, "environments/a,b:c%d.yaml": MINIMAL_ENV });
    const out = { text: "", write: (t: string) => ((out.text += t), true) };
    const err = { text: "", write: (t: string) => ((err.text += t), true) };
    expect(runValidate(["--config", dir], { GITHUB_ACTIONS: "true" }, out, err)).toBe(1);
    const annotation = out.text.trim().split("\n").find((l) => l.includes("a%2Cb%3Ac%25d.yaml"));
    expect(annotation).toMatch(/^::error file=.*environments\/a%2Cb%3Ac%25d\.yaml,line=1,col=1::\(file\): invalid environment name/);
  });
});
