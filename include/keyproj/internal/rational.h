// Private to the engine: exact rational arithmetic on arbitrary-precision integers,
// for custom indicators (expression.cc), targets (targets.cc) and scoring
// (scoring.cc). Intermediate results never overflow; a result goes back into a
// Value (int128 / int128) only after reduction, and one that still does not fit is
// an error, never a silent wrap or rounding.
#ifndef KEYPROJ_SRC_ENGINE_RATIONAL_H_
#define KEYPROJ_SRC_ENGINE_RATIONAL_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "boost/multiprecision/cpp_int.hpp"
#include "keyproj/internal/text.h"
#include "keyproj/value.h"

namespace keyproj::internal::rational {

using Int = boost::multiprecision::cpp_int;

// v as a Boost.Multiprecision integer: Int, or a fixed width one such as int256_t
// (Value's exact comparison and rounding).
template <typename W = Int>
W Wide(int128 v) {
  // cpp_int has no constructor from __int128 on every Boost: build it from halves.
  __extension__ typedef unsigned __int128 uint128;
  const bool negative = v < 0;
  const uint128 a = negative ? static_cast<uint128>(0) - static_cast<uint128>(v) : static_cast<uint128>(v);
  W w = static_cast<uint64_t>(a >> 64);
  w <<= 64;
  w += static_cast<uint64_t>(a);
  return negative ? W(-w) : w;
}

// The value of w as int128, or nullopt when it does not fit.
inline std::optional<int128> Narrow(const Int& w) {
  __extension__ typedef unsigned __int128 uint128;
  static const Int kMax = (Int(1) << 127) - 1;
  if (w > kMax || w < -kMax) return std::nullopt;  // -2^127 is excluded: it has no negation
  const bool negative = w < 0;
  const Int a = negative ? Int(-w) : w;
  const uint64_t hi = static_cast<uint64_t>(a >> 64);
  const uint64_t lo = static_cast<uint64_t>(a & Int(UINT64_MAX));
  const uint128 u = (static_cast<uint128>(hi) << 64) | lo;
  const int128 s = static_cast<int128>(u);
  return negative ? -s : s;
}

// An applicable fraction num / den with den > 0 (not necessarily reduced).
struct Q {
  Int num = 0;
  Int den = 1;
};

inline Q Reduce(Q q) {
  if (q.den < 0) {
    q.num = -q.num;
    q.den = -q.den;
  }
  const Int g = boost::multiprecision::gcd(q.num, q.den);
  if (g > 1) {
    q.num /= g;
    q.den /= g;
  }
  return q;
}

inline Q FromInt(int64_t v) { return Q{Int(v), Int(1)}; }
// v must be applicable.
inline Q FromValue(const Value& v) { return Q{Wide(v.num()), Wide(v.den())}; }

// w in decimal, or its first digits and its length when it is long: an error
// message stays short however large the figure (docs/limits.md).
inline std::string ShortText(const Int& w) {
  std::string s = w.str();
  constexpr size_t kKeep = 40;
  if (s.size() <= kKeep + 20) return s;
  const size_t digits = s.size() - (s[0] == '-' ? 1 : 0);
  return Cat(s.substr(0, kKeep), "...(", digits, " digits)");
}

// The reduced fraction as a Value; OutOfRange when it does not fit 128 bits.
inline absl::StatusOr<Value> ToValue(Q q) {
  q = Reduce(std::move(q));
  std::optional<int128> n = Narrow(q.num), d = Narrow(q.den);
  if (!n || !d) {
    return absl::OutOfRangeError(Cat("the exact result ", ShortText(q.num), "/", ShortText(q.den),
                                     " does not fit a 128-bit fraction"));
  }
  return Value::Ratio(*n, *d);
}

// A figure that is only ever shown, at most 12 decimal places (a score): the exact
// fraction when it fits, else the fraction cut toward zero at 24 decimal places. Cut,
// not rounded: a value at or past a rounding midpoint of 12 places stays at or past
// it, so every figure shown (rounded half-up to at most 12 places) is the exact
// value's. An efficacy score over rates, base + span * (v - lo) / (hi - lo), has a
// denominator of about the product of four rates' and seldom fits 128 bits.
// OutOfRange only when the value itself does not (|q| of 10^14 or more).
inline absl::StatusOr<Value> ToShownValue(Q q) {
  q = Reduce(std::move(q));
  if (absl::StatusOr<Value> exact = ToValue(q); exact.ok()) return exact;
  static const Int kScale = boost::multiprecision::pow(Int(10), 24);
  return ToValue(Q{Int(q.num * kScale / q.den), kScale});  // cpp_int division truncates toward zero
}

inline Q Add(const Q& a, const Q& b) {
  if (a.den == b.den) return Reduce(Q{a.num + b.num, a.den});
  return Reduce(Q{a.num * b.den + b.num * a.den, a.den * b.den});
}
inline Q Neg(const Q& a) { return Q{-a.num, a.den}; }
inline Q Sub(const Q& a, const Q& b) { return Add(a, Neg(b)); }
inline Q Mul(const Q& a, const Q& b) { return Reduce(Q{a.num * b.num, a.den * b.den}); }
// nullopt when b is zero.
inline std::optional<Q> Div(const Q& a, const Q& b) {
  if (b.num == 0) return std::nullopt;
  return Reduce(Q{a.num * b.den, a.den * b.num});
}
// -1, 0 or 1.
inline int Compare(const Q& a, const Q& b) {
  const Int l = a.num * b.den, r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}
inline int Sign(const Q& a) { return a.num < 0 ? -1 : a.num > 0 ? 1 : 0; }
inline Q Min(const Q& a, const Q& b) { return Compare(a, b) <= 0 ? a : b; }
inline Q Max(const Q& a, const Q& b) { return Compare(a, b) >= 0 ? a : b; }

// An exact decimal: optional sign, digits, optional '.' and digits, optional '_'
// between digits ("1_000", "12.5", "-0.25", ".5"). nullopt when it is not one.
inline std::optional<Q> ParseDecimal(std::string_view s) {
  Q q{0, 1};
  bool negative = false, any_digit = false, dot = false;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  char prev = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      q.num = q.num * 10 + (c - '0');
      if (dot) q.den *= 10;
      any_digit = true;
    } else if (c == '_' && prev >= '0' && prev <= '9' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') {
      // digit separator
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return std::nullopt;
    }
    prev = c;
  }
  if (!any_digit) return std::nullopt;
  if (negative) q.num = -q.num;
  return Reduce(q);
}

}  // namespace keyproj::internal::rational

#endif  // KEYPROJ_SRC_ENGINE_RATIONAL_H_
