#!/usr/bin/env bash
# Refuses to deploy an environment whose Terraform state would live on the CI runner, or in S3
# without a lock.
#
# A runner is thrown away after the job, and with it a local state file: the next deploy would
# know nothing of the endpoints it created and fail to create them again (or, after a rename,
# leave the old ones running unmanaged). CI deploys need a shared backend with locking: gcs,
# azurerm and remote always lock; s3 locks only with use_lockfile or a DynamoDB table.
#
# Usage: require-shared-state.sh <environment>, after `npm run synth`.
set -euo pipefail

env_name="${1:?usage: require-shared-state.sh <environment>}"
stack_json="${CDKTF_OUTDIR:-cdktf.out}/stacks/gateway-${env_name}/cdk.tf.json"

# The file the environment is written in, for the annotation: <env>.yaml, or <env>.yml as the loader also reads.
env_file="config/environments/${env_name}.yaml"
if [[ ! -f "${GATEWAY_CONFIG_DIR:-config}/environments/${env_name}.yaml" && -f "${GATEWAY_CONFIG_DIR:-config}/environments/${env_name}.yml" ]]; then
  env_file="config/environments/${env_name}.yml"
fi

if [[ ! -f "${stack_json}" ]]; then
  echo "::error::${stack_json} not found: run 'npm run synth' first"
  exit 1
fi

backend="$(jq -r '.terraform.backend // {"local": {}} | keys[0]' "${stack_json}")"
if [[ "${backend}" == "local" ]]; then
  echo "::error file=${env_file}::gateway-${env_name} keeps its Terraform state on the runner (state.backend: local), which CI throws away after the job. Set state.backend to s3, gcs, azurerm or remote in ${env_file} (see README.md#deploying)."
  exit 1
fi
if [[ "${backend}" == "s3" ]]; then
  locked="$(jq -r '.terraform.backend.s3 | ((.use_lockfile == true or .use_lockfile == "true") or ((.dynamodb_table // "") != ""))' "${stack_json}")"
  if [[ "${locked}" != "true" ]]; then
    echo "::error file=${env_file}::gateway-${env_name} keeps its Terraform state in S3 without a lock (neither state.use_lockfile nor state.dynamodb_table is set): two deploys, or a deploy and the drift check, could write the state at once and corrupt it. Set state.use_lockfile: true (Terraform >= 1.10) or state.dynamodb_table in ${env_file} (see README.md#deploying)."
    exit 1
  fi
fi
echo "gateway-${env_name}: state in the ${backend} backend."
