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

# understudy_python_embed: what the engine links to embed that interpreter.
# /usr/bin/python3 is a position-dependent executable with libpython linked
# in statically; libpython3.11.so is position-independent code behind a PLT,
# and runs the same Python about 20% slower here (an RPyC message's brine
# dump and load: 8.2 us against 10.1 us). The engine's throughput is
# measured against plain RPyC on /usr/bin/python3, so by default it links
# the same static library (libpython3.11.a, from libpython3.11-dev) into
# position-dependent executables. Sanitizer and fuzzing builds keep the
# shared library: their runtimes expect position-independent executables.
set(_understudy_static_python_default ON)
if(UNDERSTUDY_SANITIZE OR UNDERSTUDY_FUZZ)
  set(_understudy_static_python_default OFF)
endif()
option(UNDERSTUDY_STATIC_PYTHON "Link libpython statically, as /usr/bin/python3 does"
       ${_understudy_static_python_default})

add_library(understudy_python_embed INTERFACE)
if(UNDERSTUDY_STATIC_PYTHON)
  execute_process(
    COMMAND "${UNDERSTUDY_PYTHON}" -c
            "import sysconfig as s; print(s.get_config_var('LIBPL') + '/' + s.get_config_var('LIBRARY'))"
    OUTPUT_VARIABLE _understudy_libpython_static
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT EXISTS "${_understudy_libpython_static}")
    message(FATAL_ERROR "UNDERSTUDY_STATIC_PYTHON: ${_understudy_libpython_static} is missing "
                        "(apt-get install libpython3.11-dev, or -DUNDERSTUDY_STATIC_PYTHON=OFF)")
  endif()
  # The system libraries libpython.a needs are those /usr/bin/python3 links
  # (sysconfig's LIBS and MODLIBS); extension modules in lib-dynload
  # (_asyncio, ...) find the interpreter's symbols in the executable, hence
  # --export-dynamic, as python3 itself is linked.
  target_link_libraries(understudy_python_embed INTERFACE
    pybind11::pybind11 "${_understudy_libpython_static}" expat z m ${CMAKE_DL_LIBS} util)
  target_link_options(understudy_python_embed INTERFACE -no-pie -Wl,--export-dynamic)
  message(STATUS "Understudy Python: linking ${_understudy_libpython_static} statically")
else()
  target_link_libraries(understudy_python_embed INTERFACE pybind11::embed)
endif()
