import { loadTree } from "../helpers";
import { CASES } from "./rejected-cases";

describe("rejected config: exact message and location", () => {
  test("the table covers at least 40 distinct inputs", () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  test("no message repeats a credential written in the input (inputs mark them with SECRET)", () => {
    const withSecrets = CASES.filter((c) => Object.values(c.files).some((text) => text.includes("SECRET")));
    expect(withSecrets.length).toBeGreaterThanOrEqual(4);
    for (const c of withSecrets) expect(loadTree(c.files).lines.join("\n")).not.toContain("SECRET");
  });

  test.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const result = loadTree(c.files);
    const errors = result.lines.filter((l) => !l.includes(": warning: "));
    expect(errors).toEqual(c.errors);
    // Any error means no environment comes back to be synthesized.
    expect(result.environments).toEqual([]);
  });
});
