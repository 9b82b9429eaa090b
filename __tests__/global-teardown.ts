import * as fs from "fs";

export default function globalTeardown(): void {
  const root = process.env.AI_GATEWAY_TEST_TMP;
  if (root && root.includes("ai-gateway-stack-jest-")) fs.rmSync(root, { recursive: true, force: true });
}
