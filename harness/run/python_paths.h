// Where the Python processes of a scenario find their modules: the engine
// and understudy clients find understudy_client, PfU clients and the engine
// PfU's own package.
#pragma once

#include <filesystem>
#include <string>

#include "harness/run/scenario_runner.h"

namespace understudy::harness {

// `first` (understudy_client's folder unless given), then the harness's
// own PYTHONPATH.
std::string python_path(const RunSettings& settings, const std::filesystem::path& first = {});

// PfU's site-packages in its package folder. REQUIRES: settings.pfu_package.
std::filesystem::path pfu_site_packages(const RunSettings& settings);

}  // namespace understudy::harness
