// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/numeric/formats.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include "quant/base/tensor.h"

namespace quant {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Rejects hand-built formats the code below cannot represent exactly in a double, or whose
// special-value layout is contradictory.
void checkFormat(const FloatFormat& f) {
  if (f.exponentBits < 1 || f.exponentBits > 8 || f.mantissaBits < 0 || f.mantissaBits > 23) {
    throw Error("float format '" + f.name + "': needs 1..8 exponent bits and 0..23 mantissa bits");
  }
  // Keeps every value (at most 2^(255 - bias + 1)) and every gap well inside double's range.
  if (f.bias < -300 || f.bias > 300) {
    throw Error("float format '" + f.name + "': bias out of range -300..300");
  }
  if (f.hasInfinity != (f.nan == NanEncoding::Ieee)) {
    throw Error("float format '" + f.name +
                "': infinities exist exactly for the IEEE NaN encoding");
  }
  if (f.maxFiniteBits() == 0) {
    throw Error("float format '" + f.name + "' has no finite value except zero");
  }
}

void checkBits(const FloatFormat& f, std::uint32_t bits) {
  if (f.totalBits() < 32 && (bits >> f.totalBits()) != 0) {
    char hex[16];
    const auto end = std::to_chars(hex, hex + sizeof hex, bits, 16).ptr;
    throw Error("bit pattern 0x" + std::string(hex, end) + " has bits above the " +
                std::to_string(f.totalBits()) + "-bit format " + f.name);
  }
}

// Value of a pattern without its sign bit; mag must not be an infinity/NaN pattern.
double magnitudeValue(const FloatFormat& f, std::uint32_t mag) {
  const std::uint32_t field = mag >> f.mantissaBits;
  const std::uint32_t mant = mag & f.mantissaMask();
  if (field == 0) return std::ldexp(static_cast<double>(mant), 1 - f.bias - f.mantissaBits);
  return std::ldexp(static_cast<double>(mant | (std::uint32_t{1} << f.mantissaBits)),
                    static_cast<int>(field) - f.bias - f.mantissaBits);
}

FloatClass classifyChecked(const FloatFormat& f, std::uint32_t bits) {
  const std::uint32_t mag = bits & (f.signMask() - 1);
  const std::uint32_t field = mag >> f.mantissaBits;
  const std::uint32_t mant = mag & f.mantissaMask();
  if (field == f.maxExponentField()) {
    if (f.nan == NanEncoding::Ieee) return mant == 0 ? FloatClass::Infinity : FloatClass::NaN;
    if (f.nan == NanEncoding::AllOnes && mant == f.mantissaMask()) return FloatClass::NaN;
    // The all-ones exponent holds ordinary normal values; for E = 1 it is also the only normal
    // field (field 0 is subnormal), which is fine.
    return FloatClass::Normal;
  }
  if (field == 0) return mant == 0 ? FloatClass::Zero : FloatClass::Subnormal;
  return FloatClass::Normal;
}

double valueChecked(const FloatFormat& f, std::uint32_t bits) {
  const bool negative = (bits & f.signMask()) != 0;
  switch (classifyChecked(f, bits)) {
    case FloatClass::NaN:
      return kNaN;
    case FloatClass::Infinity:
      return negative ? -kInf : kInf;
    default: {
      const double v = magnitudeValue(f, bits & (f.signMask() - 1));
      return negative ? -v : v;
    }
  }
}

// IEEE nextUp on patterns; NaN and "above the largest finite value of a format without
// infinity" give nothing.
std::optional<std::uint32_t> nextUpBits(const FloatFormat& f, std::uint32_t bits) {
  const FloatClass c = classifyChecked(f, bits);
  if (c == FloatClass::NaN) return std::nullopt;
  const std::uint32_t sign = f.signMask();
  const std::uint32_t mag = bits & (sign - 1);
  if ((bits & sign) == 0) {
    if (c == FloatClass::Infinity) return bits;
    if (mag == f.maxFiniteBits()) {
      if (f.hasInfinity) return f.infinityBits();
      return std::nullopt;
    }
    return bits + 1;
  }
  if (mag == 0) return std::uint32_t{1};  // -0 -> +min subnormal, like +0
  return sign | (mag - 1);                // toward zero; -inf -> -max finite
}

std::optional<std::uint32_t> nextDownBits(const FloatFormat& f, std::uint32_t bits) {
  // nextDown(x) = -nextUp(-x)
  const auto up = nextUpBits(f, bits ^ f.signMask());
  if (!up) return std::nullopt;
  return *up ^ f.signMask();
}

// ---- exact decimal expansion with a little base-10^9 big integer (least significant first) ----

constexpr std::uint32_t kLimbBase = 1000000000u;

void mulSmall(std::vector<std::uint32_t>& a, std::uint32_t m) {
  std::uint64_t carry = 0;
  for (auto& limb : a) {
    // limb < 10^9 and m < 2^32, so the product stays below 2^63.
    const std::uint64_t t = static_cast<std::uint64_t>(limb) * m + carry;
    limb = static_cast<std::uint32_t>(t % kLimbBase);
    carry = t / kLimbBase;
  }
  while (carry != 0) {
    a.push_back(static_cast<std::uint32_t>(carry % kLimbBase));
    carry /= kLimbBase;
  }
}

std::string limbsToString(const std::vector<std::uint32_t>& a) {
  std::string s = std::to_string(a.back());
  for (std::size_t i = a.size() - 1; i-- > 0;) {
    const std::string part = std::to_string(a[i]);
    s.append(9 - part.size(), '0');
    s += part;
  }
  return s;
}

// Decimal expansion of (-1)^negative * sig * 2^exp2.
std::string dyadicToDecimal(bool negative, std::uint64_t sig, int exp2) {
  if (sig == 0) return negative ? "-0" : "0";
  // An odd significand makes the expansion end in 5, so it carries no trailing zeros.
  while ((sig & 1) == 0 && exp2 < 0) {
    sig >>= 1;
    ++exp2;
  }
  std::vector<std::uint32_t> a;
  for (std::uint64_t s = sig; s != 0; s /= kLimbBase) {
    a.push_back(static_cast<std::uint32_t>(s % kLimbBase));
  }
  std::string out = negative ? "-" : "";
  if (exp2 >= 0) {
    int k = exp2;
    for (; k >= 31; k -= 31) mulSmall(a, std::uint32_t{1} << 31);
    mulSmall(a, std::uint32_t{1} << k);
    return out + limbsToString(a);
  }
  // sig / 2^n = sig * 5^n / 10^n
  const int n = -exp2;
  int k = n;
  for (; k >= 13; k -= 13) mulSmall(a, 1220703125u);  // 5^13 < 2^31
  std::uint32_t p = 1;
  for (int i = 0; i < k; ++i) p *= 5;
  mulSmall(a, p);
  std::string digits = limbsToString(a);
  if (digits.size() <= static_cast<std::size_t>(n)) {
    digits.insert(0, static_cast<std::size_t>(n) + 1 - digits.size(), '0');
  }
  const std::size_t point = digits.size() - static_cast<std::size_t>(n);
  out.append(digits, 0, point);
  out += '.';
  out.append(digits, point, std::string::npos);
  return out;
}

std::string toLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Parses a non-empty all-digit string (at most 3 digits) into *out.
bool parseSmallInt(std::string_view s, int* out) {
  if (s.empty() || s.size() > 3) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return std::from_chars(s.data(), s.data() + s.size(), *out).ec == std::errc{};
}

void checkIntFormat(const IntFormat& f) {
  if (f.bits < 1 || f.bits > 32) {
    throw Error("integer format needs 1..32 bits, got " + std::to_string(f.bits));
  }
}

}  // namespace

// ---------------------------------- FloatFormat ----------------------------------

FloatFormat FloatFormat::fp32() { return {"fp32", 8, 23, 127, true, NanEncoding::Ieee}; }
FloatFormat FloatFormat::fp16() { return {"fp16", 5, 10, 15, true, NanEncoding::Ieee}; }
FloatFormat FloatFormat::bf16() { return {"bf16", 8, 7, 127, true, NanEncoding::Ieee}; }
FloatFormat FloatFormat::fp8e4m3fn() { return {"e4m3fn", 4, 3, 7, false, NanEncoding::AllOnes}; }
FloatFormat FloatFormat::fp8e5m2() { return {"e5m2", 5, 2, 15, true, NanEncoding::Ieee}; }
FloatFormat FloatFormat::fp4e2m1() { return {"fp4e2m1", 2, 1, 1, false, NanEncoding::None}; }

FloatFormat FloatFormat::custom(int exponentBits, int mantissaBits) {
  if (exponentBits < 1 || exponentBits > 8) {
    throw Error("custom float format: exponent bits must be 1..8, got " +
                std::to_string(exponentBits));
  }
  if (mantissaBits < 0 || mantissaBits > 23) {
    throw Error("custom float format: mantissa bits must be 0..23, got " +
                std::to_string(mantissaBits));
  }
  if (exponentBits == 1 && mantissaBits == 0) {
    throw Error("custom float format e1m0 has no finite value except zero");
  }
  // Built by appending: GCC 12 warns falsely (-Wrestrict) about "literal" + std::string&&.
  std::string name = "e";
  name += std::to_string(exponentBits);
  name += 'm';
  name += std::to_string(mantissaBits);
  if (exponentBits == 4 && mantissaBits == 3) name += "ieee";
  // The IEEE-like formats that coincide with a named one keep the familiar name.
  if (exponentBits == 8 && mantissaBits == 23) return fp32();
  if (exponentBits == 5 && mantissaBits == 10) return fp16();
  if (exponentBits == 8 && mantissaBits == 7) return bf16();
  if (exponentBits == 5 && mantissaBits == 2) return fp8e5m2();
  return {name, exponentBits, mantissaBits, (1 << (exponentBits - 1)) - 1, true, NanEncoding::Ieee};
}

FloatFormat FloatFormat::byName(const std::string& name) {
  const std::string n = toLower(name);
  if (n == "fp32" || n == "float32" || n == "f32") return fp32();
  if (n == "fp16" || n == "float16" || n == "f16" || n == "half") return fp16();
  if (n == "bf16" || n == "bfloat16") return bf16();
  if (n == "e4m3" || n == "e4m3fn" || n == "fp8e4m3" || n == "fp8e4m3fn" || n == "float8_e4m3fn") {
    return fp8e4m3fn();
  }
  if (n == "e5m2" || n == "fp8e5m2" || n == "float8_e5m2") return fp8e5m2();
  if (n == "fp4" || n == "fp4e2m1" || n == "mxfp4") return fp4e2m1();
  if (n == "e4m3ieee") return custom(4, 3);
  if (n.size() >= 4 && n[0] == 'e') {
    const std::size_t m = n.find('m');
    int e = 0, mm = 0;
    if (m != std::string::npos && parseSmallInt(std::string_view(n).substr(1, m - 1), &e) &&
        parseSmallInt(std::string_view(n).substr(m + 1), &mm)) {
      return custom(e, mm);  // throws for out-of-range E / M
    }
  }
  throw Error("unknown float format '" + name +
              "'; valid names: fp32, fp16, bf16, e4m3fn (also e4m3, fp8e4m3), "
              "e5m2 (also fp8e5m2), fp4e2m1 (also fp4), or e<E>m<M> for an IEEE-like "
              "format with E = 1..8 exponent and M = 0..23 mantissa bits (e.g. e3m2)");
}

bool FloatFormat::hasNan() const {
  switch (nan) {
    case NanEncoding::Ieee:
      return mantissaBits > 0;
    case NanEncoding::AllOnes:
      return true;
    case NanEncoding::None:
      return false;
  }
  return false;
}

std::uint32_t FloatFormat::canonicalNanBits() const {
  if (!hasNan()) throw Error("float format '" + name + "' has no NaN encoding");
  if (nan == NanEncoding::AllOnes) return signMask() - 1;
  return (maxExponentField() << mantissaBits) | (std::uint32_t{1} << (mantissaBits - 1));
}

std::uint32_t FloatFormat::infinityBits() const {
  if (!hasInfinity) throw Error("float format '" + name + "' has no infinity");
  return maxExponentField() << mantissaBits;
}

std::uint32_t FloatFormat::maxFiniteBits() const {
  // Positive patterns are ordered like their values, so the largest finite one sits just below
  // the first special pattern.
  switch (nan) {
    case NanEncoding::Ieee:
      return (maxExponentField() << mantissaBits) - 1;
    case NanEncoding::AllOnes:
      return signMask() - 2;
    case NanEncoding::None:
      return signMask() - 1;
  }
  return 0;
}

double FloatFormat::maxFinite() const {
  checkFormat(*this);
  return magnitudeValue(*this, maxFiniteBits());
}

double FloatFormat::minNormal() const {
  checkFormat(*this);
  if (maxFiniteBits() >> mantissaBits == 0) return kNaN;
  return std::ldexp(1.0, 1 - bias);
}

double FloatFormat::minSubnormal() const {
  checkFormat(*this);
  return std::ldexp(1.0, 1 - bias - mantissaBits);
}

double FloatFormat::epsilon() const { return std::ldexp(1.0, -mantissaBits); }

const char* toString(FloatClass c) {
  switch (c) {
    case FloatClass::Zero:
      return "zero";
    case FloatClass::Subnormal:
      return "subnormal";
    case FloatClass::Normal:
      return "normal";
    case FloatClass::Infinity:
      return "infinity";
    case FloatClass::NaN:
      return "nan";
  }
  return "?";
}

// ---------------------------------- decode ----------------------------------

FloatClass classify(const FloatFormat& format, std::uint32_t bits) {
  checkFormat(format);
  checkBits(format, bits);
  return classifyChecked(format, bits);
}

double decodeValue(const FloatFormat& format, std::uint32_t bits) {
  checkFormat(format);
  checkBits(format, bits);
  return valueChecked(format, bits);
}

Decoded decode(const FloatFormat& f, std::uint32_t bits) {
  checkFormat(f);
  checkBits(f, bits);
  Decoded d;
  d.bits = bits;
  d.sign = (bits & f.signMask()) != 0 ? 1 : 0;
  d.exponentField = (bits & (f.signMask() - 1)) >> f.mantissaBits;
  d.mantissaField = bits & f.mantissaMask();
  d.cls = classifyChecked(f, bits);
  d.value = valueChecked(f, bits);
  const bool finite = d.cls != FloatClass::NaN && d.cls != FloatClass::Infinity;
  const int field = static_cast<int>(d.exponentField);
  d.exponent =
      (d.cls == FloatClass::Zero || d.cls == FloatClass::Subnormal) ? 1 - f.bias : field - f.bias;
  d.implicitBit = d.cls == FloatClass::Normal ? 1 : 0;
  d.exact = exactDecimal(f, bits);
  d.nextBits = nextUpBits(f, bits);
  d.prevBits = nextDownBits(f, bits);
  d.next = d.nextBits ? valueChecked(f, *d.nextBits) : kNaN;
  d.prev = d.prevBits ? valueChecked(f, *d.prevBits) : kNaN;
  d.gap = finite ? std::ldexp(1.0, d.exponent - f.mantissaBits) : kNaN;
  return d;
}

std::string exactDecimal(const FloatFormat& f, std::uint32_t bits) {
  checkFormat(f);
  checkBits(f, bits);
  const bool negative = (bits & f.signMask()) != 0;
  switch (classifyChecked(f, bits)) {
    case FloatClass::NaN:
      return "nan";
    case FloatClass::Infinity:
      return negative ? "-inf" : "inf";
    default:
      break;
  }
  const std::uint32_t mag = bits & (f.signMask() - 1);
  const std::uint32_t field = mag >> f.mantissaBits;
  std::uint64_t sig = mag & f.mantissaMask();
  int exp2 = 1 - f.bias - f.mantissaBits;
  if (field != 0) {
    sig |= std::uint64_t{1} << f.mantissaBits;
    exp2 = static_cast<int>(field) - f.bias - f.mantissaBits;
  }
  return dyadicToDecimal(negative, sig, exp2);
}

std::string exactDecimal(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  int e = 0;
  const double m = std::frexp(std::fabs(value), &e);  // |value| = m * 2^e, m in [0.5, 1)
  // m * 2^53 is an integer below 2^53 (subnormals just have trailing zero bits).
  const auto sig = static_cast<std::uint64_t>(std::ldexp(m, 53));
  return dyadicToDecimal(std::signbit(value), sig, e - 53);
}

// ---------------------------------- encode ----------------------------------

Encoded encode(const FloatFormat& f, double value, Overflow policy) {
  checkFormat(f);
  Encoded r;
  if (std::isnan(value)) {
    r.bits = f.canonicalNanBits();
    r.value = kNaN;
    r.absError = kNaN;
    r.relError = kNaN;
    return r;
  }
  const std::uint32_t sign = std::signbit(value) ? f.signMask() : 0;
  const double ax = std::fabs(value);
  std::uint32_t mag = 0;
  bool overflow = false;
  if (std::isinf(ax)) {
    if (f.hasInfinity && policy != Overflow::Saturate) {
      mag = f.infinityBits();
    } else {
      overflow = true;
    }
  } else if (ax != 0) {
    const int m = f.mantissaBits;
    // Quantum (weight of the last mantissa bit) of ax's binade, never below the subnormal one.
    const int qmin = 1 - f.bias - m;
    const int q = std::max(std::ilogb(ax) - m, qmin);
    // ax / 2^q < 2^(m+1) <= 2^24: scaling by a power of two and splitting off the fraction are
    // both exact in double, so the tie test below is exact.
    const double scaled = std::ldexp(ax, -q);
    const double whole = std::floor(scaled);
    const double frac = scaled - whole;
    const auto n = static_cast<std::uint64_t>(whole);
    std::int64_t pattern = 0;  // of whole * 2^q, the neighbour below (or at) ax
    if (n < (std::uint64_t{1} << m)) {
      pattern = static_cast<std::int64_t>(n);  // subnormal or zero (q == qmin)
    } else {
      const std::int64_t field = static_cast<std::int64_t>(q) + m + f.bias;
      pattern = (field << m) | static_cast<std::int64_t>(n - (std::uint64_t{1} << m));
    }
    // Positive patterns are consecutive in value, so pattern + 1 is (whole + 1) * 2^q even
    // across a binade (mantissa carry into the exponent) or from subnormals into normals.
    // Ties go to the even pattern: the even last mantissa bit, or for M = 0 the even exponent
    // field (the same rule as integer RNE on the bits, e.g. fp32 -> bf16).
    if (frac > 0.5 || (frac == 0.5 && (pattern & 1) != 0)) ++pattern;
    // Patterns grow with their values, so comparing against the largest finite pattern is the
    // overflow test on the rounded result (exponent range treated as unbounded).
    if (pattern > static_cast<std::int64_t>(f.maxFiniteBits())) {
      overflow = true;
    } else {
      mag = static_cast<std::uint32_t>(pattern);
    }
  }
  if (overflow) {
    const bool inf = f.hasInfinity && policy != Overflow::Saturate;
    const bool nan = f.hasNan() && policy != Overflow::Saturate;
    if (policy == Overflow::ToInfinity) {
      mag = inf ? f.infinityBits() : nan ? f.canonicalNanBits() : f.maxFiniteBits();
    } else if (policy == Overflow::ToNaN) {
      mag = nan ? f.canonicalNanBits() : inf ? f.infinityBits() : f.maxFiniteBits();
    } else {
      mag = f.maxFiniteBits();
    }
  }
  r.bits = sign | mag;
  r.value = valueChecked(f, r.bits);
  r.flags.overflowed = overflow;
  r.flags.underflowedToZero = ax != 0 && r.value == 0;
  r.flags.inexact = !(r.value == value);
  r.absError = r.value == value ? 0.0 : std::fabs(r.value - value);
  if (ax == 0 || r.absError == 0) {
    r.relError = 0.0;
  } else if (std::isinf(ax)) {
    r.relError = std::isnan(r.absError) ? kNaN : kInf;
  } else {
    r.relError = r.absError / ax;
  }
  return r;
}

double roundToFormat(const FloatFormat& format, double value, Overflow policy) {
  return encode(format, value, policy).value;
}

// ---------------------------------- rendering ----------------------------------

std::string toBinary(std::uint32_t bits, int width) {
  if (width < 1 || width > 32) throw Error("toBinary: width must be 1..32");
  std::string s(static_cast<std::size_t>(width), '0');
  for (int i = 0; i < width; ++i) {
    if ((bits >> (width - 1 - i)) & 1u) s[static_cast<std::size_t>(i)] = '1';
  }
  return s;
}

std::string formatBinary(const FloatFormat& f, std::uint32_t bits) {
  checkFormat(f);
  checkBits(f, bits);
  const std::string all = toBinary(bits, f.totalBits());
  std::string s = all.substr(0, 1) + ' ' + all.substr(1, static_cast<std::size_t>(f.exponentBits));
  if (f.mantissaBits > 0) {
    s += ' ';
    s += all.substr(1 + static_cast<std::size_t>(f.exponentBits));
  }
  return s;
}

std::vector<std::uint32_t> allPatterns(const FloatFormat& f) {
  checkFormat(f);
  if (f.totalBits() > 16) {
    throw Error("allPatterns: format " + f.name + " has " + std::to_string(f.totalBits()) +
                " bits; only formats of at most 16 bits are enumerated");
  }
  std::vector<std::uint32_t> v(std::size_t{1} << f.totalBits());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint32_t>(i);
  return v;
}

// ---------------------------------- integers ----------------------------------

IntFormat IntFormat::byName(const std::string& name) {
  const std::string n = toLower(name);
  std::string_view digits;
  bool isSigned = true;
  if (n.rfind("uint", 0) == 0) {
    digits = std::string_view(n).substr(4);
    isSigned = false;
  } else if (n.rfind("int", 0) == 0) {
    digits = std::string_view(n).substr(3);
  }
  int bits = 0;
  if (!parseSmallInt(digits, &bits) || bits < 1 || bits > 32) {
    throw Error("unknown integer format '" + name +
                "'; valid names: int<N> or uint<N> with N = 1..32 (e.g. int8, uint4)");
  }
  return {bits, isSigned};
}

std::string IntFormat::name() const { return (isSigned ? "int" : "uint") + std::to_string(bits); }

std::int64_t IntFormat::min() const {
  checkIntFormat(*this);
  return isSigned ? -(std::int64_t{1} << (bits - 1)) : 0;
}

std::int64_t IntFormat::max() const {
  checkIntFormat(*this);
  return isSigned ? (std::int64_t{1} << (bits - 1)) - 1 : (std::int64_t{1} << bits) - 1;
}

std::uint32_t intToBits(const IntFormat& f, std::int64_t value) {
  if (value < f.min() || value > f.max()) {
    throw Error(std::to_string(value) + " is out of range for " + f.name() + " [" +
                std::to_string(f.min()) + ", " + std::to_string(f.max()) + "]");
  }
  // Two's complement: a negative value is stored as value + 2^bits.
  const std::int64_t stored = value < 0 ? value + (std::int64_t{1} << f.bits) : value;
  return static_cast<std::uint32_t>(stored);
}

std::int64_t bitsToInt(const IntFormat& f, std::uint32_t bits) {
  checkIntFormat(f);
  if (f.bits < 32 && (bits >> f.bits) != 0) {
    throw Error("bit pattern " + std::to_string(bits) + " has bits above the " +
                std::to_string(f.bits) + "-bit format " + f.name());
  }
  const auto u = static_cast<std::int64_t>(bits);
  if (f.isSigned && ((bits >> (f.bits - 1)) & 1u)) return u - (std::int64_t{1} << f.bits);
  return u;
}

std::string formatBinary(const IntFormat& f, std::uint32_t bits) {
  checkIntFormat(f);
  if (f.bits < 32 && (bits >> f.bits) != 0) {
    throw Error("bit pattern has bits above the " + std::to_string(f.bits) + "-bit format " +
                f.name());
  }
  return toBinary(bits, f.bits);
}

}  // namespace quant
