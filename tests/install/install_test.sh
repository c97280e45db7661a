#!/usr/bin/env bash
# ctest install.consumers: installs a built keyproj into a temporary prefix and
# builds a C program against the INSTALLED tree, twice -- with pkg-config and with
# CMake's find_package(keyproj) -- then runs both on examples/data and checks that
# each prints exactly what `keyproj report --format json` prints for the same request.
#
#   install_test.sh BUILD_DIR SOURCE_DIR LIBDIR KEYPROJ_CLI CC [EXTRA_CFLAGS]
#
# LIBDIR is CMAKE_INSTALL_LIBDIR ("lib"); EXTRA_CFLAGS are the build's sanitizer
# flags (a consumer of an ASan library must itself be built with ASan).
set -euo pipefail

if (($# < 5)); then
  echo "usage: $0 BUILD_DIR SOURCE_DIR LIBDIR KEYPROJ_CLI CC [EXTRA_CFLAGS]" >&2
  exit 2
fi
build=$1 source=$2 libdir=$3 cli=$4 cc=$5 extra=${6:-}
cmake=${CMAKE_COMMAND:-cmake}
data="$source/examples/data"
consumer="$source/tests/install/consumer"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/keyproj-install.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"

step() { echo "== $*"; }
die() { echo "install_test: $*" >&2; exit 1; }

step "cmake --install $build --prefix $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log" >&2; die "cmake --install failed"; }
for f in include/keyproj.h "$libdir/libkeyproj.so.1" "$libdir/libkeyproj.so" "$libdir/pkgconfig/keyproj.pc" \
         "$libdir/cmake/keyproj/keyprojConfig.cmake" "$libdir/cmake/keyproj/keyprojConfigVersion.cmake"; do
  [[ -e "$prefix/$f" ]] || die "the install did not put $f in place (files: $(cd "$prefix" && find . -type f -o -type l | sort | tr '\n' ' '))"
done
# The installed library must load with nothing but the system's libraries:
# Abseil and libxlsxwriter are its NEEDED entries, resolved from Debian's packages.
ldd "$prefix/$libdir/libkeyproj.so.1" >"$tmp/ldd.txt"
if grep -q "not found" "$tmp/ldd.txt"; then
  die "the installed libkeyproj.so.1 needs libraries the loader cannot find: $(grep 'not found' "$tmp/ldd.txt")"
fi

expected="$tmp/expected.json"
"$cli" report --data "$data" --as-of 2024-09 --group-by county --indicators projects,start_rate,investment_ytd \
  --format json >"$expected"
[[ -s "$expected" ]] || die "$cli printed nothing"

check_output() {  # NAME FILE
  if ! cmp -s "$expected" "$2"; then
    diff -u "$expected" "$2" | head -40 >&2 || true
    die "$1: the consumer's report differs from the CLI's (above: - CLI, + consumer)"
  fi
  echo "$1: $(wc -c <"$2") bytes, the same as the CLI's"
}

loads_installed() {  # NAME LDD_OUTPUT: the program resolves libkeyproj.so.1 to the installed file
  [[ "$2" == *"libkeyproj.so.1 => $prefix/$libdir/libkeyproj.so.1 "* ]] ||
    die "$1 does not load $prefix/$libdir/libkeyproj.so.1: $(grep keyproj <<<"$2" || echo 'no libkeyproj at all')"
}

step "pkg-config"
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
pc_flags="$(pkg-config --cflags --libs keyproj)"
echo "pkg-config --cflags --libs keyproj: $pc_flags"
# A consumer links -lkeyproj only: Abseil stays inside libkeyproj.so.
if grep -qi "absl\|xlsxwriter" <<<"$pc_flags $(pkg-config --static --libs keyproj)"; then
  die "keyproj.pc leaks the library's own dependencies: $pc_flags"
fi
[[ "$(pkg-config --modversion keyproj)" == "$(sed -n 's/^Version: //p' "$PKG_CONFIG_PATH/keyproj.pc")" ]] ||
  die "pkg-config --modversion disagrees with keyproj.pc"
# shellcheck disable=SC2086  # the flags are words
"$cc" -std=c99 -pedantic -Wall -Wextra -Werror $extra "$consumer/consumer.c" $pc_flags -o "$tmp/consumer-pc"
LD_LIBRARY_PATH="$prefix/$libdir" "$tmp/consumer-pc" "$data" >"$tmp/pc.json" || die "the pkg-config consumer failed"
loads_installed "pkg-config consumer" "$(LD_LIBRARY_PATH="$prefix/$libdir" ldd "$tmp/consumer-pc")"
check_output "pkg-config consumer" "$tmp/pc.json"

step "pkg-config, the installed tree moved"
# keyproj.pc finds its prefix from where it lies: a copy of the tree elsewhere gives
# that copy's directories, never the tree it was installed to.
moved="$tmp/moved-prefix"
cp -a "$prefix" "$moved"
moved_flags="$(PKG_CONFIG_PATH="$moved/$libdir/pkgconfig" pkg-config --cflags --libs keyproj)"
[[ "$moved_flags" == *"$moved/"* && "$moved_flags" != *"$prefix/"* ]] ||
  die "keyproj.pc of a moved tree does not name the moved tree: $moved_flags"

step "find_package(keyproj)"
unset PKG_CONFIG_PATH
"$cmake" -S "$consumer" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$extra" -DCMAKE_BUILD_TYPE=Release >"$tmp/cmake.log" 2>&1 ||
  { cat "$tmp/cmake.log" >&2; die "configuring the find_package consumer failed"; }
"$cmake" --build "$tmp/cmake-build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; die "building the find_package consumer failed"; }
# No LD_LIBRARY_PATH: CMake's build RPATH must point at the installed library.
"$tmp/cmake-build/consumer" "$data" >"$tmp/cmake.json" || die "the find_package consumer failed"
loads_installed "find_package consumer" "$(ldd "$tmp/cmake-build/consumer")"
check_output "find_package consumer" "$tmp/cmake.json"
echo "install.consumers: ok"
