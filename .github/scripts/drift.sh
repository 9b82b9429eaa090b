#!/usr/bin/env bash
# Drift check of one environment, run nightly by .github/workflows/drift.yml after `npm run synth`.
#
# `cdktf diff` cannot tell drift from no drift: it runs `terraform plan` without
# -detailed-exitcode and exits 0 either way. So this runs Terraform on cdktf's own output
# (cdktf.out/stacks/gateway-<env>) with -detailed-exitcode: 0 = no changes, 2 = changes, 1 = error.
# Needs the real terraform binary (setup-terraform with terraform_wrapper: false: the wrapper
# rewrites exit code 2).
#
# Usage: drift.sh <environment>. Exit 0: no drift. Exit 1: drift (plan in the job summary) or error.
set -uo pipefail

env_name="${1:?usage: drift.sh <environment>}"
stack="gateway-${env_name}"
stack_dir="${CDKTF_OUTDIR:-cdktf.out}/stacks/${stack}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
# The step summary takes at most 1 MiB; leave room for the heading.
max_plan_bytes=900000

if [[ ! -f "${stack_dir}/cdk.tf.json" ]]; then
  echo "::error::${stack_dir}/cdk.tf.json not found: run 'npm run synth' first"
  exit 1
fi
cd "${stack_dir}" || exit 1

if ! terraform init -input=false -no-color >init.log 2>&1; then
  cat init.log
  echo "::error::terraform init failed for ${stack}"
  printf '### %s: drift check failed\n\n`terraform init` failed; see the job log.\n' "${stack}" >>"${summary}"
  exit 1
fi

# Wait for a running deploy's state lock instead of failing on it.
terraform plan -input=false -no-color -detailed-exitcode -lock-timeout=15m >plan.txt 2>plan.err
code=$?

case "${code}" in
  0)
    echo "No drift: ${stack} matches main."
    printf '### %s: no drift\n' "${stack}" >>"${summary}"
    exit 0
    ;;
  2)
    cat plan.txt
    echo "::error::Drift in ${stack}: the deployed endpoints differ from main (plan in the job summary)"
    {
      printf '### %s: drift\n\n' "${stack}"
      printf 'What `cdktf deploy %s` would change to bring the workspace back to main. ' "${stack}"
      printf 'Re-run the deploy to restore main, or change the config to keep the change.\n\n'
      printf '```diff\n'
      # Drop the refresh chatter; move each change marker to column 0 so the block highlights.
      grep -v ': Refreshing state\.\.\.' plan.txt |
        sed -E 's/^([[:space:]]*)([-+~])( |$)/\2\1\3/; s/^~/!/' |
        head -c "${max_plan_bytes}"
      printf '\n```\n'
    } >>"${summary}"
    exit 1
    ;;
  *)
    cat plan.txt plan.err
    echo "::error::terraform plan failed for ${stack} (exit ${code})"
    printf '### %s: drift check failed\n\n`terraform plan` exited with %s; see the job log.\n' "${stack}" "${code}" >>"${summary}"
    exit 1
    ;;
esac
