#!/usr/bin/env bash
# Builds the librdkafka mock-cluster launcher (infra/kafka-mock/build/kafka-mock)
# and prints its path. Idempotent: installs librdkafka-dev only when missing,
# recompiles only when the binary is missing or older than its source.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/kafka-mock.c"
out_dir="$here/build"
bin="$out_dir/kafka-mock"

if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists rdkafka; then
  echo "kafka-mock: installing librdkafka-dev and pkg-config" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "kafka-mock: need root to apt-get install librdkafka-dev pkg-config" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq librdkafka-dev pkg-config >&2
fi

if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
  mkdir -p "$out_dir"
  cc="${CC:-cc}"
  tmp="$bin.tmp.$$"
  # shellcheck disable=SC2046
  "$cc" -std=gnu11 -O2 -Wall -Wextra -pthread -o "$tmp" "$src" \
    $(pkg-config --cflags --libs rdkafka) >&2
  mv -f "$tmp" "$bin"
fi

echo "$bin"
