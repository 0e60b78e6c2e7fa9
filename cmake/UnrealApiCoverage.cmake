# docs/unreal-api-coverage.md from the real engine: runs
# tools/unreal_api_coverage.py inside understudy-engine (script mode, cmake -P).
#   -DENGINE=<understudy-engine> -DSOURCE_DIR=<repository root> -DMODE=update
#       rewrites docs/unreal-api-coverage.md (the unreal_api_coverage target);
#   ... -DMODE=check -DWORK_DIR=<dir>
#       generates into WORK_DIR and fails if the committed page differs
#       (the unreal_api_coverage_up_to_date test).
set(doc "${SOURCE_DIR}/docs/unreal-api-coverage.md")
if(MODE STREQUAL "update")
  set(output "${doc}")
elseif(MODE STREQUAL "check")
  set(output "${WORK_DIR}/unreal-api-coverage.md")
  file(REMOVE "${output}")
else()
  message(FATAL_ERROR "UnrealApiCoverage.cmake: MODE must be update or check, got '${MODE}'")
endif()

execute_process(
  COMMAND ${CMAKE_COMMAND} -E env
          UNDERSTUDY_API_COVERAGE_OUTPUT=${output}
          UNDERSTUDY_UEP_CATALOG=${SOURCE_DIR}/fake_engine/unreal/uep_api.toml
          PYTHONDONTWRITEBYTECODE=1
          ${ENGINE} --script ${SOURCE_DIR}/tools/unreal_api_coverage.py
                    --frames 1 --no-rpc --quiet
  RESULT_VARIABLE status
  OUTPUT_VARIABLE engine_output
  ERROR_VARIABLE engine_output
  TIMEOUT 60)
if(NOT status EQUAL 0 OR NOT EXISTS "${output}")
  message(FATAL_ERROR "tools/unreal_api_coverage.py failed in ${ENGINE} (exit ${status}):\n"
                      "${engine_output}")
endif()

if(MODE STREQUAL "check")
  file(READ "${doc}" committed)
  file(READ "${output}" generated)
  if(NOT committed STREQUAL generated)
    execute_process(COMMAND diff -u "${doc}" "${output}" OUTPUT_VARIABLE difference)
    # NOTICE prints the line as it is; FATAL_ERROR would re-wrap it.
    message(NOTICE "${difference}\n"
            "docs/unreal-api-coverage.md is out of date: run "
            "cmake --build build --target unreal_api_coverage")
    message(FATAL_ERROR "the coverage page differs from the engine's unreal_engine module")
  endif()
endif()
