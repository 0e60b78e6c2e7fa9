#include "fake_engine/unreal/script_functions.h"

#include <pybind11/stl.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fake_engine/python/python_runtime.h"
#include "fake_engine/unreal/script_execution.h"
#include "fake_engine/unreal/unreal_binding.h"

namespace py = pybind11;

namespace understudy {
namespace {

using WeakState = std::weak_ptr<PythonEngineState>;

std::shared_ptr<PythonEngineState> running_engine(const WeakState& weak, const char* api) {
  auto state = weak.lock();
  if (!state) {
    throw std::runtime_error(std::string(api) + ": the engine has stopped");
  }
  return state;
}

// UEP's FDelegateHandle: the ticker lives as long as its handle (or until
// remove_ticker, a falsy return or an exception). Neither copied nor moved,
// so that only Python's last reference going away removes the ticker.
class TickerHandle {
 public:
  TickerHandle(WeakState state, std::uint64_t id) : state_(std::move(state)), id_(id) {}
  TickerHandle(const TickerHandle&) = delete;
  TickerHandle& operator=(const TickerHandle&) = delete;
  // REQUIRES: GIL held (pybind11 deallocates with it). Off the main thread
  // the removal is a main-thread job, as the registry is the main thread's.
  ~TickerHandle() { remove(); }

  void remove() {
    if (removed_) {
      return;
    }
    removed_ = true;
    auto state = state_.lock();
    if (!state) {
      return;
    }
    if (state->affinity.is_main_thread()) {
      state->tickers.remove(id_);
      return;
    }
    try {
      (void)state->queue.post("remove a dropped ticker", [weak = state_, id = id_] {
        if (auto s = weak.lock()) {
          py::gil_scoped_acquire gil;
          s->tickers.remove(id);
        }
      });
    } catch (const std::exception&) {
      // The engine is stopping: its tickers go with it.
    }
  }

  std::uint64_t id() const { return id_; }
  bool removed() const { return removed_; }

 private:
  WeakState state_;
  std::uint64_t id_;
  bool removed_ = false;
};

// UEPyIPlugin's view of a plugin from --plugin NAME=DIR.
struct PluginHandle {
  std::string name;
  std::filesystem::path base_dir;
  nlohmann::json descriptor = nlohmann::json::object();

  std::filesystem::path descriptor_file() const { return base_dir / (name + ".uplugin"); }
  std::string text(const char* key) const { return descriptor.value(key, std::string()); }
  bool flag(const char* key) const {
    const auto it = descriptor.find(key);
    return it != descriptor.end() && it->is_boolean() && it->get<bool>();
  }
  int number(const char* key) const {
    const auto it = descriptor.find(key);
    return it != descriptor.end() && it->is_number_integer() ? it->get<int>() : 0;
  }
};

PluginHandle plugin_handle(const PluginLocation& location) {
  PluginHandle plugin{location.name,
                      std::filesystem::absolute(location.base_dir).lexically_normal()};
  std::ifstream file(plugin.descriptor_file());
  if (file) {
    auto parsed = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object()) {
      plugin.descriptor = std::move(parsed);
    }
  }
  return plugin;
}

std::string with_slash(const std::filesystem::path& folder) {
  auto text = folder.lexically_normal().string();
  return text.ends_with('/') ? text : text + "/";
}

std::filesystem::path project_dir(const PythonEngineState& state) {
  const auto& dir = state.scripts.project_dir;
  return std::filesystem::absolute(dir.empty() ? std::filesystem::current_path() : dir);
}

void define_types(py::module_& m) {
  // Types are registered with pybind11 once per process; later engines (unit
  // tests create several) reuse them.
  if (py::detail::get_type_info(typeid(TickerHandle)) != nullptr) {
    m.attr("FDelegateHandle") = py::type::of<TickerHandle>();
    m.attr("IPlugin") = py::type::of<PluginHandle>();
    return;
  }
  py::class_<TickerHandle>(m, "FDelegateHandle",
                           "A ticker's handle: the ticker runs while the handle lives.")
      .def("__repr__", [](const TickerHandle& h) {
        return "<unreal_engine.FDelegateHandle ticker " + std::to_string(h.id()) +
               (h.removed() ? " (removed)>" : ">");
      });

  auto text_property = [](const char* key) {
    return [key](const PluginHandle& p) { return p.text(key); };
  };
  auto flag_property = [](const char* key) {
    return [key](const PluginHandle& p) { return p.flag(key); };
  };
  py::class_<PluginHandle>(m, "IPlugin")
      .def("get_name", [](const PluginHandle& p) { return p.name; })
      .def("get_base_dir", [](const PluginHandle& p) { return p.base_dir.string(); })
      .def("get_content_dir",
           [](const PluginHandle& p) { return (p.base_dir / "Content").string(); })
      .def("get_descriptor_file_name",
           [](const PluginHandle& p) { return p.descriptor_file().string(); })
      .def("get_mounted_asset_path", [](const PluginHandle& p) { return "/" + p.name + "/"; })
      .def("can_contain_content", [](const PluginHandle& p) { return p.flag("CanContainContent"); })
      .def("is_enabled", [](const PluginHandle&) { return true; })
      .def(
          "to_json",
          [](const PluginHandle& p, const py::object& /*enabled_by_default*/) {
            return p.descriptor.dump(1, '\t');
          },
          py::arg("enabled_by_default"))
      .def(
          "from_json",
          [](PluginHandle& p, const std::string& text, const py::object& /*enabled_by_default*/) {
            auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
            if (!parsed.is_object()) {
              throw std::runtime_error("unable to update descriptor from json");
            }
            p.descriptor = std::move(parsed);
          },
          py::arg("json"), py::arg("enabled_by_default"))
      .def_property_readonly("category", text_property("Category"))
      .def_property_readonly("enabled_by_default", flag_property("EnabledByDefault"))
      .def_property_readonly("installed", flag_property("Installed"))
      .def_property_readonly("is_beta_version", flag_property("IsBetaVersion"))
      .def_property_readonly("requires_build_platform", flag_property("RequiresBuildPlatform"))
      .def_property_readonly("created_by", text_property("CreatedBy"))
      .def_property_readonly("created_by_url", text_property("CreatedByURL"))
      .def_property_readonly("description", text_property("Description"))
      .def_property_readonly("docs_url", text_property("DocsURL"))
      .def_property_readonly("friendly_name", text_property("FriendlyName"))
      .def_property_readonly("marketplace_url", text_property("MarketplaceURL"))
      .def_property_readonly("support_url", text_property("SupportURL"))
      .def_property_readonly("version_name", text_property("VersionName"))
      .def_property_readonly("version", [](const PluginHandle& p) { return p.number("Version"); })
      .def_property_readonly("file_version",
                             [](const PluginHandle& p) { return p.number("FileVersion"); })
      .def("__str__", [](const PluginHandle& p) {
        return "<unreal_engine.IPlugin {'name': '" + p.name + "'}>";
      });
}

void define_logging(py::module_& m, const WeakState& weak) {
  // Logging is allowed from any thread, as UE_LOG is. Python threads inherit
  // the OS name of the thread that started them, so the record takes the
  // Python thread's own name.
  auto define_log = [&m, weak](const char* name, Severity severity) {
    m.def(
        name,
        [weak, severity](const py::object& message) {
          auto s = weak.lock();
          if (!s) {
            return;
          }
          if (!s->affinity.is_main_thread()) {
            name_current_thread(unreal::python_thread_name());
          }
          s->console.write(severity, py::str(message));
        },
        py::arg("message"));
  };
  define_log("log", Severity::kLog);
  define_log("log_warning", Severity::kWarning);
  define_log("log_error", Severity::kError);

  // On-screen text has no screen here: it is a console record saying how
  // long it would have shown.
  auto on_screen = [weak](double seconds, const py::object& message) {
    if (auto s = weak.lock()) {
      s->console.log("on screen (" + py::repr(py::float_(seconds)).cast<std::string>() +
                     " s): " + py::str(message).cast<std::string>());
    }
  };
  m.def(
      "print_string",
      [on_screen](const py::object& message, double timeout, const py::object& color) {
        const auto ue = py::module_::import("unreal_engine");
        if (!color.is_none() && py::hasattr(ue, "FColor") &&
            !py::isinstance(color, ue.attr("FColor"))) {
          throw std::runtime_error("argument is not a FColor");
        }
        on_screen(timeout, message);
      },
      py::arg("message"), py::arg("timeout") = 2.0, py::arg("color") = py::none());
  m.def(
      "add_on_screen_debug_message",
      [on_screen](int /*key*/, double time_to_display, const py::object& message) {
        on_screen(time_to_display, message);
      },
      py::arg("key"), py::arg("time_to_display"), py::arg("message"));
}

void define_tickers(py::module_& m, const WeakState& weak) {
  m.def(
      "add_ticker",
      [weak](const py::object& callable, double delay) {
        if (!PyCallable_Check(callable.ptr())) {
          throw py::type_error("add_ticker expects a callable, got " +
                               py::repr(callable).cast<std::string>());
        }
        auto state = unreal::engine_for(weak, "unreal_engine.add_ticker");
        return std::make_unique<TickerHandle>(weak, state->tickers.add(callable, delay));
      },
      py::arg("callable"), py::arg("delay") = 0.0);
  m.def(
      "remove_ticker",
      [weak](const py::object& handle) {
        unreal::engine_for(weak, "unreal_engine.remove_ticker");
        if (!py::isinstance<TickerHandle>(handle)) {
          throw py::type_error(
              "remove_ticker expects the FDelegateHandle add_ticker returned, got " +
              py::repr(handle).cast<std::string>());
        }
        handle.cast<TickerHandle&>().remove();
      },
      py::arg("handle"));
}

void define_execution(py::module_& m, const WeakState& weak) {
  auto exec_file = [weak](const std::string& filename) {
    run_script_in_main(*running_engine(weak, "unreal_engine.exec"), filename);
  };
  m.def("exec", exec_file, py::arg("filename"));
  m.def("py_exec", exec_file, py::arg("filename"));
  m.def(
      "sandbox_exec",
      [weak](const std::string& filename) {
        run_script_sandboxed(*running_engine(weak, "unreal_engine.sandbox_exec"), filename);
      },
      py::arg("filename"));
}

void define_environment(py::module_& m, const WeakState& weak) {
  auto plugins = [weak] {
    std::vector<PluginHandle> result;
    for (const auto& location : running_engine(weak, "unreal_engine plugins")->scripts.plugins) {
      result.push_back(plugin_handle(location));
    }
    return result;
  };
  m.def(
      "find_plugin",
      [plugins](const std::string& name) -> py::object {
        for (auto& plugin : plugins()) {
          if (plugin.name == name) {
            return py::cast(std::move(plugin));
          }
        }
        return py::none();
      },
      py::arg("name"));
  m.def("get_enabled_plugins", plugins);
  m.def("get_discovered_plugins", plugins);

  m.def("get_content_dir", [weak] {
    return with_slash(project_dir(*running_engine(weak, "unreal_engine.get_content_dir")) /
                      "Content");
  });
  m.def("get_game_saved_dir", [weak] {
    return with_slash(project_dir(*running_engine(weak, "unreal_engine.get_game_saved_dir")) /
                      "Saved");
  });
  m.def("get_game_user_developer_dir", [weak] {
    const char* user = std::getenv("USER");
    return with_slash(
        project_dir(*running_engine(weak, "unreal_engine.get_game_user_developer_dir")) /
        "Content" / "Developers" / (user != nullptr && *user != '\0' ? user : "user"));
  });
  m.def(
      "convert_relative_path_to_full",
      [](const std::string& path) {
        return std::filesystem::absolute(path).lexically_normal().string();
      },
      py::arg("path"));
  m.def(
      "get_path",
      [](const std::string& path) {
        const auto slash = path.find_last_of('/');
        return slash == std::string::npos ? std::string() : path.substr(0, slash);
      },
      py::arg("path"));
  m.def(
      "get_base_filename",
      [](const std::string& path) { return std::filesystem::path(path).stem().string(); },
      py::arg("path"));

  m.def("get_frame_number", [weak] {
    auto s = weak.lock();
    return s ? s->loop.current_frame() : 0;
  });
  m.def("is_main_thread", [weak] {
    auto s = weak.lock();
    return s && s->affinity.is_main_thread();
  });
}

}  // namespace

void define_script_functions(py::module_& m, std::weak_ptr<PythonEngineState> state) {
  define_types(m);
  define_logging(m, state);
  define_tickers(m, state);
  define_execution(m, state);
  define_environment(m, state);
}

}  // namespace understudy
