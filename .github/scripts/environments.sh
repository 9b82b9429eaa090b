#!/usr/bin/env bash
# Prints the environment names (config/environments/<env>.yaml or <env>.yml, as the loader reads
# them) as a JSON array, for a job matrix.
set -euo pipefail
dir="${GATEWAY_CONFIG_DIR:-config}/environments"
find "${dir}" -maxdepth 1 \( -name '*.yaml' -o -name '*.yml' \) -printf '%f\n' | sed -E 's/\.ya?ml$//' | sort -u | jq -R . | jq -cs .
