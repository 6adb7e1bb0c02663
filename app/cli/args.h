// SPDX-License-Identifier: GPL-3.0-or-later
// A small command-line parser for quantlab-cli subcommands: positional arguments, "--key value",
// "--key=value" and boolean "--flag". Unknown options are errors, so typos never pass silently.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cli {

// Thrown for a usage error (exit code 2); quant::Error is a data/file error (exit code 1).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `valued` are options that take a value, `flags` are booleans. Both are given without "--";
  // single-letter aliases may be listed as "o" etc.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
       const std::set<std::string>& flags);

  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string get(const std::string& name, const std::string& fallback) const;
  int getInt(const std::string& name, int fallback) const;
  long long getInt64(const std::string& name, long long fallback) const;
  double getDouble(const std::string& name, double fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

// Strict number parsing with a message naming the option.
double parseDouble(const std::string& text, const std::string& what);
long long parseInt(const std::string& text, const std::string& what);
std::vector<float> parseFloatList(const std::string& text, const std::string& what);

// Prints JSON (pretty, 2 spaces) to stdout; non-finite doubles become strings "inf"/"-inf"/"nan".
void printJson(const nlohmann::json& j);
nlohmann::json number(double v);

// One command: name, one-line summary, the full help text, and its runner.
struct Command {
  const char* name;
  const char* summary;
  const char* help;
  int (*run)(const std::vector<std::string>& args);
  bool takesData = false;  // --help adds the data options (data.h)
};

// Subcommands, defined in cmd_*.cpp.
int runFormat(const std::vector<std::string>& args);
int runInt(const std::vector<std::string>& args);
int runList(const std::vector<std::string>& args);
int runQuantize(const std::vector<std::string>& args);
int runInspect(const std::vector<std::string>& args);
int runGenerate(const std::vector<std::string>& args);
int runDemo(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>&);
int runEval(const std::vector<std::string>& args);         // cmd_eval.cpp
int runBench(const std::vector<std::string>& args);        // cmd_bench.cpp
int runSensitivity(const std::vector<std::string>& args);  // cmd_sensitivity.cpp
int runMixed(const std::vector<std::string>& args);        // cmd_sensitivity.cpp
int runQat(const std::vector<std::string>& args);          // cmd_qat.cpp
int runLessons(const std::vector<std::string>& args);      // cmd_lessons.cpp
int runInfo(const std::vector<std::string>& args);         // cmd_info.cpp

extern const char* const kFormatHelp;
extern const char* const kIntHelp;
extern const char* const kListHelp;
extern const char* const kQuantizeHelp;
extern const char* const kInspectHelp;
extern const char* const kGenerateHelp;
extern const char* const kDemoHelp;
extern const char* const kTrainHelp;
extern const char* const kEvalHelp;
extern const char* const kBenchHelp;
extern const char* const kSensitivityHelp;
extern const char* const kMixedHelp;
extern const char* const kQatHelp;
extern const char* const kLessonsHelp;
extern const char* const kInfoHelp;

}  // namespace cli
