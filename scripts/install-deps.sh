#!/usr/bin/env bash
# Installs the Debian 12 packages keyproj needs to build and test, and only the
# ones that are missing. Idempotent; prints nothing when all are installed.
set -euo pipefail

packages=(
  build-essential
  cmake
  ninja-build
  pkg-config
  libboost-dev
  libboost-date-time-dev
  libabsl-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  libsqlite3-dev  # tests/sql_differential_test (required) and bench/dashboard_bench: the dashboard as SQL
  libxlsxwriter-dev
  libtomlplusplus-dev
  python3
  python3-setuptools  # bindings/python: pip install --no-build-isolation
  python3-wheel
  python3-pip
  python3-numpy       # bindings/python tests (optional at run time)
  python3-pandas      # bindings/python: Report.to_pandas() is tested, never skipped
  unzip
  abigail-tools  # abidw/abidiff: the C ABI check (tests/capi)
  openjdk-17-jdk-headless  # javac/java: examples/java (ctest example.java)
  libjna-java    # /usr/share/java/jna.jar: how examples/java calls libkeyproj.so.1
  libreoffice-calc-nogui  # soffice --headless: the workbook printed to PDF (tests/xlsx_print)
  libzip-dev     # src/xlsx: --data ledger.xlsx (the workbook's zip)
  libexpat1-dev  # src/xlsx: the workbook's XML parts
  poppler-utils  # pdfinfo/pdftotext: reading that PDF's pages back
  fonts-wqy-zenhei  # a CJK font, so the printed workbook shows its Chinese (not boxes)
  python3-distributed  # dask.distributed: examples/python/rollup_dask.py (partials on worker processes)
)

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    if [[ -t 0 ]]; then sudo=(sudo); else sudo=(sudo -n); fi
  else
    echo "install-deps: not root and sudo is not available; install: ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Use-Pty=0 "${missing[@]}" </dev/null >/dev/null
echo "install-deps: done" >&2
