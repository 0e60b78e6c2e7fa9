# docs/unity-api-coverage.md from the real engine: runs
# tools/unity_api_coverage.py inside understudy-engine (script mode, cmake -P).
#   -DENGINE=<understudy-engine> -DSOURCE_DIR=<repository root> -DMODE=update
#       rewrites docs/unity-api-coverage.md (the unity_api_coverage target);
#   ... -DMODE=check -DWORK_DIR=<dir>
#       generates into WORK_DIR and fails if the committed page differs
#       (the unity_api_coverage_up_to_date test);
#   ... -DDOC=<page> compares against another page (the must-fail test that
#       the check sees a stale page).
if(NOT DOC)
  set(doc "${SOURCE_DIR}/docs/unity-api-coverage.md")
else()
  set(doc "${DOC}")
endif()
if(MODE STREQUAL "update")
  set(output "${doc}")
elseif(MODE STREQUAL "check")
  set(output "${WORK_DIR}/unity-api-coverage.md")
  file(MAKE_DIRECTORY "${WORK_DIR}")  # a fresh build tree has none
  file(REMOVE "${output}")
else()
  message(FATAL_ERROR "UnityApiCoverage.cmake: MODE must be update or check, got '${MODE}'")
endif()

execute_process(
  COMMAND ${CMAKE_COMMAND} -E env
          UNDERSTUDY_API_COVERAGE_OUTPUT=${output}
          PYTHONDONTWRITEBYTECODE=1
          ${ENGINE} --script ${SOURCE_DIR}/tools/unity_api_coverage.py
                    --frames 1 --no-rpc --quiet
  RESULT_VARIABLE status
  OUTPUT_VARIABLE engine_output
  ERROR_VARIABLE engine_output
  TIMEOUT 60)
if(NOT status EQUAL 0 OR NOT EXISTS "${output}")
  message(FATAL_ERROR "tools/unity_api_coverage.py failed in ${ENGINE} (exit ${status}):\n"
                      "${engine_output}")
endif()

if(MODE STREQUAL "check")
  file(READ "${doc}" committed)
  file(READ "${output}" generated)
  if(NOT committed STREQUAL generated)
    execute_process(COMMAND diff -u "${doc}" "${output}" OUTPUT_VARIABLE difference)
    # NOTICE prints the line as it is; FATAL_ERROR would re-wrap it.
    message(NOTICE "${difference}\n"
            "docs/unity-api-coverage.md is out of date: run "
            "cmake --build build --target unity_api_coverage")
    message(FATAL_ERROR "the coverage page differs from the engine's UnityEngine modules")
  endif()
endif()
