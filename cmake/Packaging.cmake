# Installation and the Debian package.
#
# `cmake --install build --prefix PREFIX` lays out:
#   PREFIX/bin/understudy, PREFIX/bin/understudy-engine
#   PREFIX/share/understudy/engine/   the engine's own Python, Unity binding and schemas
#   PREFIX/share/understudy/scenarios, examples, docs
#   PREFIX/share/man/man1/            pages made from --help
#   PREFIX/UNDERSTUDY_INSTALL_PYTHONDIR/  understudy_client, understudy_pytest,
#       understudy_stress, understudy_protocol (the control channel's codec the
#       plugin and the stress baseline use), and a dist-info whose pytest11
#       entry point makes pytest load the plugin with no configuration.
# The programs find these files relative to themselves (common/install_layout.h):
# the paths below must stay as they are there.
#
# `cpack -G DEB` (in the build folder) packages the same for PREFIX /usr, where
# Debian's /usr/bin/python3 finds lib/python3/dist-packages.

set(_no_bytecode PATTERN "__pycache__" EXCLUDE PATTERN "*.pyc" EXCLUDE)

install(TARGETS understudy-engine understudy RUNTIME DESTINATION bin)
install(DIRECTORY fake_engine/pylib/ DESTINATION share/understudy/engine/pylib ${_no_bytecode})
install(DIRECTORY fake_engine/unity/pylib/
        DESTINATION share/understudy/engine/unity/pylib ${_no_bytecode})
install(FILES fake_engine/unity/unity_api.toml DESTINATION share/understudy/engine/unity)
install(DIRECTORY fake_engine/schema/ DESTINATION share/understudy/engine/schema)
install(DIRECTORY scenarios/ DESTINATION share/understudy/scenarios
        PATTERN "CMakeLists.txt" EXCLUDE ${_no_bytecode})
if(EXISTS ${PROJECT_SOURCE_DIR}/examples)
  install(DIRECTORY examples/ DESTINATION share/understudy/examples
          PATTERN "CMakeLists.txt" EXCLUDE ${_no_bytecode})
endif()
install(FILES docs/object-schema.md docs/unreal-api-coverage.md docs/unity-api-coverage.md
              README.md SECURITY.md
        DESTINATION share/understudy/docs)
install(DIRECTORY harness/pylib/ DESTINATION ${UNDERSTUDY_INSTALL_PYTHONDIR} ${_no_bytecode})

# The Python distribution's metadata: what importlib.metadata (and so pytest's
# plugin loader) reads. pytest11 names the module pytest imports as a plugin;
# the entry point has the module's own name, so that `-p understudy_pytest` or
# `pytest_plugins = ["understudy_pytest"]` (this project's own suites) finds it
# registered already instead of registering it twice.
set(_dist_info ${PROJECT_BINARY_DIR}/python/understudy-${PROJECT_VERSION}.dist-info)
file(WRITE ${_dist_info}/METADATA
     "Metadata-Version: 2.1\nName: understudy\nVersion: ${PROJECT_VERSION}\n"
     "Summary: Client library and pytest plugin of Understudy, a stand-in game engine\n")
file(WRITE ${_dist_info}/entry_points.txt "[pytest11]\nunderstudy_pytest = understudy_pytest\n")
file(WRITE ${_dist_info}/top_level.txt
     "understudy_client\nunderstudy_protocol\nunderstudy_pytest\nunderstudy_stress\n")
file(WRITE ${_dist_info}/INSTALLER "cmake\n")
install(DIRECTORY ${_dist_info} DESTINATION ${UNDERSTUDY_INSTALL_PYTHONDIR})

# Man pages, from what the programs print for --help.
set(_man ${PROJECT_BINARY_DIR}/man)
add_custom_command(
  OUTPUT ${_man}/understudy.1
  COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:understudy> -DNAME=understudy
          "-DSUMMARY=runs scenario suites and stress runs against the stand-in engine"
          "-DSUBCOMMANDS=run\;list\;stress\;steps" -DVERSION=${PROJECT_VERSION}
          -DOUTPUT=${_man}/understudy.1 -P ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
  DEPENDS understudy ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
  COMMENT "Man page of understudy")
add_custom_command(
  OUTPUT ${_man}/understudy-engine.1
  COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:understudy-engine> -DNAME=understudy-engine
          "-DSUMMARY=a stand-in game engine running the real RPyC server and asyncio loop"
          -DVERSION=${PROJECT_VERSION} -DOUTPUT=${_man}/understudy-engine.1
          -P ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
  DEPENDS understudy-engine ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
  COMMENT "Man page of understudy-engine")
add_custom_target(man_pages ALL DEPENDS ${_man}/understudy.1 ${_man}/understudy-engine.1)
install(FILES ${_man}/understudy.1 ${_man}/understudy-engine.1 DESTINATION share/man/man1)

# The .deb: its dependencies are Debian packages the project already uses;
# dpkg-shlibdeps adds the shared libraries the programs link.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME understudy)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Understudy developers <understudy@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "stand-in game engine and test harness for Unity and Unreal Python tools")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "python3 (>= 3.11), python3-rpyc, python3-pytest, python3-redis, redis-server")
set(CPACK_STRIP_FILES ON)
include(CPack)
