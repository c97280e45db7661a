# Runs an example and checks what it prints (examples/CMakeLists.txt):
#
#   cmake -DCLI=<keyproj> -DDATA=<dir> -DAS_OF=2024-09 -DINDICATORS=a,b,c -DEXPECT=<regex>
#         -P check_example.cmake -- PROGRAM ARGS...
#
# The program must exit 0 and print, as tab-separated lines `KEY\tVALUE...` (KEY a
# county code or `total`, "-" for a value not applicable), exactly the rows of
# `keyproj report --data DATA --as-of AS_OF --group-by county --indicators
# INDICATORS --format json`, in order: the example's figures, through whichever
# language, are the CLI's. EXPECT is a figure the CLI printed, pinned here so
# that the CLI and the examples cannot drift together.
set(command "")
set(after_dashes OFF)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_dashes)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_dashes ON)
  endif()
endforeach()
if(command STREQUAL "")
  message(FATAL_ERROR "check_example.cmake: no program after --")
endif()

execute_process(COMMAND ${command} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
string(JOIN " " shown ${command})
if(NOT rc STREQUAL "0")
  message(FATAL_ERROR "${shown}\nexited with ${rc}\n--- stdout\n${out}\n--- stderr\n${err}")
endif()
message("${out}")

execute_process(COMMAND "${CLI}" report --data "${DATA}" --as-of "${AS_OF}" --group-by county
                        --indicators "${INDICATORS}" --format json
                OUTPUT_VARIABLE json ERROR_VARIABLE cli_err RESULT_VARIABLE rc)
if(NOT rc STREQUAL "0")
  message(FATAL_ERROR "${CLI} report failed (${rc}): ${cli_err}")
endif()
string(REPLACE "," ";" ids "${INDICATORS}")
set(expected "")
string(JSON rows LENGTH "${json}" rows)
math(EXPR last_row "${rows} - 1")
foreach(r RANGE ${last_row})
  string(JSON keys LENGTH "${json}" rows ${r} group)
  if(keys EQUAL 0)
    set(line "total")
  else()
    string(JSON line GET "${json}" rows ${r} group county)
  endif()
  foreach(id IN LISTS ids)
    string(JSON type TYPE "${json}" rows ${r} values ${id})
    if(type STREQUAL "NULL")
      string(APPEND line "\t-")
    else()
      string(JSON value GET "${json}" rows ${r} values ${id})
      string(APPEND line "\t${value}")
    endif()
  endforeach()
  list(APPEND expected "${line}")
endforeach()

# The example's table lines, in order.
string(REPLACE ";" "\\;" out_escaped "${out}")
string(REPLACE "\n" ";" lines "${out_escaped}")
set(actual "")
foreach(line IN LISTS lines)
  if(line MATCHES "^([0-9]+|total)\t")
    list(APPEND actual "${line}")
  endif()
endforeach()
if(NOT actual STREQUAL expected)
  string(REPLACE ";" "\n" e "${expected}")
  string(REPLACE ";" "\n" a "${actual}")
  message(FATAL_ERROR "${shown}\nprinted rows other than the CLI's.\n--- the CLI's (${rows} rows)\n${e}\n--- the example's\n${a}")
endif()
if(NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "${shown}\ndid not print /${EXPECT}/")
endif()
message(STATUS "${rows} rows, each the CLI's; /${EXPECT}/ found")
