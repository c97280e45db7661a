// An indicator's exact value and how it is displayed.
//
// Every value is a fraction num / den of 128-bit integers: a count (den 1), money in
// 分 (den 1), or a ratio kept as its numerator and denominator, so nothing is rounded
// until it is displayed. A ratio over zero is "not applicable" -- never 0, NaN or
// infinity.
#ifndef KEYPROJ_VALUE_H_
#define KEYPROJ_VALUE_H_

#include <cstdint>
#include <iosfwd>
#include <string>

#include "keyproj/enum_table.h"
#include "keyproj/money.h"

namespace keyproj {

// What a value measures; decides how it is displayed.
enum class Unit : uint8_t {
  kCount = 0,     // projects: "729"
  kMoney = 1,     // 分, displayed in 万元 or 亿元: "262.9"
  kRate = 2,      // a fraction, displayed as a percent: "83.3%"
  kPoints = 3,    // percentage points: "7.0"
  kMultiple = 4,  // a plain ratio: "1.76"
  kMonths = 5,    // a number of months: "3"
};

template <>
struct EnumTraits<Unit> {
  static std::span<const EnumEntry<Unit>> entries() {
    // The label is the suffix reports print (money's depends on MoneyUnit).
    static constexpr EnumEntry<Unit> kEntries[] = {
        {Unit::kCount, "count", "个", "项|项目数"},
        {Unit::kMoney, "money", "万元", "亿元|金额"},
        {Unit::kRate, "rate", "%", "percent|比率"},
        {Unit::kPoints, "points", "百分点", "pp|个百分点"},
        {Unit::kMultiple, "multiple", "倍", "ratio|number"},
        {Unit::kMonths, "months", "月", "个月|month"},
    };
    return kEntries;
  }
};

// The unit money is shown in. Crosses the C ABI: only ever append.
enum class MoneyUnit : uint8_t { kWan = 0, kYi = 1 };

template <>
struct EnumTraits<MoneyUnit> {
  static std::span<const EnumEntry<MoneyUnit>> entries() {
    static constexpr EnumEntry<MoneyUnit> kEntries[] = {
        {MoneyUnit::kWan, "wan", "万元", "万"},
        {MoneyUnit::kYi, "yi", "亿元", "亿"},
    };
    return kEntries;
  }
};

class Value {
 public:
  // Not applicable (a ratio over zero).
  constexpr Value() = default;
  static constexpr Value Integer(int128 v) { return Value(v, 1); }
  // num / den; not applicable when den is 0. The sign is kept on the numerator.
  static constexpr Value Ratio(int128 num, int128 den) {
    if (den == 0) return Value();
    return den < 0 ? Value(-num, -den) : Value(num, den);
  }

  constexpr bool applicable() const { return den_ != 0; }
  constexpr int128 num() const { return num_; }
  constexpr int128 den() const { return den_; }
  // Exact comparison of two fractions (both applicable).
  bool operator==(const Value& o) const;
  // Sign: -1, 0 or 1 (0 for a not-applicable value).
  int sign() const { return num_ > 0 ? 1 : num_ < 0 ? -1 : 0; }

  // The value as decimal text rounded half-up (away from zero) to `places`
  // decimals, after multiplying by 10^scale_pow10 (2 turns a fraction into a
  // percent). "" when not applicable.
  std::string Decimal(int places, int scale_pow10 = 0) const;

 private:
  constexpr Value(int128 num, int128 den) : num_(num), den_(den) {}
  int128 num_ = 0;
  int128 den_ = 0;
};

// Display text in the units reports use: counts whole, money in 万元 or 亿元, rates
// as percents ("83.3%"), points and multiples as decimals. "—" when not applicable.
std::string DisplayValue(const Value& v, Unit unit, int places, MoneyUnit money_unit = MoneyUnit::kWan);

// Exact text for machines (JSON, CSV): counts whole; money in 万元 with every
// decimal it has; rates and other ratios as a fraction with `ratio_digits`
// decimals, rounded half-up ("0.833333"). "" when not applicable.
std::string MachineValue(const Value& v, Unit unit, int ratio_digits = 6);

// "1.500000 (3/2)", or "n/a": how GoogleTest (which finds it by ADL) and logs show a
// value -- rounded for reading, exact behind.
void PrintTo(const Value& v, std::ostream* os);

}  // namespace keyproj

#endif  // KEYPROJ_VALUE_H_
