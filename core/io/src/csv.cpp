// SPDX-License-Identifier: GPL-3.0-or-later
// Numeric CSV/TSV matrices. Values are parsed as double (std::from_chars, correctly rounded)
// and then narrowed to float32 with ties-to-even, so "0.1" gives the float nearest to 0.1.
#include <algorithm>
#include <charconv>
#include <string_view>

#include "quant/io/tensorio.h"
#include "quant/io/tensorio_detail.h"

namespace quant {

namespace {

using detail::fail;

enum class Delim { Tab, Semicolon, Comma, Whitespace };

std::string_view trim(std::string_view s) {
  const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f'; };
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

void split(std::string_view line, Delim d, std::vector<std::string_view>& out) {
  out.clear();
  if (d == Delim::Whitespace) {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      const std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
      if (i > start) out.push_back(line.substr(start, i - start));
    }
    return;
  }
  const char c = d == Delim::Tab ? '\t' : d == Delim::Semicolon ? ';' : ',';
  std::size_t start = 0;
  for (;;) {
    const std::size_t pos = line.find(c, start);
    out.push_back(trim(line.substr(start, pos == std::string_view::npos ? pos : pos - start)));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
}

// Tabs delimit when no tab-separated field contains a space; "1  2\t3" is whitespace-separated.
bool isTabSeparated(std::string_view line) {
  if (line.find('\t') == std::string_view::npos) return false;
  std::vector<std::string_view> fields;
  split(line, Delim::Tab, fields);
  return std::none_of(fields.begin(), fields.end(),
                      [](std::string_view f) { return f.find(' ') != std::string_view::npos; });
}

// Parses one field; false if it is not a number. Throws for numbers beyond double range.
bool parseNumber(std::string_view f, bool decimalComma, float& out, bool& outOfRange) {
  outOfRange = false;
  if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = trim(f.substr(1, f.size() - 2));
  if (!f.empty() && f.front() == '+') f.remove_prefix(1);
  if (f.empty() || f.size() > 256) return false;
  std::string buf;
  if (decimalComma && f.find(',') != std::string_view::npos &&
      f.find('.') == std::string_view::npos) {
    buf.assign(f);
    std::replace(buf.begin(), buf.end(), ',', '.');
    f = buf;
  }
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (ptr != f.data() + f.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    // Underflow to zero is harmless; overflow is reported.
    outOfRange = true;
    return true;
  }
  if (ec != std::errc()) return false;
  out = detail::narrow(v);
  return true;
}

std::string quoteField(std::string_view f) {
  std::string s;
  for (char c : f.substr(0, 32)) s += (c >= 32 && c < 127) ? c : '?';
  if (f.size() > 32) s += "...";
  return "'" + s + "'";
}

}  // namespace

Tensor parseCsv(std::string_view text, const std::string& where) {
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    text.remove_prefix(3);  // UTF-8 byte order mark
  }
  if (text.empty()) fail(where, "file is empty");

  Tensor t;
  t.dtype = "float32";
  std::int64_t rows = 0;
  std::size_t cols = 0;
  std::size_t firstDataLine = 0;
  bool sawContent = false;
  Delim delim = Delim::Comma;
  std::vector<std::string_view> fields;
  std::vector<float> row;
  std::size_t lineNo = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = trim(text.substr(pos, eol - pos));
    pos = eol + 1;
    ++lineNo;
    if (line.empty() || line.front() == '#') continue;

    const bool first = !sawContent;
    if (first) {
      sawContent = true;
      if (isTabSeparated(line)) {
        delim = Delim::Tab;
      } else if (line.find(';') != std::string_view::npos) {
        delim = Delim::Semicolon;
      } else if (line.find(',') != std::string_view::npos) {
        delim = Delim::Comma;
      } else {
        delim = Delim::Whitespace;
      }
    }
    split(line, delim, fields);
    row.clear();
    bool numeric = true;
    std::size_t badColumn = 0;
    for (std::size_t c = 0; c < fields.size(); ++c) {
      float v = 0.0f;
      bool outOfRange = false;
      if (!parseNumber(fields[c], delim == Delim::Semicolon, v, outOfRange)) {
        numeric = false;
        badColumn = c;
        break;
      }
      if (outOfRange) {
        fail(where, "line " + std::to_string(lineNo) + ", column " + std::to_string(c + 1) + ": " +
                        quoteField(fields[c]) + " is out of range");
      }
      row.push_back(v);
    }
    if (!numeric) {
      if (first) continue;  // a header row of column names
      fail(where, "line " + std::to_string(lineNo) + ", column " + std::to_string(badColumn + 1) +
                      ": " + quoteField(fields[badColumn]) + " is not a number");
    }
    if (rows == 0) {
      cols = row.size();
      firstDataLine = lineNo;
    } else if (row.size() != cols) {
      fail(where, "line " + std::to_string(lineNo) + " has " + std::to_string(row.size()) +
                      " values but line " + std::to_string(firstDataLine) + " has " +
                      std::to_string(cols) + " (ragged rows)");
    }
    if (static_cast<std::int64_t>(t.data.size() + row.size()) > kMaxTensorElements) {
      fail(where, "more than 2^31 values");
    }
    t.data.insert(t.data.end(), row.begin(), row.end());
    ++rows;
  }
  if (rows == 0) fail(where, "no numeric data (only a header, comments or blank lines)");
  t.shape = {rows, static_cast<std::int64_t>(cols)};
  return t;
}

}  // namespace quant
