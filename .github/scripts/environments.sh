#!/usr/bin/env bash
# Prints the environment names (config/environments/<env>.yaml) as a JSON array in deploy order
# (deploy.order, then by name), for a job matrix. With an environment name, prints just that one
# (or fails when there is no such environment). Run from the repository root after `npm ci`.
set -euo pipefail
exec node --require tsx/cjs "$(dirname "$0")/environments.ts" "$@"
