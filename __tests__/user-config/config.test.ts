/**
 * The user's own config/ (users fork this repo and edit it): only what holds for any valid
 * config, so no README task (change a limit, add an endpoint or an environment, drop to one
 * environment) breaks `npm test`. Product behaviour is tested on __tests__/fixtures/.
 *
 * The stack snapshots are reviewed like code: when config/ changes on purpose, read the diff
 * jest prints, then run `npm run snapshots` and commit the updated
 * __tests__/user-config/__snapshots__/config.test.ts.snap with the config change.
 */
import { Testing } from "cdktf";
import { GatewayStack } from "../../stacks/gateway-stack";
import { USER_CONFIG } from "../helpers";
import { invariantViolations, UPDATE_SNAPSHOTS, validate } from "./invariants";

const { environments } = validate(USER_CONFIG);

describe("config/ validates, synthesizes and round-trips", () => {
  test("no validation errors, at least one environment, byte-identical output twice", () => {
    expect(invariantViolations(USER_CONFIG)).toEqual([]);
  });
});

describe(`config/ matches its reviewed snapshots (changed on purpose? read the diff, then run: ${UPDATE_SNAPSHOTS})`, () => {
  test.each(environments.map((e) => e.name))("gateway-%s", (name) => {
    const env = environments.find((e) => e.name === name)!;
    expect(Testing.synth(new GatewayStack(Testing.app(), env), true)).toMatchSnapshot();
  });
});
