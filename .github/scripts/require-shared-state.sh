#!/usr/bin/env bash
# Refuses to deploy an environment whose Terraform state would live on the CI runner.
#
# A runner is thrown away after the job, and with it a local state file: the next deploy would
# know nothing of the endpoints it created and fail to create them again (or, after a rename,
# leave the old ones running unmanaged). CI deploys need a shared backend with locking.
#
# Usage: require-shared-state.sh <environment>, after `npm run synth`.
set -euo pipefail

env_name="${1:?usage: require-shared-state.sh <environment>}"
stack_json="${CDKTF_OUTDIR:-cdktf.out}/stacks/gateway-${env_name}/cdk.tf.json"

if [[ ! -f "${stack_json}" ]]; then
  echo "::error::${stack_json} not found: run 'npm run synth' first"
  exit 1
fi

backend="$(jq -r '.terraform.backend // {"local": {}} | keys[0]' "${stack_json}")"
if [[ "${backend}" == "local" ]]; then
  echo "::error file=config/environments/${env_name}.yaml::gateway-${env_name} keeps its Terraform state on the runner (state.backend: local), which CI throws away after the job. Set state.backend to s3, gcs, azurerm or remote in config/environments/${env_name}.yaml (see docs/deploying.md)."
  exit 1
fi
echo "gateway-${env_name}: state in the ${backend} backend."
