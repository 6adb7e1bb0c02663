// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the lesson parser, the action validator and the check evaluator.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "quant/base/tensor.h"
#include "quant/course/lesson.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  quant::Lesson lesson;
  try {
    lesson = quant::parseLesson(text, "fuzz.md");
  } catch (const quant::Error&) {
    // The first line is also fed to the check evaluator directly, so check syntax is fuzzed even
    // when the input is not a lesson.
    const std::string first(text.substr(0, text.find('\n')));
    try {
      (void)quant::evaluateCheck(first);
    } catch (const quant::Error&) {
    }
    return 0;
  }
  if (lesson.steps.size() < 2 || lesson.steps.size() > quant::kLessonMaxSteps) __builtin_trap();
  // Validates every action and evaluates every check; problems come back as strings.
  for (const auto& p : quant::checkLesson(lesson)) {
    if (p.rfind("fuzz.md:", 0) != 0) __builtin_trap();
  }
  quant::ActionContext ctx;
  for (const auto& step : lesson.steps) {
    if (step.actions.size() > quant::kLessonMaxActionsPerStep) __builtin_trap();
    for (const auto& a : step.actions) {
      try {
        quant::validateAction(a, ctx, "fuzz.md");
      } catch (const quant::Error&) {
      }
    }
    for (const auto& q : step.questions) {
      if (q.kind == quant::QuestionKind::Choice &&
          (q.answer < 1 || q.answer > static_cast<double>(q.choices.size()))) {
        __builtin_trap();
      }
      if (q.check.empty()) continue;
      try {
        (void)quant::evaluateCheck(q.check);
      } catch (const quant::Error&) {
      }
    }
  }
  // A lesson is always structurally identical to itself.
  if (!quant::compareTranslation(lesson, lesson).empty()) __builtin_trap();
  return 0;
}
