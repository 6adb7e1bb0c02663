// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli lessons: list, check and show the guided course (lessons/<lang>/NN-slug.md).
#include <cstdio>
#include <string>
#include <vector>

#include "args.h"
#include "quant/base/resources.h"
#include "quant/base/tensor.h"
#include "quant/course/lesson.h"

namespace cli {

const char* const kLessonsHelp =
    "usage: quantlab-cli lessons [--dir DIR] [--lang en|es|vi] list|check|show N [--json]\n"
    "\n"
    "Works with the lesson files of the guided course (Markdown, format v1, see\n"
    "lessons/README.md).\n"
    "\n"
    "  list     number, title, steps and questions of every lesson of one language\n"
    "  check    parse every lesson, validate every action, evaluate every question's check\n"
    "           with the engine and compare it with the answer, and compare each Spanish and\n"
    "           Vietnamese lesson with its English original, expand every {{...}} number in\n"
    "           the text, and check each language's number style and glossary; prints one\n"
    "           problem per line as\n"
    "           FILE:LINE: message and exits with 1 when there is any\n"
    "  show N   lesson N as plain text (steps, actions, questions, answers)\n"
    "\n"
    "options:\n"
    "  --dir DIR          the lessons directory holding en/ es/ vi/ (default: the shipped one)\n"
    "  --lang en|es|vi    language for list and show (default en); for check, only that\n"
    "                     language (and its comparison with English) instead of all three\n"
    "  --json             machine-readable output\n"
    "\n"
    "examples:\n"
    "  quantlab-cli lessons list --lang es\n"
    "  quantlab-cli lessons check\n"
    "  quantlab-cli lessons show 4\n";

namespace {

nlohmann::json lessonSummaryJson(const quant::Lesson& l) {
  return {{"number", l.number},
          {"id", l.id},
          {"title", l.title},
          {"summary", l.summary},
          {"minutes", l.minutes},
          {"steps", l.steps.size()},
          {"questions", l.questionCount()},
          {"file", l.where}};
}

nlohmann::json lessonJson(const quant::Lesson& l) {
  nlohmann::json j = lessonSummaryJson(l);
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : l.steps) {
    nlohmann::json js = {{"title", s.title}, {"text", s.text}, {"line", s.line}};
    js["actions"] = nlohmann::json::array();
    for (const auto& a : s.actions) {
      js["actions"].push_back({{"verb", a.verb}, {"args", a.args}, {"line", a.line}});
    }
    js["questions"] = nlohmann::json::array();
    for (const auto& q : s.questions) {
      nlohmann::json jq = {{"kind", quant::toString(q.kind)},
                           {"prompt", q.prompt},
                           {"answer", number(q.answer)},
                           {"explanation", q.explanation},
                           {"line", q.line}};
      if (q.kind == quant::QuestionKind::Choice) jq["choices"] = q.choices;
      if (q.hasTolerance) jq["tolerance"] = number(q.tolerance);
      if (!q.check.empty()) jq["check"] = q.check;
      js["questions"].push_back(std::move(jq));
    }
    steps.push_back(std::move(js));
  }
  j["steps"] = std::move(steps);
  return j;
}

void printLesson(const quant::Lesson& l) {
  std::printf("Lesson %d: %s  (%d min)\n%s\n", l.number, l.title.c_str(), l.minutes,
              l.summary.c_str());
  int n = 0;
  for (const auto& s : l.steps) {
    std::printf("\n== Step %d/%zu: %s ==\n\n%s\n", ++n, l.steps.size(), s.title.c_str(),
                s.text.c_str());
    if (!s.actions.empty()) {
      std::printf("\n  app:\n");
      for (const auto& a : s.actions) std::printf("    %s\n", a.text().c_str());
    }
    for (const auto& q : s.questions) {
      std::printf("\n  Q (%s): %s\n", quant::toString(q.kind), q.prompt.c_str());
      for (std::size_t i = 0; i < q.choices.size(); ++i) {
        std::printf("    %zu) %s\n", i + 1, q.choices[i].c_str());
      }
      if (q.kind == quant::QuestionKind::Numeric) {
        std::printf("    answer: %s (tolerance %g)\n", q.answerText.c_str(), q.tolerance);
      } else {
        std::printf("    answer: %s\n", q.answerText.c_str());
      }
      std::printf("    why: %s\n", q.explanation.c_str());
    }
  }
}

}  // namespace

int runLessons(const std::vector<std::string>& argv) {
  Args a(argv, {"dir", "lang"}, {"json"});
  const auto& pos = a.positional();
  if (pos.empty()) throw UsageError("missing subcommand: list, check or show N");
  const std::string sub = pos[0];
  std::string dir = a.get("dir", "");
  if (dir.empty()) {
    dir = quant::lessonsDir();
    if (dir.empty()) throw quant::Error("no lessons directory found (use --dir)");
  }
  const std::string lang = a.get("lang", "en");
  bool known = false;
  for (const auto& l : quant::lessonLanguages()) known = known || l == lang;
  if (!known) throw UsageError("--lang must be en, es or vi");
  const bool json = a.flag("json");

  if (sub == "list") {
    if (pos.size() != 1) throw UsageError("list takes no argument");
    const auto lessons = quant::loadLessons(dir, lang);
    if (json) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& l : lessons) j.push_back(lessonSummaryJson(l));
      printJson({{"language", lang}, {"lessons", j}});
    } else {
      // The title goes last: padding UTF-8 titles to a column width would need display widths.
      std::printf("%-3s %5s %9s  %s\n", "#", "steps", "questions", "title");
      for (const auto& l : lessons) {
        std::printf("%-3d %5zu %9d  %s\n", l.number, l.steps.size(), l.questionCount(),
                    l.title.c_str());
      }
    }
    return 0;
  }
  if (sub == "check") {
    if (pos.size() != 1) throw UsageError("check takes no argument");
    std::vector<std::string> langs;
    if (a.has("lang")) langs = {lang};
    const auto problems = quant::checkLessonTree(dir, langs);
    std::size_t files = 0;
    for (const auto& l : langs.empty() ? quant::lessonLanguages() : langs) {
      files += quant::listLessonFiles(dir, l).size();
    }
    if (json) {
      printJson({{"files", files}, {"problems", problems}, {"ok", problems.empty()}});
    } else {
      for (const auto& p : problems) std::printf("%s\n", p.c_str());
      std::fprintf(stderr, "%zu lesson files checked, %zu problem(s)\n", files, problems.size());
    }
    return problems.empty() ? 0 : 1;
  }
  if (sub == "show") {
    if (pos.size() != 2) throw UsageError("usage: show N");
    const long long n = parseInt(pos[1], "lesson number");
    for (const auto& f : quant::listLessonFiles(dir, lang)) {
      const quant::Lesson l = quant::loadLessonFile(f);
      if (l.number != n) continue;
      if (json) {
        printJson(lessonJson(l));
      } else {
        printLesson(l);
      }
      return 0;
    }
    throw quant::Error("no lesson " + std::to_string(n) + " in " + dir + "/" + lang);
  }
  throw UsageError("unknown subcommand '" + sub + "': list, check or show N");
}

}  // namespace cli
