// SPDX-License-Identifier: GPL-3.0-or-later
// Grading a student's answer to a lesson question, and the matching `lessons check` rule.
//
// A numeric answer is right when it agrees with the stated answer within the question's
// `tolerance:` or to the precision at which the step itself prints the answer, whichever is
// looser: a step that says "s = 99 / 127 ≈ 0.78" accepts 0.78 and 0.779 for the answer 0.7795
// (half a unit of the second decimal), and still rejects 0.77. A printed value counts when it
// follows "≈" (or "~"), is the answer correctly rounded to its own number of decimals and is not
// the answer itself; it needs at least one decimal, so the code 48 does not make 47.6 acceptable.
// The step text, the prompt and the explanation are searched; decimal commas ("0,78") and the
// minus sign U+2212 are read as well.
//
// A wrong numeric answer also gets a hint (which way it is off, a wrong sign, a shifted decimal
// point, or close but rounded too far) so the student can try again before seeing the solution.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "quant/course/lesson.h"

namespace quant {

// A number written in lesson text that is the answer rounded to `decimals` places.
struct PrintedAnswer {
  double value = 0.0;
  int decimals = 0;
  std::string text;  // as written, e.g. "0.78" or "0,78"
};

// Every printed form of `answer` in `text` (in order of appearance).
std::vector<PrintedAnswer> findPrintedAnswers(std::string_view text, double answer);

// The text a question's step prints around it: step text, prompt and explanation.
std::string questionContext(const LessonStep& step, const LessonQuestion& question);

// max(question.tolerance, half a unit of the coarsest printed form of the answer in `context`).
double gradingTolerance(const LessonQuestion& question, std::string_view context);

enum class AnswerHint {
  None,          // the answer is right
  WrongSign,     // right magnitude, wrong sign
  DecimalPoint,  // off by a power of ten
  Close,         // within ten tolerances: a rounding or precision slip
  TooHigh,
  TooLow,
  OtherChoice,  // a choice question: another choice is right
};

struct Grade {
  bool correct = false;
  AnswerHint hint = AnswerHint::None;
};

// A typed number against a numeric question (see gradingTolerance).
Grade gradeNumeric(const LessonQuestion& question, std::string_view context, double value);
// A picked choice (1-based) against a choice question.
Grade gradeChoice(const LessonQuestion& question, int choice);

// `lessons check`: every numeric question whose step prints its answer at a precision that its
// `tolerance:` rejects ("prints 0.78 but tolerance 0.0001 rejects it"). One problem per question,
// "<file>:<line>: ..." as checkLesson.
std::vector<std::string> checkPrintedAnswers(const Lesson& lesson);

}  // namespace quant
