#!/usr/bin/env bash
# Prints the environment names (config/environments/<env>.yaml) as a JSON array, for a job matrix.
set -euo pipefail
dir="${GATEWAY_CONFIG_DIR:-config}/environments"
find "${dir}" -maxdepth 1 -name '*.yaml' -printf '%f\n' | sed 's/\.yaml$//' | sort | jq -R . | jq -cs .
