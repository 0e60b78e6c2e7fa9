# Test support shared by the suites in tests/unit, tests/python and tests/e2e,
# each of which includes this file: the support libraries and
# understudy_add_test(), which builds one Boost.Test binary and registers it
# with CTest under its suite's label.
include_guard(GLOBAL)

set(_understudy_support_dir "${CMAKE_CURRENT_LIST_DIR}")

# Deadlines, temp dirs and a frame loop on its own thread: the C++ core only.
add_library(understudy_test_support STATIC
  "${_understudy_support_dir}/loop_thread.cpp"
  "${_understudy_support_dir}/temp_dir.cpp"
)
target_include_directories(understudy_test_support PUBLIC "${PROJECT_SOURCE_DIR}")
target_link_libraries(understudy_test_support PUBLIC understudy_engine_core understudy_common Boost::unit_test_framework)
target_compile_definitions(understudy_test_support PUBLIC BOOST_TEST_DYN_LINK)

# The embedded interpreter and an engine with its PythonRuntime.
add_library(understudy_test_support_python STATIC "${_understudy_support_dir}/python_engine.cpp")
target_link_libraries(understudy_test_support_python PUBLIC understudy_test_support understudy_engine_python)

# The understudy-engine executable as a child process.
add_library(understudy_test_support_process STATIC "${_understudy_support_dir}/engine_process.cpp")
target_link_libraries(understudy_test_support_process PUBLIC understudy_test_support understudy_protocol)

# understudy_add_test(<name> LABEL <label> TIMEOUT <seconds> SOURCES <files...> LIBRARIES <libs...>)
function(understudy_add_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "LABEL;TIMEOUT" "SOURCES;LIBRARIES")
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES})
  add_test(NAME ${name} COMMAND ${name} --color_output=no)
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABEL}" TIMEOUT "${ARG_TIMEOUT}")
endfunction()
