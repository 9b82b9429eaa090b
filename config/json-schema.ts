/**
 * JSON Schemas for editors (yaml-language-server), generated from the zod schemas so they
 * cannot drift from what the validator accepts. Generated, not hand-written: `npm run schema`.
 */
import { z } from "zod";
import { EnvironmentFile, GatewayFile } from "./schema";

export const SCHEMA_DIR = "schema";
const SCHEMA_FILES = {
  "gateway.schema.json": { schema: GatewayFile, title: "ai-gateway-stack gateway.yaml" },
  "environment.schema.json": { schema: EnvironmentFile, title: "ai-gateway-stack environments/<env>.yaml" },
} as const;

type Json = { [key: string]: unknown };

/**
 * Any optional key may be `null` in a file: the merge reads it as "remove what a lower layer
 * set". The editor must accept that, so optional properties also allow null.
 */
function allowNullForOptional(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowNullForOptional);
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = allowNullForOptional(v);
  if (out.type === "object" && out.properties && typeof out.properties === "object") {
    const required = new Set((out.required as string[] | undefined) ?? []);
    const props: Json = {};
    for (const [k, v] of Object.entries(out.properties as Json)) {
      props[k] = required.has(k) ? v : { anyOf: [v, { type: "null" }] };
    }
    out.properties = props;
  }
  return out;
}

/** File name → file content (stable formatting, trailing newline). */
export function generateSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, { schema, title }] of Object.entries(SCHEMA_FILES)) {
    const json = { ...(allowNullForOptional(z.toJSONSchema(schema, { io: "input" })) as Json), title };
    out[file] = `${JSON.stringify(json, null, 2)}\n`;
  }
  return out;
}
