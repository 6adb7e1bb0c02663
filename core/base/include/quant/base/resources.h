// SPDX-License-Identifier: GPL-3.0-or-later
// Where QuantLab's data files live: the shipped models (resources/models/*.onnx) and lessons
// (lessons/<language>/*.md).
//
// The data directory is the first of these that exists:
//   1. the environment variable QUANTLAB_DATA_DIR (tests, relocated installs);
//   2. <directory of the running executable>/../share/quantlab (an installed tree, any prefix);
//   3. the install prefix chosen at configure time, <prefix>/share/quantlab;
//   4. the source tree the program was built from (running from a build directory).
// In cases 1-3 models sit in <data>/models and lessons in <data>/lessons; in case 4 they are
// resources/models and lessons/ of the source tree.
#pragma once

#include <string>
#include <vector>

namespace quant {

// Directory holding the shipped *.onnx models; "" when none of the candidates exists.
std::string modelsDir();
// Directory holding lessons/<language>/; "" when none of the candidates exists.
std::string lessonsDir();

// The names of the built-in models ("mlp", "cnn"), in display order.
const std::vector<std::string>& builtinModelNames();

// Resolves a --model argument: a built-in name becomes <modelsDir()>/<name>.onnx (quant::Error
// with the searched places when it is missing); anything else is returned unchanged as a path.
std::string resolveModelPath(const std::string& nameOrPath);

}  // namespace quant
