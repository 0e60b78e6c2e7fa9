# Compiles one thread-safety must-fail case (a C++ file) with clang's
# -Wthread-safety and passes only if the compile fails with every text the
# case names in its opening comment lines:
#   // must-fail: what is broken
#   // expect-output: TEXT            (one or more; each must appear)
#   cmake -DCXX=<clang++> -DSOURCE_DIR=<repository root> -DCASE=<file.cpp> -P expect_compile_error.cmake
file(STRINGS "${CASE}" header REGEX "^// expect-output: ")
if(NOT header)
  message(FATAL_ERROR "must-fail: ${CASE} has no '// expect-output: ...' line; a case must name "
                      "the compiler message it produces")
endif()
execute_process(
  COMMAND "${CXX}" -std=c++20 -fsyntax-only -Wthread-safety -Werror=thread-safety
          "-I${SOURCE_DIR}" "${CASE}"
  RESULT_VARIABLE status
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output
  TIMEOUT 60)
if(status EQUAL 0)
  message(FATAL_ERROR "must-fail: ${CXX} compiled ${CASE} without a thread-safety error; "
                      "the annotations of common/thread_annotations.h no longer reach "
                      "clang's analysis. Compiler output:\n${output}")
endif()
foreach(line IN LISTS header)
  string(REGEX REPLACE "^// expect-output: " "" text "${line}")
  string(FIND "${output}" "${text}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "must-fail: compiling ${CASE} failed (exit ${status}) without the "
                        "expected text '${text}'. Compiler output:\n${output}")
  endif()
endforeach()
message(STATUS "compile failed as expected:\n${output}")
