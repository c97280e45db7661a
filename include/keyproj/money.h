// Exact money.
//
// Money is an integer count of 分 (fen, 0.01 元). The ledger writes money in 万元
// (10,000 元), so one 万元 is 1,000,000 分 and a ledger value may carry up to six
// decimals of 万元. Text is parsed straight into that integer -- never through a
// binary float -- and a value with more decimals than 分 can hold is an error, not a
// rounding.
//
// Sums use a 128-bit accumulator (MoneySum). The bound (tests/money_test.cc proves
// it): one cell is at most |int64| = 9.2e18 分; 10^8 project-months of 10^12 元
// (10^14 分) add up to 10^22 分, and even 10^8 cells of the int64 maximum stay below
// 9.3e26, far under int128's 1.7e38.
#ifndef KEYPROJ_MONEY_H_
#define KEYPROJ_MONEY_H_

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace keyproj {

__extension__ typedef __int128 int128;

inline constexpr int64_t kFenPerWan = 1'000'000;
inline constexpr int64_t kFenPerYi = 10'000 * kFenPerWan;  // 1 亿元 = 10^4 万元

// Storage sentinel for money that is not known (an empty cell).
inline constexpr int64_t kNoMoney = std::numeric_limits<int64_t>::min();

inline constexpr int kWanDecimals = 6;                      // decimals of 万元 in 1 分

// Why a parse of a money cell failed; reason text from MoneyParseErrorText.
enum class MoneyParseError : uint8_t {
  kOk = 0,
  kEmpty,
  kSyntax,            // not a decimal number
  kTooPrecise,        // more than six decimals of 万元 (finer than 1 分)
  kOutOfRange,        // does not fit in int64 分
  kNegative,          // negative where the column forbids it
  kBadGrouping,       // thousands separators not in groups of three
};

std::string_view MoneyParseErrorText(MoneyParseError e);

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money FromFen(int64_t fen) { return Money(fen); }
  // Whole 万元; callers keep the value in range (|wan| < 9.2e12).
  static constexpr Money FromWan(int64_t wan) { return Money(wan * kFenPerWan); }

  // Parses a decimal in 万元: optional sign, digits with optional thousands
  // separators (1,234.5), optional fraction of at most six digits. Surrounding
  // ASCII spaces are ignored. Fast: used on every cell of monthly.csv.
  static MoneyParseError ParseWan(std::string_view text, Money* out);
  // The same for a decimal in a unit of `fen_per_unit` 分 with at most `decimals`
  // decimals (元: 2, 100; 亿元: 10, 10^10): a bureau sheet's unit (csv/layout.h).
  // The error texts of MoneyParseErrorText name 万元; such callers word their own.
  static MoneyParseError ParseIn(std::string_view text, int decimals, int64_t fen_per_unit, Money* out);
  static absl::StatusOr<Money> ParseWan(std::string_view text);

  constexpr int64_t fen() const { return fen_; }

  // Exact value in 万元 with as many decimals as needed (at least two): "1234.50",
  // "-0.000001".
  std::string ToWanString() const;

  constexpr Money operator-() const { return Money(-fen_); }
  friend constexpr auto operator<=>(Money, Money) = default;

 private:
  constexpr explicit Money(int64_t fen) : fen_(fen) {}
  int64_t fen_ = 0;
};

// A wide, exact accumulator of money. Adding is associative and commutative, so
// partial sums computed anywhere merge to the same result in any order.
class MoneySum {
 public:
  constexpr MoneySum() = default;
  constexpr explicit MoneySum(int128 fen) : fen_(fen) {}
  constexpr MoneySum& operator+=(Money m) { fen_ += m.fen(); return *this; }
  constexpr MoneySum& operator+=(int64_t fen) { fen_ += fen; return *this; }
  constexpr MoneySum& operator+=(MoneySum o) { fen_ += o.fen_; return *this; }
  constexpr MoneySum& operator-=(MoneySum o) { fen_ -= o.fen_; return *this; }
  constexpr int128 fen() const { return fen_; }
  friend constexpr bool operator==(MoneySum, MoneySum) = default;

  std::string ToWanString() const;

 private:
  int128 fen_ = 0;
};

// Decimal text of a 128-bit integer.
std::string Int128ToString(int128 v);

// Exact decimal text of fen / 10^scale_digits_of(unit), trimmed to at least
// `min_places` decimals. unit_fen is kFenPerWan or kFenPerYi.
std::string FormatExact(int128 fen, int64_t unit_fen, int min_places);
// The same text appended to *out (no other allocation: the CSV writer's money cells).
void AppendExact(std::string* out, int128 fen, int64_t unit_fen, int min_places);

// Display text: fen in the given unit, rounded half-up (half away from zero, as
// 四舍五入 does for negative figures too) to `places` decimals (0..12).
std::string FormatRounded(int128 fen, int64_t unit_fen, int places);

// ---- inline implementation ------------------------------------------------

inline MoneyParseError Money::ParseWan(std::string_view s, Money* out) {
  return ParseIn(s, kWanDecimals, kFenPerWan, out);
}

inline MoneyParseError Money::ParseIn(std::string_view s, int decimals, int64_t fen_per_unit, Money* out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return MoneyParseError::kEmpty;
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  // Whole part, with optional thousands separators checked for grouping.
  uint64_t whole = 0;
  size_t i = 0;
  size_t digits = 0, group = 0;
  bool grouped = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (whole > (std::numeric_limits<uint64_t>::max() - 9) / 10) {
        return MoneyParseError::kOutOfRange;
      }
      whole = whole * 10 + static_cast<uint64_t>(c - '0');
      ++digits;
      ++group;
    } else if (c == ',') {
      if (digits == 0 || (grouped ? group != 3 : group > 3)) {
        return MoneyParseError::kBadGrouping;
      }
      grouped = true;
      group = 0;
    } else {
      break;
    }
  }
  if (grouped && group != 3) return MoneyParseError::kBadGrouping;
  uint64_t frac = 0;
  int frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (frac_digits == decimals) {
        // Trailing zeros past 分 carry no value; anything else is finer than 分.
        if (s[i] != '0') return MoneyParseError::kTooPrecise;
        continue;
      }
      frac = frac * 10 + static_cast<uint64_t>(s[i] - '0');
      ++frac_digits;
    }
    if (digits == 0 && frac_digits == 0) return MoneyParseError::kSyntax;
  } else if (digits == 0) {
    return MoneyParseError::kSyntax;
  }
  if (i != s.size()) return MoneyParseError::kSyntax;
  for (int k = frac_digits; k < decimals; ++k) frac *= 10;
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (whole > (kMax - frac) / static_cast<uint64_t>(fen_per_unit)) {
    return MoneyParseError::kOutOfRange;
  }
  int64_t fen = static_cast<int64_t>(whole * static_cast<uint64_t>(fen_per_unit) + frac);
  *out = Money(negative ? -fen : fen);
  return MoneyParseError::kOk;
}

inline std::string_view MoneyParseErrorText(MoneyParseError e) {
  switch (e) {
    case MoneyParseError::kOk: return "ok";
    case MoneyParseError::kEmpty: return "empty money value";
    case MoneyParseError::kSyntax: return "not a decimal number of 万元";
    case MoneyParseError::kTooPrecise:
      return "more than six decimals of 万元 (finer than 1 分); keyproj never rounds input";
    case MoneyParseError::kOutOfRange:
      return "amount out of range (the most is 9,223,372,036,854.775807 万元, the int64 limit of 分)";
    case MoneyParseError::kNegative: return "negative amount not allowed here";
    case MoneyParseError::kBadGrouping: return "thousands separators must group three digits (1,234.5)";
  }
  return "invalid money value";
}

inline absl::StatusOr<Money> Money::ParseWan(std::string_view text) {
  Money m;
  MoneyParseError e = ParseWan(text, &m);
  if (e != MoneyParseError::kOk) {
    return absl::InvalidArgumentError(std::string(MoneyParseErrorText(e)));
  }
  return m;
}

inline std::string Money::ToWanString() const { return FormatExact(fen_, kFenPerWan, 2); }
inline std::string MoneySum::ToWanString() const { return FormatExact(fen_, kFenPerWan, 2); }

}  // namespace keyproj

#endif  // KEYPROJ_MONEY_H_
