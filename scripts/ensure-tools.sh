#!/usr/bin/env bash
# Installs the command-line tools the README walkthrough uses (curl, jq) if missing:
# test/readme.e2e-spec.ts runs that walkthrough as written.
set -euo pipefail
missing=()
for tool in curl jq; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then echo "missing: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
