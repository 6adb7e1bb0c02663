// SPDX-License-Identifier: GPL-3.0-or-later
// Lessons: the guided course as Markdown files (lessons/<lang>/<NN>-<slug>.md, format v1, see
// lessons/README.md), parsed and checked without any GUI.
//
//   parseLesson      front matter + steps; each step's text, its ```actions block and its
//                    ```question blocks. Syntax only (plus known action verbs).
//   validateAction   every argument of one action, checked with the engine's own validators
//                    (QuantSpec::validate, parseGranularity, parseCalibration, generate(), the
//                    built-in model and layer names) so a lesson cannot drive the app into an
//                    error.
//   evaluateCheck    a question's `check:` expression computed with the real engine functions
//                    (quantize / calibrate / formats / metrics / fixed-point / non-uniform), so a
//                    lesson's stated answer is tested against the code the app runs. Rounding is
//                    whatever the engine does: ties-to-even for quantize() and float encode(),
//                    gemmlowp's round-half-up / half-away-from-zero for requant.
//   checkLesson / checkLessonTree   the whole validation, returning problems as
//                    "<file>:<line>: <message>" lines instead of throwing.
//
// Errors are quant::Error with one line "<where>:<line>: <message>", e.g.
// "lessons/en/04-uniform-affine.md:37: unknown action 'foo'".
//
// Hard limits keep hostile input cheap: see the k* constants below.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quant {

inline constexpr std::size_t kLessonMaxBytes = 512 * 1024;
inline constexpr std::size_t kLessonMaxLineBytes = 64 * 1024;
inline constexpr std::size_t kLessonMaxSteps = 40;
inline constexpr std::size_t kLessonMaxActionsPerStep = 64;
inline constexpr std::size_t kLessonMaxQuestionsPerStep = 16;
inline constexpr std::size_t kLessonMaxValues = 4096;         // values / check lists
inline constexpr std::int64_t kLessonMaxGenerated = 1 << 22;  // elements of a `generate`
inline constexpr std::size_t kLessonMaxChoices = 6;

struct LessonAction {
  std::string verb;               // "generate", "spec", ...
  std::vector<std::string> args;  // whitespace-separated arguments after the verb
  int line = 0;                   // 1-based line in the file
  std::string text() const;       // "verb arg1 arg2" (normalised spacing)
};

enum class QuestionKind { Numeric, Choice };
const char* toString(QuestionKind k);  // "numeric", "choice"

struct LessonQuestion {
  QuestionKind kind = QuestionKind::Numeric;
  std::string prompt;
  std::vector<std::string> choices;  // choice questions: 2..6 entries
  double answer = 0.0;               // numeric value, or the 1-based choice index
  std::string answerText;            // as written
  double tolerance = 0.0;            // absolute; numeric questions
  bool hasTolerance = false;
  std::string check;  // "" when absent (choice questions)
  std::string explanation;
  int line = 0;  // line of the ```question fence
};

struct LessonStep {
  std::string title;
  std::string text;  // Markdown between the heading and the next step, without the special blocks
  std::vector<LessonAction> actions;
  std::vector<LessonQuestion> questions;
  int line = 0;         // line of the "# " heading
  int actionsLine = 0;  // line of the ```actions fence, 0 when the step has none
  std::vector<std::string> templates;  // the {{CHECK | D}} bodies expandLessonTemplates replaced
};

struct Lesson {
  std::string where;  // file name used in messages
  std::string id;
  int number = 0;
  std::string title;
  std::string summary;
  int minutes = 0;
  std::vector<LessonStep> steps;
  int questionCount() const;
};

// Parses one lesson. Throws quant::Error "<where>:<line>: ..." on the first syntax error
// (missing/unknown front-matter keys, text before the first step, unterminated fences, a second
// actions block in a step, unknown action verbs, malformed question blocks, raw HTML or images,
// invalid UTF-8, CR line ends, exceeded limits).
Lesson parseLesson(std::string_view text, const std::string& where);
// Reads and parses a file (the path is the `where`).
Lesson loadLessonFile(const std::string& path);

// State carried from one action to the next inside a lesson (actions run in order).
struct ActionContext {
  std::string model;   // "" until a `model` action ran
  int tensorRank = 1;  // rank of the tensor the last values/generate action loaded
};

// Checks every argument of one action; throws quant::Error "<where>:<line>: ...".
void validateAction(const LessonAction& action, ActionContext& context, const std::string& where);

// Evaluates a check expression (see lessons/README.md for the list). Throws quant::Error (without
// a file prefix) for unknown verbs or keys, missing or malformed arguments and engine errors.
double evaluateCheck(const std::string& expr);

// Lesson files of one language, "<dir>/<lang>/NN-slug.md", sorted by NN (then name). Files not
// matching the pattern are ignored; a missing language directory gives an empty list.
std::vector<std::string> listLessonFiles(const std::string& dir, const std::string& language);
// Parses every file of listLessonFiles (throws on the first error).
std::vector<Lesson> loadLessons(const std::string& dir, const std::string& language);

// Every problem of one parsed lesson: invalid actions, checks that fail to evaluate or disagree
// with the answer beyond the tolerance, choice answers out of range. Empty = fine.
std::vector<std::string> checkLesson(const Lesson& lesson);

// Problems of a translation against the English lesson: id/number/minutes, step count, every
// actions block, every question's kind/answer/tolerance/check/choice count must be identical.
std::vector<std::string> compareTranslation(const Lesson& english, const Lesson& translation);

// The whole tree under dir: every lesson of every language in `languages` parses and passes
// checkLesson, file names match NN/id, and every English lesson exists in each other language,
// with no extra files, and is structurally identical. `languages` empty = en, es, vi.
std::vector<std::string> checkLessonTree(const std::string& dir,
                                         std::vector<std::string> languages = {});

// Checks beyond the core list, kept with the prose checks: "sqnr-generated ..." (SQNR of a
// generated tensor) and "q31 multiplier=M part=mantissa|shift". nullopt for any other verb;
// throws quant::Error for bad arguments. evaluateCheck falls back to it.
std::optional<double> evaluateExtraCheck(const std::vector<std::string>& tokens);

// Numbers in prose written as checks: "{{CHECK}}" (an integer) or "{{CHECK | D}}" (D decimals) in a
// title, text, prompt, choice or explanation is replaced by the engine's value, formatted for the
// language (formatLessonNumber). loadLessonFile expands them (language = the file's folder);
// parseLesson leaves them as written. Throws quant::Error "<where>:<line>: ..." for a bad check.
void expandLessonTemplates(Lesson& lesson, const std::string& language);
// "en": 0.756, 131,071; "es": 0,756, 131 071 (no-break space); "vi": 0,756, 131.071; U+2212 for
// negatives.
std::string formatLessonNumber(double value, int decimals, const std::string& language);
// "lessons/es/04-x.md" -> "es"; "en" for anything else.
std::string lessonLanguageOf(const std::string& path);
// A translated step must use the same {{...}} checks as the English step (in any order).
std::vector<std::string> compareLessonTemplates(const Lesson& english, const Lesson& translation);
// The prose of one language's lessons: in es and vi no point between digits and no commas
// grouping thousands (outside `code`); and no forbidden variant of a glossary entry
// (glossaryPath, lessons/README.md describes the format; a missing file means no glossary).
std::vector<std::string> checkLessonProse(const std::vector<const Lesson*>& lessons,
                                          const std::string& language,
                                          const std::string& glossaryPath);

// The languages lessons are written in.
const std::vector<std::string>& lessonLanguages();  // {"en", "es", "vi"}

}  // namespace quant
