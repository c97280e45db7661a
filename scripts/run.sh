#!/usr/bin/env bash
# Build the release CLI and run it on the sample data:
#   scripts/run.sh [extra args]  ->  build/release/src/keyproj summary --data examples/data [extra args]
# Build output goes to stderr, so stdout is only the CLI's.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash "$root/scripts/install-deps.sh" >&2
cmake --preset release >&2
cmake --build --preset release --target keyproj >&2

exec "$root/build/release/src/keyproj" summary --data examples/data "$@"
