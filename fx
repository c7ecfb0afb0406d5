#!/usr/bin/env bash
# fx: FX on Flink from the checkout.
#   ./fx up            the whole platform locally (Ctrl-C or ./fx down stops it)
#   ./fx stack up      only the servers (Kafka, Elasticsearch, S3, PostgreSQL)
#   ./fx --help        every other command (they talk to the manager API)
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
built() { [ -f "$root/$1/target/classpath.txt" ] && [ -d "$root/$1/target/classes" ]; }
classpath() { echo "$root/$1/target/classes:$(cat "$root/$1/target/classpath.txt")"; }

if [ "${1:-}" = stack ]; then
  shift
  if ! built stack/launcher || [ ! -d "$root/stack/dist/target/fx-dist" ]; then
    echo "fx: building the local stack launcher (first run only) ..." >&2
    "$root/mvnw" -q -pl stack/dist,stack/launcher -am install -DskipTests >&2
  fi
  exec java -Dfx.root="$root" -cp "$(classpath stack/launcher)" io.fxflink.stack.LocalStackMain "$@"
fi

if ! built cli || { [ "${1:-}" = up ] && ! built platform; }; then
  echo "fx: building the platform (first run only, a few minutes) ..." >&2
  "$root/mvnw" -q install -DskipTests >&2
fi
exec java -Dfx.root="$root" -cp "$(classpath cli)" io.fxflink.cli.FxCli "$@"
