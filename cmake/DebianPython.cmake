# Understudy embeds and spawns Debian's own interpreter: the engine must see the
# python3-rpyc and python3-redis packages, and another python3 earlier on PATH
# (pyenv, a virtualenv) cannot. So the interpreter is chosen by path, never by
# searching PATH, and the configure step fails loudly if FindPython disagrees.
set(UNDERSTUDY_PYTHON "/usr/bin/python3" CACHE FILEPATH
    "Interpreter the engine embeds and the harness spawns for clients")

set(Python_EXECUTABLE "${UNDERSTUDY_PYTHON}")
set(Python_FIND_STRATEGY LOCATION)
set(Python_FIND_VIRTUALENV STANDARD)
set(PYBIND11_FINDPYTHON ON)
find_package(Python 3.11 REQUIRED COMPONENTS Interpreter Development.Embed)
find_package(pybind11 CONFIG REQUIRED)

if(NOT Python_EXECUTABLE STREQUAL UNDERSTUDY_PYTHON)
  message(FATAL_ERROR "FindPython chose ${Python_EXECUTABLE}, expected ${UNDERSTUDY_PYTHON}")
endif()

execute_process(
  COMMAND "${UNDERSTUDY_PYTHON}" -c "import rpyc, redis; print(rpyc.__version__)"
  RESULT_VARIABLE _understudy_py_check
  OUTPUT_VARIABLE _understudy_rpyc_version
  ERROR_VARIABLE _understudy_py_error
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _understudy_py_check EQUAL 0)
  message(FATAL_ERROR "${UNDERSTUDY_PYTHON} cannot import rpyc and redis "
                      "(apt-get install python3-rpyc python3-redis): ${_understudy_py_error}")
endif()
message(STATUS "Understudy Python: ${UNDERSTUDY_PYTHON} ${Python_VERSION}, rpyc ${_understudy_rpyc_version}")
