#!/usr/bin/env bash
# Refuses to deploy an environment unless the environment before it in this run's deploy order
# succeeded in this same run (the deploy matrix runs one environment at a time, in order; this
# makes "each after the one before succeeded" hold even when a job before it failed, was
# cancelled, or was superseded by a newer run waiting in its concurrency group).
#
# Usage: previous-stage.sh <environment>, with ORDER (the matrix's JSON array of environments),
# GH_TOKEN, GITHUB_REPOSITORY and GITHUB_RUN_ID set. Needs `actions: read`. The jobs API's
# default filter=latest gives each job's most recent attempt, so "Re-run failed jobs" sees the
# environment before as it last concluded.
set -euo pipefail

env_name="${1:?usage: previous-stage.sh <environment>}"
previous="$(jq -r --arg env "${env_name}" 'index($env) as $i | if $i == null then error("not in ORDER") elif $i == 0 then "" else .[$i - 1] end' <<<"${ORDER:?ORDER is not set}")"
if [[ -z "${previous}" ]]; then
  echo "gateway-${env_name} is the first environment of this run."
  exit 0
fi
conclusion="$(gh api --paginate "repos/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}/jobs?filter=latest" \
  --jq ".jobs[] | select(.name == \"deploy gateway-${previous}\") | .conclusion // \"\"" | tail -n 1)"
if [[ "${conclusion}" != "success" ]]; then
  echo "::error::gateway-${env_name} deploys only after gateway-${previous} succeeded in this run (gateway-${previous}: ${conclusion:-not finished})."
  exit 1
fi
echo "gateway-${previous} succeeded; deploying gateway-${env_name}."
