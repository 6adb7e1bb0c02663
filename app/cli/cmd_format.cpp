// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli format / int: number formats bit by bit.
#include <cmath>
#include <cstdio>

#include "args.h"
#include "common.h"
#include "quant/numeric/formats.h"

namespace cli {

const char* const kFormatHelp =
    "usage: quantlab-cli format VALUE --format F [--overflow inf|saturate|nan] [--json]\n"
    "       quantlab-cli format --bits 0xHEX --format F [--json]\n"
    "       quantlab-cli format --all --format F [--json]\n"
    "\n"
    "Decodes a bit pattern (sign, exponent, mantissa, class, exact decimal value, neighbours and\n"
    "the gap to the next value) or rounds a real number into the format (round to nearest, ties to\n"
    "even) and reports the rounding error. --all lists every pattern of a format of <= 16 bits.\n"
    "\n"
    "formats: fp32, fp16, bf16, e4m3 (fp8 E4M3FN), e5m2 (fp8 E5M2), fp4 (E2M1), or eXmY for a\n"
    "toy IEEE-like float with X exponent and Y mantissa bits (e.g. e3m2).\n"
    "\n"
    "examples:\n"
    "  quantlab-cli format 0.1 --format fp16\n"
    "  quantlab-cli format --bits 0x7bff --format fp16\n"
    "  quantlab-cli format 500 --format e4m3 --overflow saturate\n";

const char* const kIntHelp =
    "usage: quantlab-cli int VALUE --type int8|uint8|intN|uintN [--json]\n"
    "       quantlab-cli int --bits 0bBINARY|0xHEX --type T [--json]\n"
    "\n"
    "Shows how an n-bit integer is stored: two's complement for signed types, plain binary for\n"
    "unsigned ones, with the type's range.\n"
    "\n"
    "examples:\n"
    "  quantlab-cli int -1 --type int8        # 11111111\n"
    "  quantlab-cli int --bits 0b1000 --type int4   # -8\n";

namespace {

quant::Overflow parseOverflow(const std::string& s) {
  if (s == "inf" || s == "infinity") return quant::Overflow::ToInfinity;
  if (s == "saturate" || s == "sat") return quant::Overflow::Saturate;
  if (s == "nan") return quant::Overflow::ToNaN;
  throw UsageError("--overflow: expected inf, saturate or nan, got '" + s + "'");
}

std::string hex(std::uint32_t bits, int totalBits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*X", (totalBits + 3) / 4, bits);
  return buf;
}

std::uint32_t parseBits(const std::string& text) {
  std::string t = text;
  int base = 0;
  if (t.rfind("0b", 0) == 0 || t.rfind("0B", 0) == 0) {
    t = t.substr(2);
    base = 2;
  }
  std::size_t used = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(t, &used, base);
  } catch (const std::exception&) {
    used = 0;
  }
  if (t.empty() || used != t.size() || v > 0xFFFFFFFFull)
    throw UsageError("--bits: '" + text + "' is not a bit pattern (0x.., 0b.. or decimal)");
  return static_cast<std::uint32_t>(v);
}

nlohmann::json decodedJson(const quant::FloatFormat& f, const quant::Decoded& d) {
  nlohmann::json j = {{"format", f.name},
                      {"bits", hex(d.bits, f.totalBits())},
                      {"binary", quant::formatBinary(f, d.bits)},
                      {"sign", d.sign},
                      {"exponent_field", d.exponentField},
                      {"exponent", d.exponent},
                      {"bias", f.bias},
                      {"mantissa_field", d.mantissaField},
                      {"implicit_bit", d.implicitBit},
                      {"class", quant::toString(d.cls)},
                      {"value", number(d.value)},
                      {"exact", d.exact},
                      {"next", number(d.next)},
                      {"prev", number(d.prev)},
                      {"gap", number(d.gap)}};
  return j;
}

void printDecoded(const quant::FloatFormat& f, const quant::Decoded& d) {
  std::printf("%s %s  = %s\n", f.name.c_str(), hex(d.bits, f.totalBits()).c_str(),
              quant::formatBinary(f, d.bits).c_str());
  std::printf("  sign %d   exponent field %u (bias %d)   mantissa field %u   class %s\n", d.sign,
              d.exponentField, f.bias, d.mantissaField, quant::toString(d.cls));
  if (d.cls == quant::FloatClass::Normal || d.cls == quant::FloatClass::Subnormal ||
      d.cls == quant::FloatClass::Zero) {
    std::printf("  value = (-1)^%d x %d.%s(bin) x 2^%d\n", d.sign, d.implicitBit,
                f.mantissaBits ? quant::toBinary(d.mantissaField, f.mantissaBits).c_str() : "0",
                d.exponent);
  }
  std::printf("  exact  %s\n", d.exact.c_str());
  std::printf("  value  %.17g\n", d.value);
  std::printf("  next   %.17g\n  prev   %.17g\n  gap    %.17g (ULP)\n", d.next, d.prev, d.gap);
}

}  // namespace

int runFormat(const std::vector<std::string>& argv) {
  Args a(argv, {"format", "bits", "overflow"}, {"all", "json"});
  const quant::FloatFormat f = quant::FloatFormat::byName(a.get("format", "fp32"));

  if (a.flag("all")) {
    const auto patterns = quant::allPatterns(f);
    if (a.flag("json")) {
      nlohmann::json arr = nlohmann::json::array();
      for (auto b : patterns) {
        arr.push_back({{"bits", hex(b, f.totalBits())},
                       {"class", quant::toString(quant::classify(f, b))},
                       {"value", number(quant::decodeValue(f, b))}});
      }
      printJson({{"format", f.name}, {"patterns", arr}});
    } else {
      std::printf("%-8s %-22s %-10s %s\n", "bits", "binary", "class", "value");
      for (auto b : patterns) {
        std::printf("%-8s %-22s %-10s %.17g\n", hex(b, f.totalBits()).c_str(),
                    quant::formatBinary(f, b).c_str(), quant::toString(quant::classify(f, b)),
                    quant::decodeValue(f, b));
      }
    }
    return 0;
  }

  if (auto bitsText = a.get("bits")) {
    if (!a.positional().empty()) throw UsageError("give either VALUE or --bits, not both");
    const quant::Decoded d = quant::decode(f, parseBits(*bitsText));
    if (a.flag("json")) {
      printJson(decodedJson(f, d));
    } else {
      printDecoded(f, d);
    }
    return 0;
  }

  if (a.positional().size() != 1) throw UsageError("expected one VALUE, --bits or --all");
  const std::string& text = a.positional()[0];
  double value;
  if (text == "nan" || text == "NaN") {
    value = std::nan("");
  } else {
    value = parseDouble(text, "VALUE");
  }
  const quant::Encoded e = quant::encode(f, value, parseOverflow(a.get("overflow", "inf")));
  const quant::Decoded d = quant::decode(f, e.bits);
  if (a.flag("json")) {
    nlohmann::json j = decodedJson(f, d);
    j["input"] = number(value);
    j["input_exact"] = quant::exactDecimal(value);
    j["abs_error"] = number(e.absError);
    j["rel_error"] = number(e.relError);
    j["overflowed"] = e.flags.overflowed;
    j["underflowed_to_zero"] = e.flags.underflowedToZero;
    j["inexact"] = e.flags.inexact;
    printJson(j);
    return 0;
  }
  std::printf("input %s rounds (to nearest, ties to even) to:\n", text.c_str());
  printDecoded(f, d);
  std::printf("  rounding error %.6g (relative %.6g)%s%s\n", e.absError, e.relError,
              e.flags.overflowed ? "  OVERFLOW" : "",
              e.flags.underflowedToZero ? "  UNDERFLOW to zero" : "");
  return 0;
}

int runInt(const std::vector<std::string>& argv) {
  Args a(argv, {"type", "bits"}, {"json"});
  const quant::IntFormat f = quant::IntFormat::byName(a.get("type", "int8"));
  std::uint32_t bits;
  std::int64_t value;
  if (auto b = a.get("bits")) {
    if (!a.positional().empty()) throw UsageError("give either VALUE or --bits, not both");
    bits = parseBits(*b);
    value = quant::bitsToInt(f, bits);
  } else {
    if (a.positional().size() != 1) throw UsageError("expected one VALUE or --bits");
    value = parseInt(a.positional()[0], "VALUE");
    bits = quant::intToBits(f, value);
  }
  if (a.flag("json")) {
    printJson({{"type", f.name()},
               {"value", value},
               {"bits", hex(bits, f.bits)},
               {"binary", quant::formatBinary(f, bits)},
               {"min", f.min()},
               {"max", f.max()}});
    return 0;
  }
  std::printf("%s %lld = %s (%s)   range [%lld, %lld]\n", f.name().c_str(),
              static_cast<long long>(value), quant::formatBinary(f, bits).c_str(),
              hex(bits, f.bits).c_str(), static_cast<long long>(f.min()),
              static_cast<long long>(f.max()));
  if (f.isSigned && value < 0)
    std::printf("  two's complement: the pattern read as unsigned is %lld = 2^%d - %lld\n",
                static_cast<long long>(bits), f.bits, static_cast<long long>(-value));
  return 0;
}

}  // namespace cli
