// SPDX-License-Identifier: GPL-3.0-or-later
#include "args.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    const bool looksNumeric = a.size() > 1 && a[0] == '-' &&
                              (std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.');
    if (a.size() < 2 || a[0] != '-' || looksNumeric) {
      positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      positional_.insert(positional_.end(), argv.begin() + i + 1, argv.end());
      break;
    }
    std::string key = a.substr(a[1] == '-' ? 2 : 1);
    std::optional<std::string> inlineValue;
    if (auto eq = key.find('='); eq != std::string::npos) {
      inlineValue = key.substr(eq + 1);
      key = key.substr(0, eq);
    }
    if (valued.count(key)) {
      if (inlineValue) {
        values_[key] = *inlineValue;
      } else if (i + 1 < argv.size()) {
        values_[key] = argv[++i];
      } else {
        throw UsageError("option --" + key + " needs a value");
      }
    } else if (flags.count(key)) {
      if (inlineValue) throw UsageError("option --" + key + " takes no value");
      flags_.insert(key);
    } else {
      throw UsageError("unknown option " + a + " (see --help)");
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
  return get(name).value_or(fallback);
}

int Args::getInt(const std::string& name, int fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  long long x = parseInt(*v, "--" + name);
  if (x < -2147483647LL || x > 2147483647LL) throw UsageError("--" + name + " is out of range");
  return static_cast<int>(x);
}

long long Args::getInt64(const std::string& name, long long fallback) const {
  auto v = get(name);
  return v ? parseInt(*v, "--" + name) : fallback;
}

double Args::getDouble(const std::string& name, double fallback) const {
  auto v = get(name);
  return v ? parseDouble(*v, "--" + name) : fallback;
}

double parseDouble(const std::string& text, const std::string& what) {
  if (text.empty()) throw UsageError(what + ": expected a number, got nothing");
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0')
    throw UsageError(what + ": '" + text + "' is not a number");
  return v;  // overflow gives +-inf, which callers may accept (it is a valid float input)
}

long long parseInt(const std::string& text, const std::string& what) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 0);  // accepts 0x.. and 0.. prefixes
  if (text.empty() || end == text.c_str() || *end != '\0')
    throw UsageError(what + ": '" + text + "' is not an integer");
  if (errno == ERANGE) throw UsageError(what + ": '" + text + "' is out of range");
  return v;
}

std::vector<float> parseFloatList(const std::string& text, const std::string& what) {
  std::vector<float> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    out.push_back(static_cast<float>(parseDouble(item, what)));
    start = comma + 1;
  }
  return out;
}

nlohmann::json number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

void printJson(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

}  // namespace cli
