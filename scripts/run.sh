#!/usr/bin/env bash
# The main job: build the release CLI and report on the bundled sample ledger.
#   scripts/run.sh              the dashboard by category, then the report's paragraphs
#   scripts/run.sh [options]    keyproj report --data examples/data [options], e.g.
#                               scripts/run.sh --group-by county --unit yi
# Build output goes to stderr, so stdout is only the CLI's.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash "$root/scripts/install-deps.sh" >&2
cmake --preset release >&2
cmake --build --preset release --target keyproj >&2

keyproj="$root/build/release/src/keyproj"
if (($# > 0)); then
  exec "$keyproj" report --data examples/data "$@"
fi
"$keyproj" report --data examples/data
echo
exec "$keyproj" report --data examples/data --format text
