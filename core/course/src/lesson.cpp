// SPDX-License-Identifier: GPL-3.0-or-later
// Lesson parser (format v1) and the lesson tree: file listing and the whole-course check.
#include "quant/course/lesson.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "quant/base/tensor.h"

namespace quant {

namespace {

// The verbs of format v1; arguments are checked later by validateAction.
const std::set<std::string, std::less<>>& knownVerbs() {
  static const std::set<std::string, std::less<>> v = {
      "values", "generate", "spec",  "calibration", "range",    "probe",
      "format", "view",     "model", "layer",       "highlight"};
  return v;
}

[[noreturn]] void fail(const std::string& where, int line, const std::string& msg) {
  throw Error(where + ":" + std::to_string(line) + ": " + msg);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool isBlank(std::string_view s) { return trim(s).empty(); }

// Returns the byte offset of the first invalid UTF-8 sequence, or npos. Overlong forms,
// surrogates and code points above U+10FFFF are invalid.
std::size_t invalidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + static_cast<std::size_t>(len) > s.size()) return i;
    for (int k = 1; k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += static_cast<std::size_t>(len);
  }
  return std::string_view::npos;
}

bool parseIntStrict(std::string_view s, long long& out) {
  s = trim(s);
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parseDoubleStrict(std::string_view s, double& out) {
  s = trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

// Raw HTML tags and Markdown images are not allowed in lesson text (the player renders plain
// Markdown only). A '<' is a tag only when a letter, '/' or '!' follows it, so "x < 0" is fine.
void checkTextLine(std::string_view line, const std::string& where, int lineNo) {
  if (line.find("![") != std::string_view::npos) fail(where, lineNo, "images are not allowed");
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] != '<') continue;
    const char n = line[i + 1];
    if (n == '/' || n == '!' || (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z')) {
      fail(where, lineNo, "raw HTML is not allowed (write '< ' with a space for less-than)");
    }
  }
}

std::string joinText(const std::vector<std::string_view>& lines) {
  std::size_t b = 0, e = lines.size();
  while (b < e && isBlank(lines[b])) ++b;
  while (e > b && isBlank(lines[e - 1])) --e;
  std::string out;
  for (std::size_t i = b; i < e; ++i) {
    if (i > b) out += '\n';
    std::string_view l = lines[i];
    while (!l.empty() && (l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
    out += l;
  }
  return out;
}

void parseActions(const std::vector<std::pair<int, std::string_view>>& body, LessonStep& step,
                  const std::string& where) {
  for (const auto& [lineNo, raw] : body) {
    const std::string_view line = trim(raw);
    if (line.empty()) continue;
    if (step.actions.size() >= kLessonMaxActionsPerStep) {
      fail(where, lineNo,
           "more than " + std::to_string(kLessonMaxActionsPerStep) + " actions in one step");
    }
    LessonAction a;
    a.line = lineNo;
    std::size_t i = 0;
    std::vector<std::string> tokens;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      const std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
      if (i > start) tokens.emplace_back(line.substr(start, i - start));
    }
    a.verb = tokens.front();
    a.args.assign(tokens.begin() + 1, tokens.end());
    if (knownVerbs().count(a.verb) == 0) {
      std::string shown = a.verb.substr(0, 40);
      fail(where, lineNo,
           "unknown action '" + shown +
               "' (values generate spec calibration range probe format view model layer "
               "highlight)");
    }
    step.actions.push_back(std::move(a));
  }
}

void parseQuestion(const std::vector<std::pair<int, std::string_view>>& body, int fenceLine,
                   LessonStep& step, const std::string& where) {
  static const std::set<std::string, std::less<>> keys = {
      "kind", "prompt", "choices", "answer", "tolerance", "check", "explanation"};
  std::map<std::string, std::pair<int, std::string>, std::less<>> kv;
  LessonQuestion q;
  q.line = fenceLine;
  bool inChoices = false;
  for (const auto& [lineNo, raw] : body) {
    const std::string_view line = trim(raw);
    if (line.empty()) continue;
    if (line.size() >= 2 && line[0] == '-' && line[1] == ' ') {
      if (!inChoices) fail(where, lineNo, "a '- ' line outside 'choices:'");
      const std::string_view c = trim(line.substr(2));
      if (c.empty()) fail(where, lineNo, "empty choice");
      if (q.choices.size() >= kLessonMaxChoices) {
        fail(where, lineNo, "more than " + std::to_string(kLessonMaxChoices) + " choices");
      }
      q.choices.emplace_back(c);
      continue;
    }
    inChoices = false;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      fail(where, lineNo, "expected 'key: value' in a question block");
    }
    const std::string key(trim(line.substr(0, colon)));
    const std::string_view value = trim(line.substr(colon + 1));
    if (keys.count(key) == 0) {
      fail(where, lineNo,
           "unknown question key '" + key.substr(0, 40) +
               "' (kind prompt choices answer tolerance check explanation)");
    }
    if (kv.count(key) != 0) fail(where, lineNo, "duplicate key '" + key + "'");
    if (key == "choices") {
      if (!value.empty()) fail(where, lineNo, "'choices:' takes its entries on '- ' lines");
      inChoices = true;
    } else if (value.empty()) {
      fail(where, lineNo, "empty value for '" + key + "'");
    }
    kv[key] = {lineNo, std::string(value)};
  }
  auto need = [&](const char* key) -> const std::pair<int, std::string>& {
    auto it = kv.find(key);
    if (it == kv.end()) fail(where, fenceLine, std::string("question without '") + key + ":'");
    return it->second;
  };
  const auto& kind = need("kind");
  q.prompt = need("prompt").second;
  q.explanation = need("explanation").second;
  const auto& answer = need("answer");
  q.answerText = answer.second;
  if (auto it = kv.find("check"); it != kv.end()) q.check = it->second.second;
  if (auto it = kv.find("tolerance"); it != kv.end()) {
    if (!parseDoubleStrict(it->second.second, q.tolerance) || q.tolerance < 0) {
      fail(where, it->second.first, "tolerance must be a number >= 0");
    }
    q.hasTolerance = true;
  }
  if (kind.second == "numeric") {
    q.kind = QuestionKind::Numeric;
    if (kv.count("choices") != 0) fail(where, kv["choices"].first, "numeric question with choices");
    if (!parseDoubleStrict(answer.second, q.answer)) {
      fail(where, answer.first, "answer of a numeric question must be a finite number");
    }
    if (!q.hasTolerance) fail(where, fenceLine, "numeric question without 'tolerance:'");
    if (q.check.empty()) fail(where, fenceLine, "numeric question without 'check:'");
  } else if (kind.second == "choice") {
    q.kind = QuestionKind::Choice;
    if (kv.count("choices") == 0) fail(where, fenceLine, "choice question without 'choices:'");
    if (q.choices.size() < 2) {
      fail(where, kv["choices"].first, "a choice question needs 2 to 6 '- ' choices");
    }
    long long k = 0;
    if (!parseIntStrict(answer.second, k) || k < 1 ||
        k > static_cast<long long>(q.choices.size())) {
      fail(where, answer.first,
           "answer must be the 1-based index of a choice (1.." + std::to_string(q.choices.size()) +
               ")");
    }
    q.answer = static_cast<double>(k);
  } else {
    fail(where, kind.first, "kind must be 'numeric' or 'choice'");
  }
  if (step.questions.size() >= kLessonMaxQuestionsPerStep) {
    fail(where, fenceLine,
         "more than " + std::to_string(kLessonMaxQuestionsPerStep) + " questions in one step");
  }
  step.questions.push_back(std::move(q));
}

bool validId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return id.front() != '-' && id.back() != '-';
}

}  // namespace

std::string LessonAction::text() const {
  std::string s = verb;
  for (const auto& a : args) s += " " + a;
  return s;
}

const char* toString(QuestionKind k) { return k == QuestionKind::Numeric ? "numeric" : "choice"; }

int Lesson::questionCount() const {
  std::size_t n = 0;
  for (const auto& s : steps) n += s.questions.size();
  return static_cast<int>(n);
}

const std::vector<std::string>& lessonLanguages() {
  static const std::vector<std::string> l = {"en", "es", "vi"};
  return l;
}

Lesson parseLesson(std::string_view text, const std::string& where) {
  if (text.size() > kLessonMaxBytes) {
    fail(where, 1, "file larger than " + std::to_string(kLessonMaxBytes) + " bytes");
  }
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    fail(where, 1, "byte-order mark (save as UTF-8 without BOM)");
  }
  if (const std::size_t bad = invalidUtf8(text); bad != std::string_view::npos) {
    const auto line =
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    fail(where, static_cast<int>(line), "invalid UTF-8");
  }
  // Split into lines (1-based numbers); a final newline does not start a new line.
  std::vector<std::string_view> lines;
  {
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t nl = text.find('\n', start);
      if (nl == std::string_view::npos) nl = text.size();
      lines.push_back(text.substr(start, nl - start));
      start = nl + 1;
    }
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int lineNo = static_cast<int>(i + 1);
    if (lines[i].size() > kLessonMaxLineBytes) {
      fail(where, lineNo, "line longer than " + std::to_string(kLessonMaxLineBytes) + " bytes");
    }
    if (lines[i].find('\r') != std::string_view::npos) {
      fail(where, lineNo, "carriage return (lessons use LF line ends)");
    }
    if (lines[i].find('\0') != std::string_view::npos) fail(where, lineNo, "NUL byte");
  }

  Lesson lesson;
  lesson.where = where;
  // Front matter.
  if (lines.empty() || trim(lines[0]) != "---") {
    fail(where, 1, "missing front matter ('---' on the first line)");
  }
  std::map<std::string, std::string, std::less<>> fm;
  std::size_t i = 1;
  for (;; ++i) {
    if (i >= lines.size()) fail(where, 1, "front matter not closed by '---'");
    const int lineNo = static_cast<int>(i + 1);
    const std::string_view line = trim(lines[i]);
    if (line == "---") break;
    if (line.empty()) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      fail(where, lineNo, "expected 'key: value' in front matter");
    const std::string key(trim(line.substr(0, colon)));
    const std::string_view value = trim(line.substr(colon + 1));
    if (key != "id" && key != "number" && key != "title" && key != "summary" && key != "minutes") {
      fail(
          where, lineNo,
          "unknown front-matter key '" + key.substr(0, 40) + "' (id number title summary minutes)");
    }
    if (fm.count(key) != 0) fail(where, lineNo, "duplicate front-matter key '" + key + "'");
    if (value.empty()) fail(where, lineNo, "empty value for '" + key + "'");
    fm[key] = std::string(value);
    long long n = 0;
    if (key == "number" && (!parseIntStrict(value, n) || n < 1 || n > 99)) {
      fail(where, lineNo, "number must be an integer 1..99");
    }
    if (key == "minutes" && (!parseIntStrict(value, n) || n < 1 || n > 240)) {
      fail(where, lineNo, "minutes must be an integer 1..240");
    }
    if (key == "id" && !validId(value)) {
      fail(where, lineNo, "id must be lower-case letters, digits and '-'");
    }
  }
  const int closeLine = static_cast<int>(i + 1);
  for (const char* k : {"id", "number", "title", "summary", "minutes"}) {
    if (fm.count(k) == 0) fail(where, closeLine, std::string("front matter without '") + k + ":'");
  }
  lesson.id = fm["id"];
  lesson.number = std::stoi(fm["number"]);
  lesson.title = fm["title"];
  lesson.summary = fm["summary"];
  lesson.minutes = std::stoi(fm["minutes"]);

  // Body.
  std::vector<std::string_view> textLines;
  auto finishStep = [&](int lineNo) {
    if (lesson.steps.empty()) return;
    LessonStep& s = lesson.steps.back();
    s.text = joinText(textLines);
    textLines.clear();
    if (s.text.empty()) fail(where, s.line, "step '" + s.title.substr(0, 60) + "' has no text");
    (void)lineNo;
  };
  for (++i; i < lines.size(); ++i) {
    const int lineNo = static_cast<int>(i + 1);
    const std::string_view raw = lines[i];
    const std::string_view line = trim(raw);
    if (raw.size() >= 2 && raw[0] == '#' && raw[1] == ' ') {
      finishStep(lineNo);
      if (lesson.steps.size() >= kLessonMaxSteps) {
        fail(where, lineNo, "more than " + std::to_string(kLessonMaxSteps) + " steps");
      }
      LessonStep s;
      s.title = std::string(trim(raw.substr(2)));
      s.line = lineNo;
      if (s.title.empty()) fail(where, lineNo, "empty step title");
      checkTextLine(s.title, where, lineNo);
      lesson.steps.push_back(std::move(s));
      continue;
    }
    if (line.substr(0, 3) == "```") {
      const std::string_view info = trim(line.substr(3));
      // Find the closing fence.
      std::size_t j = i + 1;
      const bool special = info == "actions" || info == "question";
      while (j < lines.size() && trim(lines[j]) != "```") {
        // A fence opening inside a lesson block means the author forgot to close the block.
        if (special && trim(lines[j]).substr(0, 3) == "```") {
          fail(where, lineNo,
               "code block not closed by ``` (line " + std::to_string(j + 1) + " starts another)");
        }
        ++j;
      }
      if (j >= lines.size()) fail(where, lineNo, "code block not closed by ```");
      if (special) {
        if (lesson.steps.empty())
          fail(where, lineNo, "```" + std::string(info) + " before the first step");
        std::vector<std::pair<int, std::string_view>> body;
        for (std::size_t k = i + 1; k < j; ++k)
          body.emplace_back(static_cast<int>(k + 1), lines[k]);
        LessonStep& s = lesson.steps.back();
        if (info == "actions") {
          if (s.actionsLine != 0) {
            fail(where, lineNo,
                 "second ```actions block in step '" + s.title.substr(0, 60) + "' (line " +
                     std::to_string(s.actionsLine) + ")");
          }
          s.actionsLine = lineNo;
          parseActions(body, s, where);
        } else {
          parseQuestion(body, lineNo, s, where);
        }
      } else {
        if (info.find('`') != std::string_view::npos) fail(where, lineNo, "malformed code fence");
        if (lesson.steps.empty()) fail(where, lineNo, "text before the first step ('# ' heading)");
        // An ordinary code block stays part of the step text; headings inside it are not steps.
        for (std::size_t k = i; k <= j; ++k) textLines.push_back(lines[k]);
      }
      i = j;
      continue;
    }
    if (lesson.steps.empty()) {
      if (!line.empty()) fail(where, lineNo, "text before the first step ('# ' heading)");
      continue;
    }
    checkTextLine(raw, where, lineNo);
    textLines.push_back(raw);
  }
  finishStep(static_cast<int>(lines.size()));
  if (lesson.steps.size() < 2) {
    fail(where, static_cast<int>(lines.size()), "a lesson needs at least 2 steps ('# ' headings)");
  }
  return lesson;
}

Lesson loadLessonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open");
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (data.size() > kLessonMaxBytes) {
      throw Error(path + ":1: file larger than " + std::to_string(kLessonMaxBytes) + " bytes");
    }
  }
  Lesson lesson = parseLesson(data, path);
  expandLessonTemplates(lesson, lessonLanguageOf(path));
  return lesson;
}

namespace {

// "NN-slug.md" -> NN and slug; false for any other name.
bool splitLessonName(const std::string& name, int& number, std::string& slug) {
  if (name.size() < 7 || name.substr(name.size() - 3) != ".md") return false;
  if (!(name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' && name[2] == '-')) {
    return false;
  }
  number = (name[0] - '0') * 10 + (name[1] - '0');
  slug = name.substr(3, name.size() - 6);
  return !slug.empty();
}

}  // namespace

std::vector<std::string> listLessonFiles(const std::string& dir, const std::string& language) {
  namespace fs = std::filesystem;
  const fs::path base = fs::path(dir) / language;
  std::error_code ec;
  if (!fs::is_directory(base, ec)) return {};
  std::vector<std::pair<int, std::string>> found;
  for (const auto& e : fs::directory_iterator(base, ec)) {
    if (!e.is_regular_file(ec)) continue;
    const std::string name = e.path().filename().string();
    int n = 0;
    std::string slug;
    if (splitLessonName(name, n, slug)) found.emplace_back(n, e.path().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

std::vector<Lesson> loadLessons(const std::string& dir, const std::string& language) {
  std::vector<Lesson> out;
  for (const auto& f : listLessonFiles(dir, language)) out.push_back(loadLessonFile(f));
  return out;
}

std::vector<std::string> checkLessonTree(const std::string& dir,
                                         std::vector<std::string> languages) {
  namespace fs = std::filesystem;
  if (languages.empty()) languages = lessonLanguages();
  std::vector<std::string> problems;
  // name -> parsed lesson (or nullopt when it failed), per language.
  std::map<std::string, std::map<std::string, std::optional<Lesson>>> byLang;
  auto loadLanguage = [&](const std::string& lang) {
    if (byLang.count(lang) != 0) return;
    auto& m = byLang[lang];
    for (const auto& f : listLessonFiles(dir, lang)) {
      const std::string name = fs::path(f).filename().string();
      try {
        Lesson l = loadLessonFile(f);
        int n = 0;
        std::string slug;
        splitLessonName(name, n, slug);
        if (l.number != n) {
          problems.push_back(f + ":1: front-matter number " + std::to_string(l.number) +
                             " does not match the file name's " + std::to_string(n));
        }
        if (l.id != slug) {
          problems.push_back(f + ":1: id '" + l.id + "' does not match the file name's '" + slug +
                             "'");
        }
        m[name] = std::move(l);
      } catch (const Error& e) {
        problems.emplace_back(e.what());
        m[name] = std::nullopt;
      }
    }
  };
  for (const auto& lang : languages) {
    loadLanguage(lang);
    std::vector<const Lesson*> parsed;
    for (auto& [name, l] : byLang[lang]) {
      if (!l) continue;
      for (auto& p : checkLesson(*l)) problems.push_back(std::move(p));
      parsed.push_back(&*l);
    }
    for (auto& p : checkLessonProse(parsed, lang, (fs::path(dir) / lang / "GLOSSARY").string())) {
      problems.push_back(std::move(p));
    }
  }
  // Translations follow the English files.
  loadLanguage("en");
  const auto& en = byLang["en"];
  if (en.empty()) problems.push_back((fs::path(dir) / "en").string() + ": no English lessons");
  std::set<int> numbers;
  for (const auto& [name, l] : en) {
    if (l && !numbers.insert(l->number).second) {
      problems.push_back(l->where + ":1: lesson number " + std::to_string(l->number) +
                         " used twice");
    }
  }
  for (const auto& lang : languages) {
    if (lang == "en") continue;
    const auto& tr = byLang[lang];
    for (const auto& [name, l] : en) {
      const std::string path = (fs::path(dir) / lang / name).string();
      auto it = tr.find(name);
      if (it == tr.end()) {
        problems.push_back(path + ": missing translation of " +
                           (fs::path(dir) / "en" / name).string());
        continue;
      }
      if (!l || !it->second) continue;  // parse errors already reported
      for (auto& p : compareTranslation(*l, *it->second)) problems.push_back(std::move(p));
      for (auto& p : compareLessonTemplates(*l, *it->second)) problems.push_back(std::move(p));
    }
    for (const auto& [name, l] : tr) {
      if (en.count(name) == 0) {
        problems.push_back((fs::path(dir) / lang / name).string() +
                           ": no English lesson of this name");
      }
    }
  }
  return problems;
}

}  // namespace quant
