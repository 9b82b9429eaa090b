/**
 * cdktf's Testing.app() leaves a temp directory per call: give the whole run (and its workers,
 * which inherit the environment) one temp root that global-teardown removes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export default function globalSetup(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ai-gateway-stack-jest-"));
  process.env.AI_GATEWAY_TEST_TMP = root;
  process.env.TMPDIR = root;
}
