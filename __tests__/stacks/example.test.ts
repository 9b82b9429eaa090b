/** Product snapshots of the example fixture (__tests__/fixtures/example); they change only with the code. */
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { loadConfig } from "../../config/load";
import { GatewayStack } from "../../stacks/gateway-stack";
import { EXAMPLE_CONFIG } from "../helpers";

const result = loadConfig(EXAMPLE_CONFIG);

describe("example config", () => {
  test("loads with no errors or warnings", () => {
    expect(result.problems).toEqual([]);
    // In deploy order (deploy.order 1, 2, 3), as every command lists them.
    expect(result.environments.map((e) => e.config.name)).toEqual(["dev", "staging", "prod"]);
  });

  test.each(["dev", "staging", "prod"])("gateway-%s matches its reviewed snapshot", (name) => {
    const env = result.environments.find((e) => e.config.name === name)!.config;
    const stack = new GatewayStack(Testing.app(), env);
    expect(Testing.synth(stack, true)).toMatchSnapshot();
  });
});
