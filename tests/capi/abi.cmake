# The C ABI's record: capi/keyproj.abi is what abidw (libabigail) reads from
# libkeyproj.so.1 -- every kp_* function with its parameter and return types, the
# public structs' layouts, the handles as opaque types -- and this script is the
# one place that says how it is read.
#
#   cmake -DMODE=check  -DLIB=<libkeyproj.so.1> -DSRC=<source dir> -DBUILD=<build dir> -DOUT=<scratch file> -P abi.cmake
#     (ctest capi.abi) fails on ANY difference from capi/keyproj.abi, additions
#     included, printing abidiff's report;
#   cmake -DMODE=record -DLIB=<libkeyproj.so.1> -DSRC=<source dir> -DBUILD=<build dir> -P abi.cmake
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
# --drop-private-types keeps the definitions of the types declared in keyproj.h,
# recognised by the path the debug information gives the header. A compiler run
# from the build folder with relative paths (ccache with CCACHE_BASEDIR does that)
# writes "../../capi/keyproj.h", which abidw matches only from that folder: without
# the match every public struct would be recorded as a bare declaration and a
# changed layout would pass unseen. So the absolute path is tried, then the path
# relative to BUILD (the folder the compiler ran in), and a record without the
# layout of kp_load_options is refused.
set(header_tries "${SRC}/capi/keyproj.h")
set(dir_tries "${SRC}")
if(DEFINED BUILD)
  file(RELATIVE_PATH relative_header "${BUILD}" "${SRC}/capi/keyproj.h")
  list(APPEND header_tries "${relative_header}")
  list(APPEND dir_tries "${BUILD}")
endif()
set(abi "")
foreach(i RANGE 0 1)
  list(LENGTH header_tries n)
  if(i GREATER_EQUAL n)
    break()
  endif()
  list(GET header_tries ${i} header)
  list(GET dir_tries ${i} dir)
  execute_process(
    COMMAND "${ABIDW}" --no-corpus-path --no-comp-dir-path --no-show-locs --exported-interfaces-only
            --header-file "${header}" --drop-private-types "${LIB}"
    WORKING_DIRECTORY "${dir}" OUTPUT_VARIABLE abi RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "abidw ${LIB} failed (${rc})")
  endif()
  if(abi MATCHES "class-decl name='kp_load_options' size-in-bits=")
    break()
  endif()
endforeach()
string(REPLACE "${SRC}/" "" abi "${abi}")
if(NOT abi MATCHES "function-decl name='kp_version'")
  message(FATAL_ERROR "abidw found no kp_version in ${LIB}: is it built with debug information (-g)?")
endif()
if(NOT abi MATCHES "class-decl name='kp_load_options' size-in-bits=")
  message(FATAL_ERROR "abidw did not read the layout of the public structs (kp_load_options) in ${LIB}: "
                      "the debug information names capi/keyproj.h by a path abidw cannot match "
                      "(pass -DBUILD=<the folder the compiler ran in>)")
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
