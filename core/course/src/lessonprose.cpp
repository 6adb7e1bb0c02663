// SPDX-License-Identifier: GPL-3.0-or-later
// The prose of a lesson: numbers written as engine checks ({{CHECK | D}}), the number style of
// each language and the per-language glossary. Kept apart from lessoncheck.cpp, which checks the
// machine parts (actions, questions) of a step.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "quant/base/tensor.h"
#include "quant/course/lesson.h"
#include "quant/kernels/fixedpoint.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/generate.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/nonuniform.h"
#include "quant/numeric/quantize.h"

namespace quant {

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// "2147483647" -> "2,147,483,647" with the language's group separator; numbers below 10000
// stay ungrouped, as all three languages write them.
std::string groupThousands(const std::string& digits, const std::string& sep) {
  if (digits.size() <= 4) return digits;
  std::string out;
  const std::size_t lead = digits.size() % 3;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (i - lead) % 3 == 0 && i >= lead) out += sep;
    out += digits[i];
  }
  return out;
}

double numberOf(const std::map<std::string, std::string>& kv, const std::string& key,
                double fallback) {
  auto it = kv.find(key);
  if (it == kv.end()) return fallback;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str() || *end != '\0' || !std::isfinite(v)) {
    throw Error(key + "=" + it->second + " is not a number");
  }
  return v;
}

std::map<std::string, std::string> keyValues(const std::vector<std::string>& tokens,
                                             const std::set<std::string>& known) {
  std::map<std::string, std::string> kv;
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    const std::string& tok = tokens[i];
    const auto eq = tok.find('=');
    if (eq == std::string::npos || !kv.emplace(tok.substr(0, eq), tok.substr(eq + 1)).second) {
      throw Error("expected distinct key=value arguments, got '" + tok + "'");
    }
  }
  for (const auto& [k, v] : kv) {
    if (known.count(k) == 0) throw Error("unknown argument '" + k + "'");
  }
  return kv;
}

// "q31 multiplier=M part=mantissa|shift": the Q31 mantissa m in [2^30, 2^31) or the power-of-two
// shift of M = m * 2^-31 * 2^shift, as the requantization kernels store it (lesson 09).
double q31Part(const std::vector<std::string>& tokens) {
  const auto kv = keyValues(tokens, {"multiplier", "part"});
  const double m = numberOf(kv, "multiplier", -1);
  if (!(m > 0 && m < 1e9)) throw Error("multiplier= must be in (0, 1e9)");
  const QuantizedMultiplier q = QuantizeMultiplier(m);
  const std::string part = kv.count("part") ? kv.at("part") : "";
  if (part == "mantissa") return q.multiplier;
  if (part == "shift") return q.shift;
  throw Error("part= must be mantissa or shift");
}

// "sqnr-generated dist=normal n=4096 seed=7 stddev=0.02 [outliers=4 magnitude=0.3] bits=4
// scheme=symmetric|asymmetric|nf4|log2|kmeans|q4_0|q8_0 [granularity=G] [block=B]": the SQNR in dB
// of a tensor the lesson's `generate` action makes, quantized with min-max calibration (uniform
// schemes) or by the non-uniform format, as the window measures it.
double sqnrOfGenerated(const std::vector<std::string>& tokens) {
  const auto kv = keyValues(tokens, {"dist", "n", "seed", "stddev", "mean", "outliers", "magnitude",
                                     "bits", "scheme", "granularity", "block"});
  GeneratorSpec g;
  g.distribution = parseDistribution(kv.count("dist") ? kv.at("dist") : "normal");
  const double n = numberOf(kv, "n", 0);
  if (!(n >= 1 && n <= static_cast<double>(kLessonMaxGenerated))) throw Error("n= out of range");
  g.shape = {static_cast<std::int64_t>(n)};
  g.seed = static_cast<std::uint64_t>(numberOf(kv, "seed", 0));
  g.stddev = numberOf(kv, "stddev", g.stddev);
  g.mean = numberOf(kv, "mean", g.mean);
  g.outlierCount = static_cast<std::int64_t>(numberOf(kv, "outliers", 0));
  g.outlierMagnitude = numberOf(kv, "magnitude", 0);
  const Tensor t = generate(g);
  const int bits = static_cast<int>(numberOf(kv, "bits", 8));
  const std::string scheme = kv.count("scheme") ? kv.at("scheme") : "symmetric";
  if (scheme == "symmetric" || scheme == "asymmetric") {
    QuantSpec spec;
    spec.bits = bits;
    spec.scheme = scheme == "symmetric" ? Scheme::Symmetric : Scheme::Asymmetric;
    spec.isSigned = scheme == "symmetric";
    if (kv.count("granularity")) parseGranularity(kv.at("granularity"), spec);
    spec.validate();
    const QuantParams p = calibrateParams(t, spec, CalibrationConfig{});
    return computeMetrics(t.data, dequantize(quantize(t.data, p), p)).sqnrDb;
  }
  const int block = static_cast<int>(numberOf(kv, "block", 0));
  const CodebookResult r = quantizeNonUniform(scheme, t.data, bits, block);
  return computeMetrics(t.data, r.reconstructed).sqnrDb;
}

// One template "CHECK" or "CHECK | D" -> its formatted engine value.
std::string expandOne(std::string_view body, const std::string& language) {
  int decimals = -1;
  std::string expr(trimmed(body));
  if (const auto bar = expr.rfind('|'); bar != std::string::npos) {
    const std::string d(trimmed(std::string_view(expr).substr(bar + 1)));
    if (d.size() != 1 || !isDigit(d[0])) throw Error("'| D' needs one digit 0..9 after the bar");
    decimals = d[0] - '0';
    expr = std::string(trimmed(std::string_view(expr).substr(0, bar)));
  }
  const double v = evaluateCheck(expr);
  if (decimals < 0) {
    if (std::fabs(v - std::round(v)) > 1e-9 * std::max(1.0, std::fabs(v))) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.10g", v);
      throw Error("'" + expr + "' gives " + buf + ", not an integer: add '| D' for D decimals");
    }
    decimals = 0;
  }
  return formatLessonNumber(v, decimals, language);
}

// ASCII and the capitals of Latin-1 and Đ folded to lower case, so a glossary entry matches at
// the start of a sentence too. Other bytes stay as they are.
std::string foldCase(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if (i + 1 < out.size()) {
      const auto n = static_cast<unsigned char>(out[i + 1]);
      if (c == 0xC3 && n >= 0x80 && n <= 0x9E && n != 0x97) out[i + 1] = static_cast<char>(n + 32);
      if (c == 0xC4 && n == 0x90) out[i + 1] = static_cast<char>(0x91);
    }
  }
  return out;
}

// Letters, digits and any non-ASCII byte are word characters (the lessons' non-ASCII letters are
// all multi-byte); a glossary match must not start or end inside a word.
bool wordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || isDigit(c);
}

// Text with `inline code` and fenced code blocks blanked out (same length, so offsets hold):
// code is machine syntax and keeps decimal points and English names.
std::string withoutCode(const std::string& text) {
  std::string out = text;
  bool fenced = false;
  std::size_t lineStart = 0;
  while (lineStart < out.size()) {
    std::size_t lineEnd = out.find('\n', lineStart);
    if (lineEnd == std::string::npos) lineEnd = out.size();
    const bool fence =
        trimmed(std::string_view(out).substr(lineStart, lineEnd - lineStart)).substr(0, 3) == "```";
    if (fence || fenced) {
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(lineStart),
                out.begin() + static_cast<std::ptrdiff_t>(lineEnd), ' ');
    } else {
      bool code = false;
      for (std::size_t i = lineStart; i < lineEnd; ++i) {
        if (out[i] == '`') code = !code;
        if (code || out[i] == '`') out[i] = ' ';
      }
    }
    if (fence) fenced = !fenced;
    lineStart = lineEnd + 1;
  }
  return out;
}

struct GlossaryEntry {
  std::string english;
  std::string preferred;
  std::vector<std::string> forbidden;  // case-folded
  int line = 0;
};

std::vector<GlossaryEntry> loadGlossary(const std::string& path,
                                        std::vector<std::string>& problems) {
  std::vector<GlossaryEntry> out;
  std::ifstream in(path, std::ios::binary);
  if (!in) return out;
  std::string raw;
  int lineNo = 0;
  while (std::getline(in, raw)) {
    ++lineNo;
    const std::string_view line = trimmed(raw);
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find(" = ");
    const auto bar = line.find(" | ");
    if (eq == std::string_view::npos || bar == std::string_view::npos || bar < eq) {
      problems.push_back(path + ":" + std::to_string(lineNo) +
                         ": expected 'english = term | forbidden | forbidden...'");
      continue;
    }
    GlossaryEntry e;
    e.line = lineNo;
    e.english = std::string(trimmed(line.substr(0, eq)));
    e.preferred = std::string(trimmed(line.substr(eq + 3, bar - eq - 3)));
    std::string_view rest = line.substr(bar + 3);
    for (;;) {
      const auto next = rest.find(" | ");
      const std::string variant(trimmed(rest.substr(0, next)));
      if (!variant.empty()) e.forbidden.push_back(foldCase(variant));
      if (next == std::string_view::npos) break;
      rest = rest.substr(next + 3);
    }
    if (e.english.empty() || e.preferred.empty() || e.forbidden.empty()) {
      problems.push_back(
          path + ":" + std::to_string(lineNo) +
          ": an entry needs an English term, the term to use and a forbidden variant");
      continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

// Every human-written field of a lesson with the line reported for it.
template <class F>
void forEachProse(const Lesson& l, F&& f) {
  f(l.title, 1);
  f(l.summary, 1);
  for (const auto& s : l.steps) {
    f(s.title, s.line);
    f(s.text, s.line);
    for (const auto& q : s.questions) {
      f(q.prompt, q.line);
      for (const auto& c : q.choices) f(c, q.line);
      f(q.explanation, q.line);
    }
  }
}

// Vietnamese groups thousands with points ("235.146"): the point at i is accepted when the whole
// number is 1-3 digits (not starting with 0) followed by groups of exactly three.
bool dotGroupsThousands(const std::string& s, std::size_t i) {
  std::size_t b = i, e = i;
  while (b > 0 && (isDigit(s[b - 1]) || s[b - 1] == '.')) --b;
  while (e + 1 < s.size() && (isDigit(s[e + 1]) || s[e + 1] == '.')) ++e;
  while (e > i && s[e] == '.') --e;  // a full stop ending the sentence
  const std::string n = s.substr(b, e - b + 1);
  const std::size_t first = n.find('.');
  if (first == 0 || first > 3 || n[0] == '0') return false;
  for (std::size_t k = first; k < n.size(); k += 4) {
    if (n[k] != '.' || k + 3 >= n.size() || !isDigit(n[k + 1]) || !isDigit(n[k + 2]) ||
        !isDigit(n[k + 3]))
      return false;
  }
  return (n.size() - first) % 4 == 0;
}

void checkNumberStyle(const Lesson& l, const std::string& language,
                      std::vector<std::string>& problems) {
  if (language != "es" && language != "vi") return;
  forEachProse(l, [&](const std::string& text, int line) {
    const std::string prose = withoutCode(text);
    for (std::size_t i = 1; i + 1 < prose.size(); ++i) {
      if (!isDigit(prose[i - 1]) || !isDigit(prose[i + 1])) continue;
      // A number glued to a letter is a name (Q1.7, v1.2), not a quantity.
      std::size_t start = i;
      while (start > 0 && (isDigit(prose[start - 1]) || prose[start - 1] == '.')) --start;
      if (start > 0 && std::isalpha(static_cast<unsigned char>(prose[start - 1]))) continue;
      std::string what;
      if (prose[i] == '.' && !(language == "vi" && dotGroupsThousands(prose, i))) {
        what = "a point between digits";
      } else if (prose[i] == ',' && i + 7 < prose.size() && prose[i + 4] == ',' &&
                 isDigit(prose[i + 2]) && isDigit(prose[i + 3]) && isDigit(prose[i + 5])) {
        what = "commas grouping thousands";
      }
      if (what.empty()) continue;
      const std::size_t from = prose.find_last_of(" \n", i);
      const std::size_t to = prose.find_first_of(" \n", i);
      const std::string near = text.substr(from == std::string::npos ? 0 : from + 1,
                                           (to == std::string::npos ? text.size() : to) -
                                               (from == std::string::npos ? 0 : from + 1));
      problems.push_back(l.where + ":" + std::to_string(line) + ": " + what + " in '" + near +
                         "': " +
                         (language == "es" ? "write a decimal comma; group thousands with a space"
                                           : "write a decimal comma; group thousands with points") +
                         " (lessons/README.md)");
      break;
    }
  });
}

void checkGlossary(const Lesson& l, const std::vector<GlossaryEntry>& glossary,
                   std::vector<std::string>& problems) {
  forEachProse(l, [&](const std::string& text, int line) {
    const std::string prose = foldCase(withoutCode(text));
    for (const auto& e : glossary) {
      for (const auto& v : e.forbidden) {
        for (std::size_t at = prose.find(v); at != std::string::npos; at = prose.find(v, at + 1)) {
          const bool startOk = at == 0 || !wordByte(prose[at - 1]);
          const bool endOk = at + v.size() >= prose.size() || !wordByte(prose[at + v.size()]);
          if (!startOk || !endOk) continue;
          problems.push_back(l.where + ":" + std::to_string(line) + ": '" +
                             text.substr(at, v.size()) + "' is not the glossary's word for '" +
                             e.english + "': write '" + e.preferred + "' (GLOSSARY line " +
                             std::to_string(e.line) + ")");
          break;
        }
      }
    }
  });
}

}  // namespace

std::optional<double> evaluateExtraCheck(const std::vector<std::string>& tokens) {
  if (tokens.empty()) return std::nullopt;
  if (tokens[0] == "sqnr-generated") return sqnrOfGenerated(tokens);
  if (tokens[0] == "q31") return q31Part(tokens);
  return std::nullopt;
}

std::string formatLessonNumber(double v, int decimals, const std::string& language) {
  const bool latin = language == "es" || language == "vi";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v));
  std::string s = buf;
  const auto dot = s.find('.');
  const std::string intPart = s.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  // Spanish groups thousands with a no-break space (U+00A0), Vietnamese with points; both write
  // a decimal comma.
  std::string out =
      groupThousands(intPart, language == "es" ? "\xC2\xA0" : (language == "vi" ? "." : ","));
  if (!frac.empty()) out += (latin ? "," : ".") + frac;
  const bool zero = std::all_of(s.begin(), s.end(), [](char c) { return c == '0' || c == '.'; });
  if (v < 0 && !zero) out = "\xE2\x88\x92" + out;  // U+2212 minus sign
  return out;
}

std::string lessonLanguageOf(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().filename().string();
  for (const auto& l : lessonLanguages()) {
    if (l == parent) return l;
  }
  return "en";
}

void expandLessonTemplates(Lesson& lesson, const std::string& language) {
  auto expand = [&](std::string& text, int line, std::vector<std::string>* found) {
    std::string out;
    std::size_t pos = 0;
    for (;;) {
      const std::size_t open = text.find("{{", pos);
      if (open == std::string::npos) break;
      const std::size_t close = text.find("}}", open + 2);
      if (close == std::string::npos) {
        throw Error(lesson.where + ":" + std::to_string(line) + ": '{{' without '}}'");
      }
      const std::string body = text.substr(open + 2, close - open - 2);
      out += text.substr(pos, open - pos);
      try {
        out += expandOne(body, language);
      } catch (const Error& e) {
        throw Error(lesson.where + ":" + std::to_string(line) + ": {{" + body + "}}: " + e.what());
      }
      if (found != nullptr) found->emplace_back(trimmed(body));
      pos = close + 2;
    }
    if (pos == 0) return;
    text = out + text.substr(pos);
  };
  expand(lesson.title, 1, nullptr);
  expand(lesson.summary, 1, nullptr);
  for (auto& s : lesson.steps) {
    expand(s.title, s.line, &s.templates);
    expand(s.text, s.line, &s.templates);
    for (auto& q : s.questions) {
      expand(q.prompt, q.line, &s.templates);
      for (auto& c : q.choices) expand(c, q.line, &s.templates);
      expand(q.explanation, q.line, &s.templates);
    }
  }
}

std::vector<std::string> compareLessonTemplates(const Lesson& en, const Lesson& tr) {
  std::vector<std::string> p;
  const std::size_t n = std::min(en.steps.size(), tr.steps.size());
  for (std::size_t s = 0; s < n; ++s) {
    auto a = en.steps[s].templates;
    auto b = tr.steps[s].templates;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a != b) {
      p.push_back(tr.where + ":" + std::to_string(tr.steps[s].line) + ": step " +
                  std::to_string(s + 1) + ": its {{...}} numbers differ from the English step's (" +
                  en.where + ")");
    }
  }
  return p;
}

std::vector<std::string> checkLessonProse(const std::vector<const Lesson*>& lessons,
                                          const std::string& language,
                                          const std::string& glossaryPath) {
  std::vector<std::string> problems;
  const auto glossary = loadGlossary(glossaryPath, problems);
  for (const auto& e : glossary) {
    for (const auto& v : e.forbidden) {
      if (foldCase(e.preferred).find(v) != std::string::npos) {
        problems.push_back(glossaryPath + ":" + std::to_string(e.line) + ": the term '" +
                           e.preferred + "' contains its own forbidden variant");
      }
    }
  }
  for (const Lesson* l : lessons) {
    checkNumberStyle(*l, language, problems);
    checkGlossary(*l, glossary, problems);
  }
  return problems;
}

}  // namespace quant
