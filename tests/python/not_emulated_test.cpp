// Not emulated means loud: UnrealEnginePython API the stand-in lacks raises
// unreal_engine.NotEmulatedError naming it and the coverage doc; names UEP
// does not have either stay plain AttributeErrors (fake_engine/unreal/not_emulated.h).
#define BOOST_TEST_MODULE not_emulated
#include "fake_engine/unreal/not_emulated.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/support/python_engine.h"

namespace py = pybind11;
using namespace understudy;
using namespace understudy::testing;

BOOST_TEST_GLOBAL_FIXTURE(EmbeddedInterpreterFixture);

// A UEP function the stand-in will not emulate: it opens an editor window.
constexpr const char* kMissingUepFunction = "open_editor_for_asset";
constexpr const char* kMissingUepMessage =
    "unreal_engine.open_editor_for_asset is not emulated by Understudy (UEP: Editor, "
    "UEPyEditor.cpp, editor only); see docs/unreal-api-coverage.md";

BOOST_AUTO_TEST_SUITE(module_attributes)

BOOST_AUTO_TEST_CASE(a_name_uep_does_not_have_is_a_plain_attribute_error) {
  PythonEngine engine;
  engine.exec(R"(
import unreal_engine as ue
try:
    ue.actor_spawn_in_the_void()
except AttributeError as e:
    assert type(e) is AttributeError, type(e)
    assert str(e) == "module 'unreal_engine' has no attribute 'actor_spawn_in_the_void'", str(e)
else:
    raise AssertionError("no error")
assert not hasattr(ue, "actor_spawn_in_the_void")
assert not hasattr(ue, "__wrapped__")
)");
}

BOOST_AUTO_TEST_CASE(a_uep_function_the_module_lacks_raises_not_emulated_naming_it_and_the_doc) {
  PythonEngine engine;
  engine.exec(std::string(R"(
import unreal_engine as ue
try:
    ue.)") + kMissingUepFunction +
              R"((None)
except ue.NotEmulatedError as e:
    assert str(e) == ")" +
              kMissingUepMessage + R"(", str(e)
    assert isinstance(e, AttributeError) and isinstance(e, NotImplementedError)
    assert e.api == "unreal_engine.open_editor_for_asset", e.api
    assert (e.uep_group, e.uep_file) == ("Editor", "UEPyEditor.cpp"), (e.uep_group, e.uep_file)
else:
    raise AssertionError("no error")
)");
}

BOOST_AUTO_TEST_CASE(from_import_of_a_missing_uep_function_keeps_the_message) {
  PythonEngine engine;
  engine.exec(std::string(R"(
import unreal_engine as ue
try:
    from unreal_engine import )") +
              kMissingUepFunction + R"(
except ImportError as e:
    assert isinstance(e, ue.NotEmulatedImportError), type(e)
    assert isinstance(e, NotImplementedError)
    assert str(e) == ")" +
              kMissingUepMessage + R"(", str(e)
else:
    raise AssertionError("no error")
try:
    from unreal_engine import not_a_uep_name
except ImportError as e:
    assert type(e) is ImportError, type(e)
    assert "cannot import name 'not_a_uep_name'" in str(e), str(e)
else:
    raise AssertionError("no error")
from unreal_engine import log, classes
)");
}

BOOST_AUTO_TEST_CASE(hasattr_and_getattr_with_a_default_probe_without_raising) {
  PythonEngine engine;
  engine.exec(R"(
import unreal_engine as ue
assert not hasattr(ue, "open_editor_for_asset")
assert getattr(ue, "open_editor_for_asset", "fallback") == "fallback"
assert hasattr(ue, "log") and hasattr(ue, "get_editor_world")
)");
}

BOOST_AUTO_TEST_CASE(uep_types_and_constants_the_module_lacks_are_named_too) {
  PythonEngine engine;
  engine.exec(R"(
import unreal_engine as ue
for name, group in [("SWindow", "Slate"), ("COLLISION_CHANNEL_VISIBILITY", "Collision")]:
    try:
        getattr(ue, name)
    except ue.NotEmulatedError as e:
        assert e.api == "unreal_engine." + name and e.uep_group == group, (e.api, e.uep_group)
    else:
        raise AssertionError(name + ": no error")
)");
}

BOOST_AUTO_TEST_CASE(a_not_emulated_error_carries_no_did_you_mean_suggestion) {
  PythonEngine engine;
  engine.exec(R"(
import traceback
import unreal_engine as ue
try:
    ue.editor_play
except AttributeError as e:
    text = "".join(traceback.format_exception_only(e))
    assert "Did you mean" not in text, text
)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(submodules)

BOOST_AUTO_TEST_CASE(importing_a_missing_name_of_a_type_submodule_says_how_to_declare_it) {
  PythonEngine engine;
  engine.exec(R"(
import unreal_engine as ue
try:
    from unreal_engine.enums import EWidgetMode
except ImportError as e:
    assert not isinstance(e, ue.NotEmulatedImportError), type(e)
    assert str(e).startswith("unreal_engine.enums: no enum 'EWidgetMode' in the engine's schema; "
                             "declare it in a project schema passed with --schema FILE"), str(e)
else:
    raise AssertionError("no error")
try:
    ue.classes.NoSuchClass
except AttributeError as e:
    assert "no class 'NoSuchClass'" in str(e), str(e)
else:
    raise AssertionError("no error")
try:
    import unreal_engine.no_such_submodule
except ModuleNotFoundError as e:
    assert type(e) is ModuleNotFoundError, type(e)
else:
    raise AssertionError("no error")
from unreal_engine.classes import Character
)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cpp_helpers)

BOOST_AUTO_TEST_CASE(the_catalog_knows_uobject_methods_and_module_names) {
  BOOST_TEST(is_uep_uobject_method("get_actor_location"));
  BOOST_TEST(is_uep_uobject_method("actor_spawn"));
  BOOST_TEST(!is_uep_uobject_method("actor_spawn_in_the_void"));
  BOOST_TEST(is_uep_module_attribute("open_editor_for_asset"));
  BOOST_TEST(is_uep_module_attribute("FVector"));
  BOOST_TEST(!is_uep_module_attribute("actor_count"));
  const auto* jump = UepApiCatalog::instance().uobject_method("jump");
  BOOST_REQUIRE(jump != nullptr);
  BOOST_TEST(jump->group == "Movements");
  BOOST_TEST(jump->file == "UObject/UEPyMovements.cpp");
  BOOST_TEST(!jump->editor_only);
}

BOOST_AUTO_TEST_CASE(throw_not_emulated_raises_the_python_error_with_the_message) {
  PythonEngine engine;
  py::gil_scoped_acquire gil;
  try {
    throw_not_emulated("UObject.get_actor_location");
    BOOST_FAIL("throw_not_emulated returned");
  } catch (py::error_already_set& e) {
    BOOST_TEST(e.matches(not_emulated_error_type()));
    BOOST_TEST(e.matches(PyExc_AttributeError));
    BOOST_TEST(py::str(e.value()).cast<std::string>() ==
               "unreal_engine.UObject.get_actor_location is not emulated by Understudy (UEP: "
               "Transform, UObject/UEPyTransform.cpp); see docs/unreal-api-coverage.md");
  }
  BOOST_TEST(not_emulated_message("FVector.dot_product") ==
             "FVector.dot_product is not emulated by Understudy; see docs/unreal-api-coverage.md");
}

BOOST_AUTO_TEST_CASE(the_exception_types_are_registered_once_per_process) {
  for (int round = 0; round < 2; ++round) {
    PythonEngine engine;
    py::gil_scoped_acquire gil;
    const auto module = py::module_::import("unreal_engine");
    BOOST_TEST(module.attr("NotEmulatedError").ptr() == not_emulated_error_type().ptr());
    BOOST_TEST(module.attr("NotEmulatedImportError").ptr() ==
               not_emulated_import_error_type().ptr());
    std::size_t finders = 0;
    for (const auto& finder : py::module_::import("sys").attr("meta_path")) {
      finders += py::type::handle_of(finder).attr("__name__").cast<std::string>() ==
                 "NotEmulatedSubmodules";
    }
    BOOST_TEST(finders == 1u, "round " << round);
  }
}

BOOST_AUTO_TEST_SUITE_END()
