# The C ABI's record: capi/keyproj.abi is what abidw (libabigail) reads from
# libkeyproj.so.1 -- every kp_* function with its parameter and return types, the
# public structs' layouts, the handles as opaque types -- and this script is the
# one place that says how it is read.
#
#   cmake -DMODE=check  -DLIB=<libkeyproj.so.1> -DSRC=<source dir> -DOUT=<scratch file> -P abi.cmake
#     (ctest capi.abi) fails on ANY difference from capi/keyproj.abi, additions
#     included, printing abidiff's report;
#   cmake -DMODE=record -DLIB=<libkeyproj.so.1> -DSRC=<source dir> -P abi.cmake
#     (scripts/record-abi.sh) rewrites capi/keyproj.abi: commit it with the change.
#
# Only what keyproj.h declares is recorded (--header-file, --drop-private-types,
# --exported-interfaces-only); source paths are made relative to SRC so the
# record does not depend on where the tree is checked out.
set(baseline "${SRC}/capi/keyproj.abi")
if(MODE STREQUAL "record")
  set(OUT "${baseline}")
endif()
find_program(ABIDW abidw REQUIRED)
find_program(ABIDIFF abidiff REQUIRED)
execute_process(
  COMMAND "${ABIDW}" --no-corpus-path --no-comp-dir-path --no-show-locs --exported-interfaces-only
          --header-file "${SRC}/capi/keyproj.h" --drop-private-types "${LIB}"
  OUTPUT_VARIABLE abi RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "abidw ${LIB} failed (${rc})")
endif()
string(REPLACE "${SRC}/" "" abi "${abi}")
if(NOT abi MATCHES "function-decl name='kp_version'")
  message(FATAL_ERROR "abidw found no kp_version in ${LIB}: is it built with debug information (-g)?")
endif()
file(WRITE "${OUT}" "${abi}")
if(MODE STREQUAL "record")
  message(STATUS "recorded ${baseline}")
  return()
endif()
execute_process(COMMAND "${ABIDIFF}" "${baseline}" "${OUT}" OUTPUT_VARIABLE diff ERROR_VARIABLE diff RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "libkeyproj.so.1's ABI differs from capi/keyproj.abi (abidiff exit ${rc}):\n${diff}\n"
                      "An intended change (an added function, a grown option struct) is recorded with "
                      "scripts/record-abi.sh and committed with the change; anything else is a break.")
endif()
message(STATUS "ABI as recorded in capi/keyproj.abi")
