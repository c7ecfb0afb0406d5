#!/usr/bin/env bash
# fx: FX on Flink from the checkout. `./fx up` starts the platform locally, Ctrl-C stops it.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
launcher=$root/stack/launcher/target
if [ ! -f "$launcher/classpath.txt" ] || [ ! -d "$root/stack/dist/target/fx-dist" ]; then
  echo "fx: building the local stack launcher (first run only, a few minutes) ..." >&2
  "$root/mvnw" -q -pl stack/dist,stack/launcher -am install -DskipTests -DskipITs >&2
fi
exec java -Dfx.root="$root" -cp "$launcher/classes:$(cat "$launcher/classpath.txt")" \
  io.fxflink.stack.LocalStackMain "$@"
