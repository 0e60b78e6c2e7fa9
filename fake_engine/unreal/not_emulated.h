// Not emulated means loud: UnrealEnginePython (UEP) API that the stand-in
// does not have raises `unreal_engine.NotEmulatedError`, naming the API, where
// UEP declares it and docs/unreal-api-coverage.md, instead of a silent None or
// Python's bare "has no attribute".
//
// The catalog of UEP's API (fake_engine/unreal/uep_api.toml, embedded at build
// time) says which names UEP has; a name it lacks is a plain AttributeError,
// as Python's own.
//
// Exceptions (registered once per process, set on every `unreal_engine`
// module, since unit tests create several engines in one interpreter):
//   NotEmulatedError(AttributeError, NotImplementedError)
//       from attribute access: `ue.open_editor_for_asset()`, `actor.jump()`.
//       An AttributeError so that hasattr() answers False and
//       getattr(obj, name, default) gives the default: scripts that probe for
//       an API and adapt keep working. Every direct use raises.
//   NotEmulatedImportError(ImportError, NotImplementedError)
//       from `from unreal_engine import open_editor_for_asset` and
//       `import unreal_engine.enums`. CPython 3.11 turns an AttributeError
//       raised there into "cannot import name ... (unknown location)" and
//       drops its message, so the import gets an ImportError of its own
//       (`try: from unreal_engine import x / except ImportError` probing
//       keeps working too).
// Both carry `api` ("unreal_engine.open_editor_for_asset"), `uep_group`
// ("Editor") and `uep_file` ("UEPyEditor.cpp"); `except NotImplementedError`
// catches both.
//
// Every function here REQUIRES: GIL held, except the catalog lookups
// (is_uep_*, not_emulated_message), which touch no Python.
#pragma once

#include <pybind11/pybind11.h>

#include <map>
#include <string>
#include <string_view>

namespace understudy {

// Where the generated table lives, relative to the repository root.
inline constexpr std::string_view kUnrealApiCoverageDoc = "docs/unreal-api-coverage.md";

// One name of UEP's API as the catalog lists it.
struct UepApiName {
  std::string section;  // module_functions, uobject_methods, module_types, submodules, constants
  std::string group;    // "Editor"
  std::string file;     // "UEPyEditor.cpp" (relative to UEP's Source/UnrealEnginePython/Private/)
  bool editor_only = false;
};

// The embedded catalog, parsed on first use (any thread; immutable after).
class UepApiCatalog {
 public:
  static const UepApiCatalog& instance();

  // A function, type, submodule or constant of the `unreal_engine` module.
  const UepApiName* module_attribute(std::string_view name) const;
  // A method of `unreal_engine.UObject`.
  const UepApiName* uobject_method(std::string_view name) const;
  // A submodule (`unreal_engine.enums`).
  const UepApiName* submodule(std::string_view name) const;

  const std::map<std::string, UepApiName, std::less<>>& module_attributes() const {
    return module_attributes_;
  }
  const std::map<std::string, UepApiName, std::less<>>& uobject_methods() const {
    return uobject_methods_;
  }

 private:
  UepApiCatalog();

  std::map<std::string, UepApiName, std::less<>> module_attributes_;
  std::map<std::string, UepApiName, std::less<>> uobject_methods_;
};

bool is_uep_module_attribute(std::string_view name);
bool is_uep_uobject_method(std::string_view name);

// "unreal_engine.open_editor_for_asset is not emulated by Understudy (UEP:
// Editor, UEPyEditor.cpp); see docs/unreal-api-coverage.md".
// `qualified_api` is "unreal_engine.<name>" for the module,
// "UObject.<name>" or "unreal_engine.UObject.<name>" for a UObject method;
// anything else is named as given, without a UEP group.
std::string not_emulated_message(std::string_view qualified_api);

// Raises NotEmulatedError for `qualified_api` (see not_emulated_message):
// sets the Python error and throws pybind11::error_already_set, which
// pybind11 hands back to Python unchanged. For a UObject attribute lookup
// that found neither a property, a function nor a method:
//   if (is_uep_uobject_method(name)) throw_not_emulated("UObject." + name);
[[noreturn]] void throw_not_emulated(std::string_view qualified_api);

// Whether the innermost Python frame is executing `from m import name`: there
// CPython replaces an AttributeError's message with its own, so a module
// __getattr__ that wants its message seen raises an ImportError instead.
bool executing_import_from();

// The exception types (created on first call, once per process).
pybind11::handle not_emulated_error_type();
pybind11::handle not_emulated_import_error_type();

// Makes `ue_module` loud about UEP API it lacks:
//   - sets NotEmulatedError and NotEmulatedImportError on it;
//   - a PEP 562 module `__getattr__`: a catalog name the module lacks raises
//     NotEmulatedError (NotEmulatedImportError inside `from unreal_engine
//     import`), any other name AttributeError("module 'unreal_engine' has no
//     attribute 'x'");
//   - `__path__ = []` and (once per process) a sys.meta_path finder, so that
//     `import unreal_engine.enums` names UEP's submodule too; submodules the
//     module registers in sys.modules (unreal_engine.classes) import as before.
// Call it last, once the module has every attribute it emulates: names
// defined later still win (module `__getattr__` runs only for missing names).
void install_not_emulated_fallback(pybind11::module_& ue_module);

}  // namespace understudy
