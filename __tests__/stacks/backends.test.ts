/**
 * The `terraform.backend` block each `state:` config synthesizes to, including the locking fields,
 * and the credential fields a backend must never take from config.
 */
import { AzurermState, GcsState, LocalState, RemoteState, S3State } from "../../config/schema";
import { loadConfig } from "../../config/load";
import { STACK_DIR_TO_PROJECT_ROOT } from "../../stacks/gateway-stack";
import { EXAMPLE_CONFIG, loadTree, loadValid, MINIMAL_GATEWAY, synthEnv } from "../helpers";

const HOST = "workspace:\n  host: https://dbc-1.cloud.databricks.com\n";

/** The synthesized backend block of a one-environment tree whose env file has this `state:`. */
function backendOf(state: string): Record<string, unknown> {
  const envs = loadValid({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": HOST + state });
  return synthEnv(envs.dev).terraform.backend;
}

describe("terraform.backend per state backend", () => {
  test.each<[string, string, Record<string, unknown>]>([
    [
      "local by default, at the project root, relative (identical across checkouts)",
      "",
      { local: { path: "../../../terraform.gateway-dev.tfstate" } },
    ],
    [
      "local with a relative path: relative to the project root, not to the wiped stack directory",
      "state:\n  backend: local\n  path: state/dev.tfstate\n",
      { local: { path: "../../../state/dev.tfstate" } },
    ],
    [
      "local with an absolute path: kept",
      "state:\n  backend: local\n  path: /var/lib/terraform/dev.tfstate\n",
      { local: { path: "/var/lib/terraform/dev.tfstate" } },
    ],
    [
      "s3 locking with a lock file next to the state (use_lockfile)",
      "state:\n  backend: s3\n  bucket: acme-tf\n  key: ai-gateway/dev.tfstate\n  region: eu-west-1\n  use_lockfile: true\n  encrypt: true\n",
      {
        s3: { bucket: "acme-tf", key: "ai-gateway/dev.tfstate", region: "eu-west-1", use_lockfile: true, encrypt: true },
      },
    ],
    [
      "s3 locking with a DynamoDB table",
      "state:\n  backend: s3\n  bucket: acme-tf\n  key: k.tfstate\n  region: us-east-1\n  dynamodb_table: terraform-locks\n",
      { s3: { bucket: "acme-tf", key: "k.tfstate", region: "us-east-1", dynamodb_table: "terraform-locks" } },
    ],
    [
      "s3 while migrating from DynamoDB to lock files (both locks held)",
      "state:\n  backend: s3\n  bucket: b\n  key: k\n  region: r\n  use_lockfile: true\n  dynamodb_table: t\n",
      { s3: { bucket: "b", key: "k", region: "r", use_lockfile: true, dynamodb_table: "t" } },
    ],
    [
      "s3 role_arn and endpoint in the nested form Terraform >= 1.11 takes",
      "state:\n  backend: s3\n  bucket: b\n  key: k\n  region: r\n  role_arn: arn:aws:iam::123456789012:role/tf\n  endpoint: https://minio.internal:9000\n",
      {
        s3: {
          bucket: "b",
          key: "k",
          region: "r",
          assume_role: { role_arn: "arn:aws:iam::123456789012:role/tf" },
          endpoints: { s3: "https://minio.internal:9000" },
        },
      },
    ],
    [
      "gcs (locks natively)",
      "state:\n  backend: gcs\n  bucket: acme-tf\n  prefix: ai-gateway/dev\n",
      { gcs: { bucket: "acme-tf", prefix: "ai-gateway/dev" } },
    ],
    [
      "azurerm (locks with a blob lease), Entra ID auth",
      "state:\n  backend: azurerm\n  resource_group_name: tfstate\n  storage_account_name: acmetfstate\n  container_name: tfstate\n  key: ai-gateway/dev.tfstate\n  use_azuread_auth: true\n  use_oidc: true\n",
      {
        azurerm: {
          resource_group_name: "tfstate",
          storage_account_name: "acmetfstate",
          container_name: "tfstate",
          key: "ai-gateway/dev.tfstate",
          use_azuread_auth: true,
          use_oidc: true,
        },
      },
    ],
    [
      "remote (HCP Terraform) with one workspace by name",
      "state:\n  backend: remote\n  organization: acme\n  workspaces:\n    name: ai-gateway-dev\n",
      { remote: { organization: "acme", workspaces: { name: "ai-gateway-dev" } } },
    ],
    [
      "remote with a workspace prefix and a hostname (Terraform Enterprise)",
      "state:\n  backend: remote\n  hostname: tfe.acme.com\n  organization: acme\n  workspaces:\n    prefix: ai-gateway-\n",
      { remote: { hostname: "tfe.acme.com", organization: "acme", workspaces: { prefix: "ai-gateway-" } } },
    ],
  ])("%s", (_name, state, expected) => {
    expect(backendOf(state)).toEqual(expected);
  });

  test("the local state path climbs out of cdktf.out/stacks/<stack>/ exactly", () => {
    // Terraform runs in cdktf.out/stacks/gateway-dev; three levels up is the project root.
    expect(STACK_DIR_TO_PROJECT_ROOT.split("/")).toEqual(["..", "..", ".."]);
  });

  /**
   * Every field the schema accepts, with a value, and the Terraform attribute it must become.
   * Each table must cover its schema exactly, so a field added to the schema without a mapping
   * fails here rather than in `terraform init`.
   */
  const EVERY_FIELD: Array<[string, { shape: Record<string, unknown> }, Record<string, unknown>, Record<string, unknown>]> = [
    ["local", LocalState, { path: "s.tfstate" }, { path: "../../../s.tfstate" }],
    [
      "s3",
      S3State,
      {
        bucket: "b",
        key: "k",
        region: "r",
        use_lockfile: true,
        dynamodb_table: "t",
        encrypt: true,
        kms_key_id: "arn:aws:kms:us-east-1:123456789012:alias/tf",
        role_arn: "arn:aws:iam::123456789012:role/tf",
        profile: "ci",
        workspace_key_prefix: "env",
        endpoint: "https://s3.internal",
      },
      {
        bucket: "b",
        key: "k",
        region: "r",
        use_lockfile: true,
        dynamodb_table: "t",
        encrypt: true,
        kms_key_id: "arn:aws:kms:us-east-1:123456789012:alias/tf",
        assume_role: { role_arn: "arn:aws:iam::123456789012:role/tf" },
        profile: "ci",
        workspace_key_prefix: "env",
        endpoints: { s3: "https://s3.internal" },
      },
    ],
    [
      "gcs",
      GcsState,
      { bucket: "b", prefix: "p", impersonate_service_account: "tf@p.iam.gserviceaccount.com", kms_encryption_key: "projects/p/locations/l/keyRings/r/cryptoKeys/k" },
      { bucket: "b", prefix: "p", impersonate_service_account: "tf@p.iam.gserviceaccount.com", kms_encryption_key: "projects/p/locations/l/keyRings/r/cryptoKeys/k" },
    ],
    [
      "azurerm",
      AzurermState,
      {
        storage_account_name: "s",
        container_name: "c",
        key: "k",
        resource_group_name: "rg",
        subscription_id: "00000000-0000-0000-0000-000000000001",
        tenant_id: "00000000-0000-0000-0000-000000000002",
        client_id: "00000000-0000-0000-0000-000000000003",
        use_azuread_auth: true,
        use_oidc: true,
        use_msi: false,
      },
      {
        storage_account_name: "s",
        container_name: "c",
        key: "k",
        resource_group_name: "rg",
        subscription_id: "00000000-0000-0000-0000-000000000001",
        tenant_id: "00000000-0000-0000-0000-000000000002",
        client_id: "00000000-0000-0000-0000-000000000003",
        use_azuread_auth: true,
        use_oidc: true,
        use_msi: false,
      },
    ],
    [
      "remote",
      RemoteState,
      { hostname: "app.terraform.io", organization: "acme", workspaces: { name: "w" } },
      { hostname: "app.terraform.io", organization: "acme", workspaces: { name: "w" } },
    ],
  ];

  test.each(EVERY_FIELD)("%s: every schema field reaches the backend block under its Terraform name", (backend, schema, fields, expected) => {
    expect(Object.keys(fields).sort()).toEqual(Object.keys(schema.shape).filter((k) => k !== "backend").sort());
    const yaml = `state:\n  backend: ${backend}\n` + Object.entries(fields).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`).join("");
    expect(backendOf(yaml)).toEqual({ [backend]: expected });
  });

  test("the example staging environment locks its S3 state with a lock file", () => {
    const result = loadConfig(EXAMPLE_CONFIG);
    const staging = result.environments.find((e) => e.config.name === "staging")!.config;
    expect(synthEnv(staging).terraform.backend.s3).toEqual(
      expect.objectContaining({ bucket: "acme-terraform-state", use_lockfile: true }),
    );
  });
});

describe("databricks provider constraint", () => {
  test("defaults to the 1.x line from the bindings' version on", () => {
    const envs = loadValid({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": HOST });
    expect(synthEnv(envs.dev).terraform.required_providers.databricks).toEqual({
      source: "databricks/databricks",
      version: ">= 1.99.0, < 2.0.0",
    });
  });

  test("an environment's provider.version replaces it", () => {
    const envs = loadValid({
      "gateway.yaml": MINIMAL_GATEWAY,
      "environments/dev.yaml": HOST + 'provider:\n  version: "~> 1.99.0"\n',
    });
    expect(synthEnv(envs.dev).terraform.required_providers.databricks.version).toBe("~> 1.99.0");
  });
});

describe("backend credentials are rejected with the environment variable to use", () => {
  const SECRET = "s3cr3t-VALUE-never-echoed";
  const REQUIRED: Record<string, string> = {
    s3: "  bucket: b\n  key: k\n  region: r\n",
    gcs: "  bucket: b\n  prefix: p\n",
    azurerm: "  storage_account_name: s\n  container_name: c\n  key: k\n",
    remote: "  organization: acme\n  workspaces:\n    name: w\n",
  };
  const REQUIRED_LINES: Record<string, number> = { s3: 3, gcs: 2, azurerm: 3, remote: 3 };

  test.each<[string, string, string]>([
    ["s3", "access_key", "AWS_ACCESS_KEY_ID (s3) or ARM_ACCESS_KEY (azurerm)"],
    ["s3", "secret_key", "AWS_SECRET_ACCESS_KEY"],
    ["s3", "token", "AWS_SESSION_TOKEN (s3) or TF_TOKEN_app_terraform_io (remote; for another hostname TF_TOKEN_<hostname with dots as underscores>)"],
    ["s3", "sse_customer_key", "AWS_SSE_CUSTOMER_KEY"],
    ["gcs", "credentials", "GOOGLE_BACKEND_CREDENTIALS or GOOGLE_CREDENTIALS"],
    ["gcs", "access_token", "GOOGLE_OAUTH_ACCESS_TOKEN"],
    ["gcs", "encryption_key", "GOOGLE_ENCRYPTION_KEY"],
    ["azurerm", "access_key", "AWS_ACCESS_KEY_ID (s3) or ARM_ACCESS_KEY (azurerm)"],
    ["azurerm", "sas_token", "ARM_SAS_TOKEN"],
    ["azurerm", "client_secret", "ARM_CLIENT_SECRET"],
    ["azurerm", "client_certificate", "ARM_CLIENT_CERTIFICATE (or a file path in ARM_CLIENT_CERTIFICATE_PATH)"],
    ["azurerm", "client_certificate_password", "ARM_CLIENT_CERTIFICATE_PASSWORD"],
    ["azurerm", "oidc_token", "ARM_OIDC_TOKEN"],
    ["remote", "token", "AWS_SESSION_TOKEN (s3) or TF_TOKEN_app_terraform_io (remote; for another hostname TF_TOKEN_<hostname with dots as underscores>)"],
  ])("%s %s", (backend, key, envVar) => {
    const env = `${HOST}state:\n  backend: ${backend}\n${REQUIRED[backend]}  ${key}: ${SECRET}\n`;
    const result = loadTree({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": env });
    // HOST is 2 lines, then `state:`, `backend:`, the required fields; the secret's key is next.
    const line = 2 + 2 + REQUIRED_LINES[backend] + 1;
    expect(result.lines).toEqual([
      `environments/dev.yaml:${line}:3 state.${key}: "${key}" is a credential and must not be written in config (it would be committed and land in the state backend block); set ${envVar} in the deploy job's environment instead`,
    ]);
    expect(result.environments).toEqual([]);
    expect(result.lines.join("\n")).not.toContain(SECRET);
  });

  test("a credential in a flow-style state map is located at its key", () => {
    const stateLine = `state: { backend: gcs, bucket: b, prefix: p, credentials: ${SECRET} }`;
    const result = loadTree({ "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": `${HOST}${stateLine}\n` });
    const col = stateLine.indexOf("credentials:") + 1;
    expect(col).toBe(46);
    expect(result.lines).toEqual([
      `environments/dev.yaml:3:${col} state.credentials: "credentials" is a credential and must not be written in config (it would be committed and land in the state backend block); set GOOGLE_BACKEND_CREDENTIALS or GOOGLE_CREDENTIALS in the deploy job's environment instead`,
    ]);
  });
});
