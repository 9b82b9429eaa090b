/** The app, secret scope and schema constructs used from TypeScript, without any config file. */
import { Testing, TerraformStack } from "cdktf";
import { GatewayPropsError, GovernedApp, InferenceSchema, SecretScope } from "../../constructs";

function synth(build: (stack: TerraformStack) => void): any {
  const stack = new TerraformStack(Testing.app(), "test");
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

test("GovernedApp: logical id from the construct id, CAN_QUERY by default", () => {
  const json = synth((s) => new GovernedApp(s, "bot", { name: "bot", servingEndpoints: [{ key: "chat", endpointName: "chat-endpoint" }] }));
  expect(json.resource.databricks_app.bot).toEqual({ name: "bot", resources: [{ name: "chat", serving_endpoint: { name: "chat-endpoint", permission: "CAN_QUERY" } }] });
});

test.each<[string, ConstructorParameters<typeof GovernedApp>[2], string]>([
  ["an invalid name", { name: "Bot_1", servingEndpoints: [{ key: "chat", endpointName: "c" }] }, 'name: name "Bot_1" may contain only lowercase letters, digits and "-"'],
  ["no endpoints", { name: "bot", servingEndpoints: [] }, "servingEndpoints: servingEndpoints is empty: an app here exists to call endpoints"],
  ["a resource key twice", { name: "bot", servingEndpoints: [{ key: "chat", endpointName: "a" }, { key: "chat", endpointName: "b" }] }, 'servingEndpoints[1].key: resource key "chat" is used twice'],
])("GovernedApp rejects %s: a GatewayPropsError naming the construct path", (_name, props, message) => {
  let thrown: unknown;
  try {
    synth((s) => new GovernedApp(s, "bot", props));
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(GatewayPropsError);
  const e = thrown as GatewayPropsError;
  expect(e.constructPath).toBe("test/bot");
  expect(e.message).toBe(`test/bot: invalid app, 1 problem:\n  ${message}`);
  expect(e.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([message]);
});

test("SecretScope: one ACL per principal, logical ids from the scope and the principal", () => {
  const json = synth((s) => new SecretScope(s, "llm", { name: "llm", acls: [{ principal: "a.b@x.com", permission: "READ" }] }));
  expect(Object.keys(json.resource.databricks_secret_acl)).toEqual(["llm_a_b_x_com"]);
  const build = () => synth((s) => new SecretScope(s, "llm", { name: "llm", acls: [{ principal: "a.b", permission: "READ" }, { principal: "a_b", permission: "MANAGE" }] }));
  expect(build).toThrow(GatewayPropsError);
  expect(build).toThrow('test/llm: invalid secret scope "llm", 1 problem:\n  acls[1].principal: principals "a.b" and "a_b" both map to the logical id llm_a_b; list each principal once');
});

test("InferenceSchema: grants sorted by principal and privilege, so config order is not a change", () => {
  const json = synth((s) => new InferenceSchema(s, "logs", { catalogName: "ml", schemaName: "logs", grants: [{ principal: "z", privileges: ["USE_SCHEMA", "SELECT", "SELECT"] }, { principal: "a", privileges: ["SELECT"] }] }));
  expect(json.resource.databricks_grants.logs.grant).toEqual([
    { principal: "a", privileges: ["SELECT"] },
    { principal: "z", privileges: ["SELECT", "USE_SCHEMA"] },
  ]);
  expect(json.resource.databricks_schema.logs).toEqual({ catalog_name: "ml", name: "logs" });
});
