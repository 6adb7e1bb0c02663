// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/course/grading.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace quant {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isWordChar(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Absorbs the decimal -> binary conversion of written and typed numbers, nothing more.
double slack(double answer) { return 1e-9 * std::fabs(answer) + 1e-12; }

double halfUnit(int decimals) { return 0.5 * std::pow(10.0, -decimals); }

bool agrees(double value, double answer, double tolerance) {
  return std::isfinite(value) && std::fabs(value - answer) <= tolerance + slack(answer);
}

// Only a value written after "≈" (or "~") is a rounded answer; the course's input values (0.3,
// 0.6, ...) would otherwise pass for a one-decimal rounding of answers near them.
bool afterApproxSign(std::string_view text, std::size_t pos) {
  static constexpr std::string_view kApprox = "\xE2\x89\x88";  // U+2248
  while (pos > 0 && (text[pos - 1] == ' ' || text[pos - 1] == '*')) --pos;
  if (pos > 0 && text[pos - 1] == '~') return true;
  return pos >= kApprox.size() && text.substr(pos - kApprox.size(), kApprox.size()) == kApprox;
}

}  // namespace

std::vector<PrintedAnswer> findPrintedAnswers(std::string_view text, double answer) {
  static constexpr std::string_view kMinus = "\xE2\x88\x92";  // U+2212
  std::vector<PrintedAnswer> found;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!isDigit(text[i]) || (i > 0 && (isWordChar(text[i - 1]) || text[i - 1] == '.'))) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    bool negative = false;
    std::size_t shown = start;
    if (start >= 1 && text[start - 1] == '-') {
      negative = true;
      shown = start - 1;
    } else if (start >= kMinus.size() &&
               text.substr(start - kMinus.size(), kMinus.size()) == kMinus) {
      negative = true;
      shown = start - kMinus.size();
    }
    while (i < text.size() && isDigit(text[i])) ++i;
    std::string number(text.substr(start, i - start));
    int decimals = 0;
    if (i + 1 < text.size() && (text[i] == '.' || text[i] == ',') && isDigit(text[i + 1])) {
      number += '.';
      ++i;
      while (i < text.size() && isDigit(text[i])) {
        number += text[i++];
        ++decimals;
      }
    }
    // Integers never widen the grading: the code 48 must not make 47.6 right.
    if (decimals == 0 || decimals > 12 || !afterApproxSign(text, shown)) continue;
    const double value = (negative ? -1.0 : 1.0) * std::strtod(number.c_str(), nullptr);
    // The exact answer printed in full says nothing about a coarser precision.
    if (!agrees(value, answer, 0.0) && agrees(value, answer, halfUnit(decimals)))
      found.push_back({value, decimals, std::string(text.substr(shown, i - shown))});
  }
  return found;
}

std::string questionContext(const LessonStep& step, const LessonQuestion& question) {
  return step.text + "\n" + question.prompt + "\n" + question.explanation;
}

double gradingTolerance(const LessonQuestion& question, std::string_view context) {
  double tolerance = question.tolerance;
  for (const PrintedAnswer& p : findPrintedAnswers(context, question.answer))
    tolerance = std::max(tolerance, halfUnit(p.decimals));
  return tolerance;
}

Grade gradeNumeric(const LessonQuestion& question, std::string_view context, double value) {
  const double answer = question.answer;
  const double tolerance = gradingTolerance(question, context);
  if (agrees(value, answer, tolerance)) return {true, AnswerHint::None};
  if (answer != 0.0 && agrees(-value, answer, tolerance)) return {false, AnswerHint::WrongSign};
  if (value != 0.0 && answer != 0.0 && (value > 0) == (answer > 0)) {
    const double shift = std::round(std::log10(value / answer));
    if (shift != 0.0 && std::fabs(shift) <= 6 &&
        agrees(value / std::pow(10.0, shift), answer, tolerance))
      return {false, AnswerHint::DecimalPoint};
  }
  // An integer answer (a code) one off is a rounding slip as much as 0.78 for 0.7795 is.
  const double closeBand = tolerance > 0 ? 10 * tolerance : 1.0;
  if (agrees(value, answer, closeBand)) return {false, AnswerHint::Close};
  return {false, value > answer ? AnswerHint::TooHigh : AnswerHint::TooLow};
}

Grade gradeChoice(const LessonQuestion& question, int choice) {
  if (choice == static_cast<int>(question.answer)) return {true, AnswerHint::None};
  return {false, AnswerHint::OtherChoice};
}

std::vector<std::string> checkPrintedAnswers(const Lesson& lesson) {
  std::vector<std::string> problems;
  for (const LessonStep& step : lesson.steps) {
    for (const LessonQuestion& q : step.questions) {
      if (q.kind != QuestionKind::Numeric) continue;
      const auto printed = findPrintedAnswers(questionContext(step, q), q.answer);
      if (printed.empty()) continue;
      const auto coarsest = std::min_element(
          printed.begin(), printed.end(),
          [](const PrintedAnswer& a, const PrintedAnswer& b) { return a.decimals < b.decimals; });
      const double needed = halfUnit(coarsest->decimals);
      if (q.tolerance + slack(needed) >= needed) continue;
      char buf[240];
      std::snprintf(buf, sizeof buf,
                    ":%d: the step prints the answer %s as %s (%d decimal%s) but tolerance %g "
                    "rejects that precision; use tolerance: %g",
                    q.line, q.answerText.c_str(), coarsest->text.c_str(), coarsest->decimals,
                    coarsest->decimals == 1 ? "" : "s", q.tolerance, needed);
      problems.push_back(lesson.where + buf);
    }
  }
  return problems;
}

}  // namespace quant
