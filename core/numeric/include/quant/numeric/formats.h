// SPDX-License-Identifier: GPL-3.0-or-later
// Number formats: binary floating-point formats (fp32, fp16, bf16, OCP OFP8 E4M3FN / E5M2, OCP MX
// FP4 E2M1 and a toy IEEE-like ExMy family) and two's-complement / unsigned integers.
//
// Everything here is exact. Every supported float format has at most 8 exponent bits and 23
// mantissa bits, so every value it can represent is exactly a double; decode() returns that double
// and the exact decimal expansion of it. encode() rounds a double to the format with
// round-to-nearest, ties-to-even (IEEE 754 roundTiesToEven), including subnormals and rounding up
// into the next binade. A tie goes to the neighbour whose bit pattern is even, i.e. whose last
// mantissa bit is 0 (for M = 0 formats: whose exponent field is even, as integer RNE on the bits
// would do). Overflow is decided on the correctly rounded result, i.e. as if the
// exponent range were unbounded (IEEE 754 7.4): a value overflows iff it rounds to a magnitude
// above the largest finite value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace quant {

// Which bit patterns of a float format are NaN (and, implicitly, infinity).
enum class NanEncoding {
  Ieee,     // exponent field all ones: mantissa 0 = +-infinity, anything else NaN (IEEE 754).
            // With 0 mantissa bits there is no NaN pattern at all (only infinities).
  AllOnes,  // only S.1..1.1..1 is NaN; no infinities; exponent all ones otherwise holds normal
            // values (OCP OFP8 E4M3FN: NaN = 0x7F / 0xFF).
  None,     // every pattern is a finite number: no NaN, no infinities (OCP MX FP4 E2M1).
};

struct FloatFormat {
  std::string name;       // "fp32", "fp16", "bf16", "e4m3fn", "e5m2", "fp4e2m1", "e3m2", ...
  int exponentBits = 8;   // 1..8
  int mantissaBits = 23;  // 0..23 (stored fraction bits, without the implicit leading bit)
  int bias = 127;
  bool hasInfinity = true;  // must be true exactly for NanEncoding::Ieee
  NanEncoding nan = NanEncoding::Ieee;

  static FloatFormat fp32();       // IEEE binary32: E8M23, bias 127
  static FloatFormat fp16();       // IEEE binary16: E5M10, bias 15, max 65504
  static FloatFormat bf16();       // bfloat16: E8M7, bias 127 (fp32 with 16 mantissa bits cut)
  static FloatFormat fp8e4m3fn();  // OCP OFP8 E4M3FN: bias 7, max 448, NaN 0x7F/0xFF, no inf
  static FloatFormat fp8e5m2();    // OCP OFP8 E5M2: bias 15, max 57344, IEEE inf and NaN
  static FloatFormat fp4e2m1();    // OCP MX FP4 E2M1: bias 1, max 6, no inf, no NaN
  // IEEE-like toy format with E exponent bits (1..8), M mantissa bits (0..23), bias 2^(E-1)-1,
  // IEEE infinities and NaNs. Named "e<E>m<M>" ("e4m3ieee" for E4M3, to keep it apart from
  // E4M3FN). Throws quant::Error when E or M is out of range, and for E1M0, which would have no
  // finite value except zero. Layouts that are a named format come back as that format:
  // custom(8, 23) == fp32(), (5, 10) == fp16(), (8, 7) == bf16(), (5, 2) == fp8e5m2().
  static FloatFormat custom(int exponentBits, int mantissaBits);
  // Case-insensitive: "fp32"/"float32", "fp16"/"float16"/"half", "bf16"/"bfloat16",
  // "e4m3"/"e4m3fn"/"fp8e4m3"/"fp8e4m3fn", "e5m2"/"fp8e5m2", "fp4"/"fp4e2m1"/"mxfp4",
  // "e4m3ieee", and "e<E>m<M>" for custom(E, M) (so "e5m2" is the same format as fp8e5m2()).
  // Throws quant::Error listing the valid names otherwise.
  static FloatFormat byName(const std::string& name);

  int totalBits() const { return 1 + exponentBits + mantissaBits; }
  bool hasNan() const;
  std::uint32_t signMask() const { return std::uint32_t{1} << (exponentBits + mantissaBits); }
  std::uint32_t maxExponentField() const { return (std::uint32_t{1} << exponentBits) - 1; }
  std::uint32_t mantissaMask() const { return (std::uint32_t{1} << mantissaBits) - 1; }

  // Bit patterns (positive sign). canonicalNanBits() throws quant::Error when !hasNan();
  // infinityBits() throws when !hasInfinity. IEEE canonical NaN is the quiet NaN with only the
  // top mantissa bit set (fp16 0x7E00, fp32 0x7FC00000); E4M3FN's is 0x7F.
  std::uint32_t canonicalNanBits() const;
  std::uint32_t infinityBits() const;
  std::uint32_t maxFiniteBits() const;

  double maxFinite() const;  // largest finite value (fp16: 65504, e4m3fn: 448)
  // Smallest positive normal value 2^(1-bias), or NaN for formats that have no normal numbers
  // (E=1 IEEE-like formats, whose only exponent field besides 0 is the all-ones special one).
  double minNormal() const;
  double minSubnormal() const;  // 2^(1-bias-M); for M == 0 the smallest positive value
  double epsilon() const;       // gap between 1 and the next value, 2^-M

  bool operator==(const FloatFormat&) const = default;
};

enum class FloatClass { Zero, Subnormal, Normal, Infinity, NaN };
const char* toString(FloatClass c);  // "zero", "subnormal", "normal", "infinity", "nan"

struct Decoded {
  std::uint32_t bits = 0;
  int sign = 0;                     // the sign bit, 0 or 1 (also for zero and NaN)
  std::uint32_t exponentField = 0;  // biased exponent bits as stored
  // Unbiased exponent: field - bias for normals; 1 - bias for zeros and subnormals (their
  // effective exponent); field - bias (not meaningful) for infinities and NaNs.
  int exponent = 0;
  std::uint32_t mantissaField = 0;
  int implicitBit = 0;  // 1 for normals, 0 for zeros, subnormals, infinities, NaNs
  FloatClass cls = FloatClass::Zero;
  double value = 0.0;  // exact
  std::string exact;   // exact decimal expansion, see exactDecimal()
  // Neighbours in the total order of values (IEEE nextUp / nextDown). nextUp(+max finite) is
  // +infinity when the format has one, otherwise there is none (nextBits empty, next NaN);
  // nextUp(+inf) = +inf; nextUp(-0) = nextUp(+0) = +min subnormal; symmetric for prev.
  // NaN has no neighbours.
  std::optional<std::uint32_t> nextBits, prevBits;
  double next = 0.0;  // value of nextBits, NaN if none
  double prev = 0.0;  // value of prevBits, NaN if none
  // Gap (ULP) away from zero: 2^(exponent - M), which for every finite value is the distance to
  // the next value of larger magnitude; at the largest finite value it is the spacing the
  // binade would continue with (e4m3fn: 32 at 448, fp16: 32 at 65504). Zero's gap is the min
  // subnormal. NaN for infinities and NaNs.
  double gap = 0.0;
};

// Decodes a bit pattern. Throws quant::Error if bits has set bits at or above totalBits().
Decoded decode(const FloatFormat& format, std::uint32_t bits);
// Just the exact value of a pattern (fast; same checks as decode()).
double decodeValue(const FloatFormat& format, std::uint32_t bits);
FloatClass classify(const FloatFormat& format, std::uint32_t bits);

// What encode() does with a value too large for the format (and with +-infinity inputs when the
// format has no infinity). A policy whose special value does not exist in the format falls back:
// ToInfinity -> NaN -> saturate, ToNaN -> infinity -> saturate. So for E4M3FN ToInfinity and
// ToNaN both give NaN; for FP4 E2M1 all three saturate.
// Thresholds: fp16 overflows from 65520 = 65504 + 32/2 on (a tie; 65504's mantissa is odd, so it
// rounds up). E4M3FN's max 448 = 1.110b * 2^8 has an EVEN mantissa, so the tie 464 rounds down to
// 448 without overflow, and only values above 464 overflow (as in ml_dtypes and PyTorch).
enum class Overflow {
  ToInfinity,  // IEEE default
  Saturate,    // clamp to +-max finite; infinite inputs are clamped too (never returns inf)
  ToNaN,
};

struct EncodeFlags {
  bool overflowed = false;         // |value| rounded above max finite, or inf into a no-inf format
  bool underflowedToZero = false;  // value != 0 but the result is a zero
  bool inexact = false;            // result != value (NaN input: false)
  bool operator==(const EncodeFlags&) const = default;
};

struct Encoded {
  std::uint32_t bits = 0;
  double value = 0.0;  // decoded value of bits
  // |value - input| computed in double; inf on overflow to inf, NaN when the result is NaN.
  double absError = 0.0;
  double relError = 0.0;  // absError / |input|, 0 for a zero input; NaN for a NaN input
  EncodeFlags flags;
};

// Rounds value to the format, round to nearest with ties to even. A NaN input gives the
// canonical (positive) NaN (throws quant::Error if the format has no NaN); +-0 keep their sign,
// and so do infinities, saturated values and NaNs produced by overflow (e4m3fn: -1e9 -> 0xFF).
Encoded encode(const FloatFormat& format, double value, Overflow policy = Overflow::ToInfinity);
// encode(format, value, policy).value
double roundToFormat(const FloatFormat& format, double value,
                     Overflow policy = Overflow::ToInfinity);

// Exact decimal expansion of a finite pattern's value: "-0", "0.333251953125", "65504", "1";
// "inf", "-inf", "nan" for the specials. Every finite binary float is a dyadic rational, so the
// expansion terminates (fp32 0x00000001 = 2^-149 has 149 digits after the point).
std::string exactDecimal(const FloatFormat& format, std::uint32_t bits);
// The same for any double (up to 1074 digits after the point).
std::string exactDecimal(double value);

// "1 01111 0101010101": sign | exponent | mantissa (no mantissa group when M == 0).
std::string formatBinary(const FloatFormat& format, std::uint32_t bits);
// The low `width` bits of bits, most significant first, no grouping. width 1..32.
std::string toBinary(std::uint32_t bits, int width);

// Every pattern 0 .. 2^totalBits - 1 in increasing bit order (NaNs included). Only for formats of
// at most 16 bits; throws quant::Error otherwise.
std::vector<std::uint32_t> allPatterns(const FloatFormat& format);

// Integers of 1..32 bits, two's complement when signed.
struct IntFormat {
  int bits = 8;
  bool isSigned = true;

  static IntFormat int8() { return {8, true}; }
  static IntFormat uint8() { return {8, false}; }
  static IntFormat int4() { return {4, true}; }
  static IntFormat uint4() { return {4, false}; }
  // "int<N>" / "uint<N>", N = 1..32 (e.g. "int8", "uint4"); throws quant::Error otherwise.
  static IntFormat byName(const std::string& name);

  std::string name() const;  // "int8", "uint4"
  // Throw quant::Error when bits is not 1..32.
  std::int64_t min() const;  // -2^(bits-1) or 0
  std::int64_t max() const;  // 2^(bits-1) - 1 or 2^bits - 1

  bool operator==(const IntFormat&) const = default;
};

// The bit pattern of value (low `bits` bits). Throws quant::Error when value is out of range.
std::uint32_t intToBits(const IntFormat& format, std::int64_t value);
// The value of a pattern; throws quant::Error when bits has set bits at or above format.bits.
std::int64_t bitsToInt(const IntFormat& format, std::uint32_t bits);
// Plain binary of the pattern, format.bits digits ("10000000" for int8 -128).
std::string formatBinary(const IntFormat& format, std::uint32_t bits);

}  // namespace quant
