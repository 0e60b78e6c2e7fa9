#include "fake_engine/unreal/not_emulated.h"

#include <pybind11/eval.h>
#include <toml++/toml.h>

#include <set>
#include <stdexcept>

namespace py = pybind11;

namespace understudy {

// Defined in the file CMake generates from uep_api.toml.
extern const std::string_view kUepApiToml;

namespace {

constexpr std::string_view kModulePrefix = "unreal_engine.";
constexpr std::string_view kUObjectPrefix = "UObject.";

// The sections of the catalog whose names are attributes of the module.
constexpr std::string_view kModuleSections[] = {"module_functions", "module_types", "submodules",
                                                "constants"};

void add_section(const toml::table& catalog, std::string_view section,
                 std::map<std::string, UepApiName, std::less<>>& into) {
  const auto* groups = catalog[section].as_table();
  if (groups == nullptr) {
    throw std::logic_error("uep_api.toml has no [" + std::string(section) + "] groups");
  }
  for (const auto& [group, node] : *groups) {
    const auto& table = *node.as_table();
    std::set<std::string, std::less<>> editor_only;
    if (const auto* list = table["editor_only"].as_array()) {
      for (const auto& item : *list) {
        editor_only.insert(item.value_or(std::string()));
      }
    }
    const auto file = table["file"].value_or(std::string());
    const auto* names = table["names"].as_array();
    if (names == nullptr) {
      throw std::logic_error("uep_api.toml: [" + std::string(section) + "." +
                             std::string(group.str()) + "] has no names");
    }
    for (const auto& item : *names) {
      const auto name = item.value_or(std::string());
      into.emplace(name, UepApiName{std::string(section), std::string(group.str()), file,
                                    editor_only.contains("*") || editor_only.contains(name)});
    }
  }
}

// A qualified API name split into what the catalog is looked up by.
struct QualifiedApi {
  std::string display;                // "unreal_engine.UObject.jump"
  const UepApiName* entry = nullptr;  // where UEP declares it, if the catalog has it
};

QualifiedApi resolve(std::string_view qualified_api) {
  const auto& catalog = UepApiCatalog::instance();
  std::string_view rest = qualified_api;
  if (rest.starts_with(kModulePrefix)) {
    rest.remove_prefix(kModulePrefix.size());
  } else if (!rest.starts_with(kUObjectPrefix)) {
    return {std::string(qualified_api), nullptr};
  }
  QualifiedApi api{std::string(kModulePrefix) + std::string(rest), nullptr};
  if (rest.starts_with(kUObjectPrefix)) {
    rest.remove_prefix(kUObjectPrefix.size());
    api.entry = catalog.uobject_method(rest);
  } else if (rest.find('.') == std::string_view::npos) {
    api.entry = catalog.module_attribute(rest);
  }
  return api;
}

std::string message_for(const QualifiedApi& api) {
  std::string message = api.display + " is not emulated by Understudy";
  if (api.entry != nullptr) {
    message += " (UEP: " + api.entry->group + ", " + api.entry->file +
               (api.entry->editor_only ? ", editor only" : "") + ")";
  }
  message += "; see ";
  message += kUnrealApiCoverageDoc;
  return message;
}

// The exception types and the submodule finder, defined once per process:
// pybind11 registers the module's C++ types once per process too, and the
// interpreter lives as long as the process (py::scoped_interpreter in main()).
// Python 3.10+ appends "Did you mean: ...?" to an AttributeError, from the
// names near the missing one; a not-emulated API is no typo, so
// NotEmulatedError keeps none of the context (name, obj) Python records.
constexpr const char* kExceptionDefinitions = R"(
class NotEmulatedError(AttributeError, NotImplementedError):
    """UnrealEnginePython API that Understudy does not emulate (an attribute).

    See docs/unreal-api-coverage.md for what is emulated."""

    __module__ = "unreal_engine"
    name = property(lambda self: None, lambda self, value: None)
    obj = property(lambda self: None, lambda self, value: None)

    def __init__(self, message, api="", uep_group="", uep_file=""):
        super().__init__(message)
        self.api = api
        self.uep_group = uep_group
        self.uep_file = uep_file


class NotEmulatedImportError(ImportError, NotImplementedError):
    """UnrealEnginePython API that Understudy does not emulate (an import).

    See docs/unreal-api-coverage.md for what is emulated."""

    __module__ = "unreal_engine"

    def __init__(self, message, api="", uep_group="", uep_file=""):
        super().__init__(message, name="unreal_engine")
        self.api = api
        self.uep_group = uep_group
        self.uep_file = uep_file


class NotEmulatedSubmodules:
    """sys.meta_path finder: `import unreal_engine.enums` names UEP's submodule."""

    def __init__(self, check):
        self._check = check

    def find_spec(self, fullname, path=None, target=None):
        return self._check(fullname)
)";

struct ExceptionTypes {
  PyObject* not_emulated = nullptr;  // strong references, kept for the process
  PyObject* not_emulated_import = nullptr;
};

[[noreturn]] void raise_not_emulated(py::handle type, const QualifiedApi& api) {
  const auto* entry = api.entry;
  py::object error = type(message_for(api), api.display, entry ? entry->group : std::string(),
                          entry ? entry->file : std::string());
  PyErr_SetObject(type.ptr(), error.ptr());
  throw py::error_already_set();
}

// The finder's check: raises for a catalog submodule, else finds nothing.
py::object check_submodule_import(const std::string& fullname) {
  std::string_view rest = fullname;
  if (rest.starts_with(kModulePrefix)) {
    rest.remove_prefix(kModulePrefix.size());
    if (UepApiCatalog::instance().submodule(rest) != nullptr) {
      raise_not_emulated(not_emulated_import_error_type(), resolve(fullname));
    }
  }
  return py::none();
}

// First called from install_not_emulated_fallback while the engine builds
// its module, before any script can start a thread that would wait on this
// initialisation while holding the GIL.
const ExceptionTypes& exception_types() {
  static const ExceptionTypes types = [] {
    py::dict scope;
    scope["__builtins__"] = py::module_::import("builtins");
    scope["__name__"] = "unreal_engine";
    py::exec(kExceptionDefinitions, scope);
    ExceptionTypes made;
    made.not_emulated = py::object(scope["NotEmulatedError"]).release().ptr();
    made.not_emulated_import = py::object(scope["NotEmulatedImportError"]).release().ptr();
    py::list meta_path = py::module_::import("sys").attr("meta_path");
    meta_path.append(scope["NotEmulatedSubmodules"](py::cpp_function(&check_submodule_import)));
    return made;
  }();
  return types;
}

bool is_dunder(std::string_view name) {
  return name.size() > 4 && name.starts_with("__") && name.ends_with("__");
}

}  // namespace

// Whether the innermost Python frame is executing IMPORT_FROM
// (`from unreal_engine import name`): a module __getattr__ implemented in C++
// is called with no Python frame of its own in between. CPython 3.11's
// co_code is the unspecialised bytecode and f_lasti its byte offset.
bool executing_import_from() {
  PyFrameObject* frame = PyEval_GetFrame();
  if (frame == nullptr) {
    return false;
  }
  try {
    const py::handle f(reinterpret_cast<PyObject*>(frame));
    const auto offset = f.attr("f_lasti").cast<Py_ssize_t>();
    const auto code = f.attr("f_code").attr("co_code").cast<std::string>();
    const auto import_from =
        py::module_::import("dis").attr("opmap")["IMPORT_FROM"].cast<unsigned char>();
    return offset >= 0 && static_cast<std::size_t>(offset) < code.size() &&
           static_cast<unsigned char>(code[static_cast<std::size_t>(offset)]) == import_from;
  } catch (const py::error_already_set&) {
    return false;
  }
}

const UepApiCatalog& UepApiCatalog::instance() {
  static const UepApiCatalog catalog;
  return catalog;
}

UepApiCatalog::UepApiCatalog() {
  const toml::table parsed =
      toml::parse(kUepApiToml, std::string_view("fake_engine/unreal/uep_api.toml"));
  for (const auto section : kModuleSections) {
    add_section(parsed, section, module_attributes_);
  }
  add_section(parsed, "uobject_methods", uobject_methods_);
}

const UepApiName* UepApiCatalog::module_attribute(std::string_view name) const {
  const auto found = module_attributes_.find(name);
  return found == module_attributes_.end() ? nullptr : &found->second;
}

const UepApiName* UepApiCatalog::uobject_method(std::string_view name) const {
  const auto found = uobject_methods_.find(name);
  return found == uobject_methods_.end() ? nullptr : &found->second;
}

const UepApiName* UepApiCatalog::submodule(std::string_view name) const {
  const auto* entry = module_attribute(name);
  return entry != nullptr && entry->section == "submodules" ? entry : nullptr;
}

bool is_uep_module_attribute(std::string_view name) {
  return UepApiCatalog::instance().module_attribute(name) != nullptr;
}

bool is_uep_uobject_method(std::string_view name) {
  return UepApiCatalog::instance().uobject_method(name) != nullptr;
}

std::string not_emulated_message(std::string_view qualified_api) {
  return message_for(resolve(qualified_api));
}

void throw_not_emulated(std::string_view qualified_api) {
  raise_not_emulated(not_emulated_error_type(), resolve(qualified_api));
}

py::handle not_emulated_error_type() {
  return exception_types().not_emulated;
}

py::handle not_emulated_import_error_type() {
  return exception_types().not_emulated_import;
}

void install_not_emulated_fallback(py::module_& ue_module) {
  ue_module.attr("NotEmulatedError") = not_emulated_error_type();
  ue_module.attr("NotEmulatedImportError") = not_emulated_import_error_type();
  // A package's submodules are looked up through sys.meta_path; a plain
  // module's are refused before any finder is asked.
  if (!py::hasattr(ue_module, "__path__")) {
    ue_module.attr("__path__") = py::list();
  }
  const std::string module_name = py::str(ue_module.attr("__name__"));
  ue_module.attr("__getattr__") = py::cpp_function(
      [module_name](const std::string& name) -> py::object {
        if (!is_dunder(name) && is_uep_module_attribute(name)) {
          const auto api = resolve(std::string(kModulePrefix) + name);
          raise_not_emulated(executing_import_from() ? not_emulated_import_error_type()
                                                     : not_emulated_error_type(),
                             api);
        }
        throw py::attribute_error("module '" + module_name + "' has no attribute '" + name + "'");
      },
      py::name("__getattr__"), py::arg("name"));
}

}  // namespace understudy
