// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/base/resources.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "quant/base/tensor.h"

#ifndef QUANTLAB_INSTALL_DATADIR
#define QUANTLAB_INSTALL_DATADIR ""
#endif
#ifndef QUANTLAB_SOURCE_DIR
#define QUANTLAB_SOURCE_DIR ""
#endif

namespace quant {
namespace {

namespace fs = std::filesystem;

bool isDir(const fs::path& p) {
  std::error_code ec;
  return !p.empty() && fs::is_directory(p, ec);
}

// Candidate data directories (see the header) paired with the sub-directory of each kind.
struct Candidate {
  fs::path models, lessons;
};

std::vector<Candidate> candidates() {
  std::vector<Candidate> out;
  auto installed = [&](const fs::path& data) {
    out.push_back({data / "models", data / "lessons"});
  };
  if (const char* env = std::getenv("QUANTLAB_DATA_DIR"); env && *env) installed(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) installed(exe.parent_path().parent_path() / "share" / "quantlab");
  if (*QUANTLAB_INSTALL_DATADIR) installed(fs::path(QUANTLAB_INSTALL_DATADIR) / "quantlab");
  if (*QUANTLAB_SOURCE_DIR) {
    const fs::path src(QUANTLAB_SOURCE_DIR);
    out.push_back({src / "resources" / "models", src / "lessons"});
  }
  return out;
}

}  // namespace

std::string modelsDir() {
  for (const Candidate& c : candidates())
    if (isDir(c.models)) return c.models.string();
  return {};
}

std::string lessonsDir() {
  for (const Candidate& c : candidates())
    if (isDir(c.lessons)) return c.lessons.string();
  return {};
}

const std::vector<std::string>& builtinModelNames() {
  static const std::vector<std::string> names = {"mlp", "cnn"};
  return names;
}

std::string resolveModelPath(const std::string& nameOrPath) {
  bool builtin = false;
  for (const std::string& n : builtinModelNames()) builtin = builtin || n == nameOrPath;
  if (!builtin) return nameOrPath;
  std::string searched;
  for (const Candidate& c : candidates()) {
    const fs::path p = c.models / (nameOrPath + ".onnx");
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
    searched += (searched.empty() ? "" : ", ") + c.models.string();
  }
  throw Error("built-in model '" + nameOrPath + "' not found (looked in " +
              (searched.empty() ? std::string("no data directory") : searched) +
              "; set QUANTLAB_DATA_DIR to the directory that holds models/)");
}

}  // namespace quant
