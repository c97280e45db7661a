#include "keyproj/value.h"

#include <ostream>

#include "boost/multiprecision/cpp_int.hpp"
#include "keyproj/internal/rational.h"

namespace keyproj {
namespace {

using boost::multiprecision::int256_t;

int256_t Wide(int128 v) { return internal::rational::Wide<int256_t>(v); }

int256_t Pow10(int n) {
  int256_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

bool Value::operator==(const Value& o) const {
  if (!applicable() || !o.applicable()) return applicable() == o.applicable();
  return Wide(num_) * Wide(o.den_) == Wide(o.num_) * Wide(den_);
}

std::string Value::Decimal(int places, int scale_pow10) const {
  if (!applicable()) return "";
  if (places < 0) places = 0;
  const int256_t n = Wide(num_) * Pow10(places + scale_pow10);
  const int256_t d = Wide(den_);
  const bool negative = n < 0;
  const int256_t a = negative ? -n : n;
  int256_t q = a / d;
  if ((a % d) * 2 >= d) ++q;  // half-up, away from zero
  std::string digits = q.str();
  if (static_cast<int>(digits.size()) <= places) digits.insert(0, places + 1 - digits.size(), '0');
  std::string out = (negative && q != 0) ? "-" : "";
  out += digits.substr(0, digits.size() - places);
  if (places > 0) {
    out += '.';
    out += digits.substr(digits.size() - places);
  }
  return out;
}

std::string DisplayValue(const Value& v, Unit unit, int places, MoneyUnit money_unit) {
  if (!v.applicable()) return "—";
  switch (unit) {
    case Unit::kCount:
    case Unit::kMonths:
      return v.Decimal(places);
    case Unit::kMoney: {
      const int64_t unit_fen = money_unit == MoneyUnit::kYi ? kFenPerYi : kFenPerWan;
      return Value::Ratio(v.num(), v.den() * unit_fen).Decimal(places);
    }
    case Unit::kRate:
      return v.Decimal(places, 2) + "%";
    case Unit::kPoints:
    case Unit::kMultiple:
      return v.Decimal(places);
  }
  return v.Decimal(places);
}

std::string MachineValue(const Value& v, Unit unit, int ratio_digits) {
  if (!v.applicable()) return "";
  switch (unit) {
    case Unit::kCount:
    case Unit::kMonths:
      return v.Decimal(0);
    case Unit::kMoney:
      if (v.den() == 1) return FormatExact(v.num(), kFenPerWan, 2);
      return Value::Ratio(v.num(), v.den() * kFenPerWan).Decimal(ratio_digits);
    case Unit::kRate:
    case Unit::kPoints:
    case Unit::kMultiple:
      return v.Decimal(ratio_digits);
  }
  return v.Decimal(ratio_digits);
}

void PrintTo(const Value& v, std::ostream* os) {
  if (!v.applicable()) {
    *os << "n/a";
    return;
  }
  *os << v.Decimal(6) << " (" << Int128ToString(v.num()) << "/" << Int128ToString(v.den()) << ")";
}

}  // namespace keyproj
