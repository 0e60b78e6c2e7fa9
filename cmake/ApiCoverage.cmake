# An engine API's coverage page from the real engine: runs
# tools/<API>_api_coverage.py inside understudy-engine (script mode, cmake -P).
#   -DAPI=unreal|unity -DENGINE=<understudy-engine> -DSOURCE_DIR=<repository root>
#   -DMODE=update
#       rewrites docs/<API>-api-coverage.md (the <API>_api_coverage target);
#   ... -DMODE=check -DWORK_DIR=<dir>
#       generates into WORK_DIR and fails if the committed page differs
#       (the <API>_api_coverage_up_to_date test);
#   ... -DDOC=<page> compares against another page (the must-fail test that
#       the check sees a stale page).
if(API STREQUAL "unreal")
  set(emulation "the engine's unreal_engine module")
elseif(API STREQUAL "unity")
  set(emulation "the engine's UnityEngine modules")
else()
  message(FATAL_ERROR "ApiCoverage.cmake: API must be unreal or unity, got '${API}'")
endif()
set(page "docs/${API}-api-coverage.md")
if(NOT DOC)
  set(doc "${SOURCE_DIR}/${page}")
else()
  set(doc "${DOC}")
endif()
if(MODE STREQUAL "update")
  set(output "${doc}")
elseif(MODE STREQUAL "check")
  set(output "${WORK_DIR}/${API}-api-coverage.md")
  file(MAKE_DIRECTORY "${WORK_DIR}")  # a fresh build tree may have none
  file(REMOVE "${output}")
else()
  message(FATAL_ERROR "ApiCoverage.cmake: MODE must be update or check, got '${MODE}'")
endif()

execute_process(
  COMMAND ${CMAKE_COMMAND} -E env
          UNDERSTUDY_API_COVERAGE_OUTPUT=${output}
          PYTHONDONTWRITEBYTECODE=1
          ${ENGINE} --script ${SOURCE_DIR}/tools/${API}_api_coverage.py
                    --frames 1 --no-rpc --quiet
  RESULT_VARIABLE status
  OUTPUT_VARIABLE engine_output
  ERROR_VARIABLE engine_output
  TIMEOUT 60)
if(NOT status EQUAL 0 OR NOT EXISTS "${output}")
  message(FATAL_ERROR "tools/${API}_api_coverage.py failed in ${ENGINE} (exit ${status}):\n"
                      "${engine_output}")
endif()

if(MODE STREQUAL "check")
  file(READ "${doc}" committed)
  file(READ "${output}" generated)
  if(NOT committed STREQUAL generated)
    execute_process(COMMAND diff -u "${doc}" "${output}" OUTPUT_VARIABLE difference)
    # NOTICE prints the line as it is; FATAL_ERROR would re-wrap it.
    message(NOTICE "${difference}\n"
            "${page} is out of date: run "
            "cmake --build build --target ${API}_api_coverage")
    message(FATAL_ERROR "the coverage page differs from ${emulation}")
  endif()
endif()
