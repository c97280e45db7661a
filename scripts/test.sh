#!/usr/bin/env bash
# Build and test one preset: scripts/test.sh [dev|asan|tsan|release]   (default: dev)
#   (tsan builds and runs only the thread tests, label `threads`)
#   installs missing Debian packages, then
#   cmake --preset P && cmake --build --preset P && ctest --preset P
set -euo pipefail

preset="${1:-dev}"
case "$preset" in
  dev|asan|tsan|release) ;;
  -h|--help) echo "usage: $0 [dev|asan|tsan|release]"; exit 0 ;;
  *) echo "usage: $0 [dev|asan|tsan|release]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

t_start="$(now)"
# phase NAME CMD...: runs CMD, prints how long it took; stops the script on failure.
phase() {
  local name="$1"; shift
  local t0 rc=0
  t0="$(now)"
  echo "==> [$preset] $name: $*"
  "$@" || rc=$?
  if ((rc != 0)); then
    echo "==> [$preset] $name FAILED (exit $rc) after $(elapsed "$t0" "$(now)")s" >&2
    exit "$rc"
  fi
  echo "==> [$preset] $name done in $(elapsed "$t0" "$(now)")s"
}

phase deps      bash "$root/scripts/install-deps.sh"
phase configure cmake --preset "$preset"
if [[ "$preset" == dev && ! -e compile_commands.json && ! -L compile_commands.json ]]; then
  ln -s build/dev/compile_commands.json compile_commands.json  # for clangd & co. (git-ignored)
fi
phase build     cmake --build --preset "$preset"
phase test      ctest --preset "$preset"

echo "==> [$preset] all phases passed in $(elapsed "$t_start" "$(now)")s"
