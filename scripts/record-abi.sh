#!/usr/bin/env bash
# Re-records the C ABI (capi/keyproj.abi) from the dev build's libkeyproj.so.1.
# Run it after an intended change to capi/keyproj.h and commit the new record with
# the change; ctest's capi.abi fails until then. See tests/capi/abi.cmake.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target keyproj_capi
cmake -DMODE=record -DLIB="$root/build/dev/capi/libkeyproj.so.1" -DSRC="$root" -DBUILD="$root/build/dev" -P tests/capi/abi.cmake
git --no-pager diff --stat -- capi/keyproj.abi || true
