import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { generateSchemas } from "../../config/json-schema";
import { EXAMPLE_CONFIG, USER_CONFIG } from "../helpers";

// The schemas are generated from code into the config directory the user edits.
const schemaDir = path.join(USER_CONFIG, "schema");
const generated = generateSchemas();
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addFormat("uri", /^https?:\/\/\S+$/);
const validateGateway = ajv.compile(JSON.parse(generated["gateway.schema.json"]));
const validateEnvironment = ajv.compile(JSON.parse(generated["environment.schema.json"]));
const readYaml = (rel: string) => parse(fs.readFileSync(path.join(EXAMPLE_CONFIG, rel), "utf8"));

describe("editor JSON Schemas", () => {
  test.each(Object.keys(generated))("committed %s is what `npm run schema` generates from the zod schemas", (file) => {
    expect(fs.readFileSync(path.join(schemaDir, file), "utf8")).toBe(generated[file]);
  });

  test("the example gateway.yaml is valid against its JSON Schema", () => {
    expect(validateGateway(readYaml("gateway.yaml"))).toBe(true);
  });

  test.each(["dev", "staging", "prod"])("the example environments/%s.yaml is valid against its JSON Schema", (env) => {
    expect(validateEnvironment(readYaml(`environments/${env}.yaml`))).toBe(true);
  });

  test("every example file points the editor at its schema", () => {
    expect(fs.readFileSync(path.join(EXAMPLE_CONFIG, "gateway.yaml"), "utf8").split("\n")[0]).toBe(
      "# yaml-language-server: $schema=./schema/gateway.schema.json",
    );
    for (const env of ["dev", "staging", "prod"]) {
      expect(fs.readFileSync(path.join(EXAMPLE_CONFIG, "environments", `${env}.yaml`), "utf8").split("\n")[0]).toBe(
        "# yaml-language-server: $schema=../schema/environment.schema.json",
      );
    }
  });

  test("the schema rejects what the validator rejects: an unknown key, a bad enum, a plaintext credential", () => {
    const gateway = readYaml("gateway.yaml");
    gateway.endpoints.chat.ai_gateway.rate_limit = [];
    gateway.endpoints.chat.ai_gateway.guardrails = { input: { pii: "REDACT" } };
    gateway.endpoints.chat.served_entities[0].external_model.openai_config.openai_api_key_plaintext = "sk";
    expect(validateGateway(gateway)).toBe(false);
    const problems = (validateGateway.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        '/endpoints/chat/ai_gateway additionalProperties {"additionalProperty":"rate_limit"}',
        '/endpoints/chat/ai_gateway/guardrails/input/pii enum {"allowedValues":["NONE","BLOCK","MASK"]}',
        '/endpoints/chat/served_entities/0/external_model/openai_config additionalProperties {"additionalProperty":"openai_api_key_plaintext"}',
      ]),
    );
  });

  test("null is accepted for optional keys (it removes what a lower layer set)", () => {
    const gateway = readYaml("gateway.yaml");
    gateway.endpoints.ranker.ai_gateway.guardrails = null;
    expect(validateGateway(gateway)).toBe(true);
  });
});
