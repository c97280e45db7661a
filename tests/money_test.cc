#include "keyproj/money.h"

#include <cstdint>
#include <limits>
#include <string>

#include "boost/multiprecision/cpp_int.hpp"
#include "gtest/gtest.h"

namespace keyproj {
namespace {

int64_t Fen(std::string_view text) {
  Money m;
  MoneyParseError e = Money::ParseWan(text, &m);
  EXPECT_EQ(e, MoneyParseError::kOk) << text;
  return m.fen();
}

MoneyParseError Err(std::string_view text) {
  Money m;
  return Money::ParseWan(text, &m);
}

TEST(MoneyParse, PlainDecimalsInWan) {
  EXPECT_EQ(Fen("0"), 0);
  EXPECT_EQ(Fen("1"), 1'000'000);
  EXPECT_EQ(Fen("12345.67"), 12'345'670'000);
  EXPECT_EQ(Fen("0.000001"), 1);  // one 分
  EXPECT_EQ(Fen(".5"), 500'000);
  EXPECT_EQ(Fen("5."), 5'000'000);
  EXPECT_EQ(Fen("  42.5 "), 42'500'000);
  EXPECT_EQ(Fen("+3"), 3'000'000);
}

TEST(MoneyParse, NegativeValues) {
  EXPECT_EQ(Fen("-12.5"), -12'500'000);
  EXPECT_EQ(Fen("-0.000001"), -1);
  EXPECT_EQ(Fen("-0"), 0);
}

TEST(MoneyParse, ThousandsSeparators) {
  EXPECT_EQ(Fen("1,234.5"), 1'234'500'000);
  EXPECT_EQ(Fen("12,345,678"), 12'345'678'000'000);
  EXPECT_EQ(Fen("-1,000"), -1'000'000'000);
  EXPECT_EQ(Err("1,23.5"), MoneyParseError::kBadGrouping);
  EXPECT_EQ(Err("1234,567"), MoneyParseError::kBadGrouping);
  EXPECT_EQ(Err(",123"), MoneyParseError::kBadGrouping);
  EXPECT_EQ(Err("1,2345"), MoneyParseError::kBadGrouping);
  EXPECT_EQ(Err("1,,234"), MoneyParseError::kBadGrouping);
}

TEST(MoneyParse, TooManyDecimalsIsAnErrorNotARounding) {
  EXPECT_EQ(Err("1.0000001"), MoneyParseError::kTooPrecise);
  EXPECT_EQ(Err("0.1234565"), MoneyParseError::kTooPrecise);
  // Zeros past 分 carry no value and are not a loss of precision.
  EXPECT_EQ(Fen("1.1000000000"), 1'100'000);
}

TEST(MoneyParse, Syntax) {
  EXPECT_EQ(Err(""), MoneyParseError::kEmpty);
  EXPECT_EQ(Err("   "), MoneyParseError::kEmpty);
  EXPECT_EQ(Err("abc"), MoneyParseError::kSyntax);
  EXPECT_EQ(Err("1e5"), MoneyParseError::kSyntax);
  EXPECT_EQ(Err("12.3.4"), MoneyParseError::kSyntax);
  EXPECT_EQ(Err("."), MoneyParseError::kSyntax);
  EXPECT_EQ(Err("-"), MoneyParseError::kSyntax);
  EXPECT_EQ(Err("1 000"), MoneyParseError::kSyntax);
  EXPECT_EQ(Err("１２"), MoneyParseError::kSyntax);  // full-width digits
  EXPECT_EQ(Err("12万"), MoneyParseError::kSyntax);
}

TEST(MoneyParse, HugeValues) {
  // int64 max 分 is 9223372036854.775807 万元.
  EXPECT_EQ(Fen("9223372036854.775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Fen("-9223372036854.775807"), -std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Err("9223372036854.775808"), MoneyParseError::kOutOfRange);
  EXPECT_EQ(Err("99999999999999999999999"), MoneyParseError::kOutOfRange);
  // 10^12 元 (the largest realistic project-month) = 10^8 万元.
  EXPECT_EQ(Fen("100,000,000"), int64_t{100'000'000} * kFenPerWan);
}

TEST(MoneyParse, StatusOrForm) {
  absl::StatusOr<Money> ok = Money::ParseWan("1.5");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->fen(), 1'500'000);
  absl::StatusOr<Money> bad = Money::ParseWan("1.23456789");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(bad.status().message()).find("six decimals"), std::string::npos);
}

TEST(MoneyFormat, ExactRoundTrip) {
  for (std::string_view s : {"0.00", "1.00", "12345.67", "-12.50", "0.000001", "-0.000001",
                             "9223372036854.775807", "1234.123456"}) {
    EXPECT_EQ(Money::FromFen(Fen(s)).ToWanString(), s);
  }
  EXPECT_EQ(Money::FromFen(Fen("7.1")).ToWanString(), "7.10");
}

// FormatExact and AppendExact (the CSV writer's AppendWan) are one implementation.
TEST(MoneyFormat, ExactTextInWanAndYi) {
  auto appended = [](int128 fen, int64_t unit, int min_places) {
    std::string out = "x";
    AppendExact(&out, fen, unit, min_places);
    return out.substr(1);
  };
  struct Case {
    int128 fen;
    int64_t unit;
    int min_places;
    std::string_view text;
  };
  const int128 int64_min = std::numeric_limits<int64_t>::min();
  const Case cases[] = {
      {0, kFenPerWan, 2, "0.00"},
      {0, kFenPerWan, 0, "0"},
      {1, kFenPerWan, 2, "0.000001"},
      {-1, kFenPerWan, 0, "-0.000001"},
      {1234500, kFenPerWan, 2, "1.2345"},
      {-100000000, kFenPerWan, 2, "-100.00"},
      {-100000000, kFenPerWan, 0, "-100"},
      {5'000'000'000, kFenPerWan, 0, "5000"},
      {int64_min, kFenPerWan, 2, "-9223372036854.775808"},
      {static_cast<int128>(std::numeric_limits<int64_t>::max()) * 1000, kFenPerWan, 2,
       "9223372036854775.807"},
      {-(static_cast<int128>(1) << 100), kFenPerWan, 2, "-1267650600228229401496703.205376"},
      {std::numeric_limits<int128>::max(), kFenPerWan, 0, "170141183460469231731687303715884.105727"},
      {std::numeric_limits<int128>::min(), kFenPerWan, 0, "-170141183460469231731687303715884.105728"},
      {kFenPerYi * 3, kFenPerYi, 1, "3.0"},
      {kFenPerYi * 3 + 1, kFenPerYi, 1, "3.0000000001"},
      {1500, 100, 2, "15.00"},
      {1505, 10, 2, "150.50"},
      {7, 1, 2, "7.00"},
      {7, 1, 0, "7"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatExact(c.fen, c.unit, c.min_places), c.text) << Int128ToString(c.fen);
    EXPECT_EQ(appended(c.fen, c.unit, c.min_places), c.text) << Int128ToString(c.fen);
  }
}

TEST(MoneyFormat, RoundsHalfUpAwayFromZero) {
  // 1.005 万元 to two places -> 1.01; -1.005 -> -1.01 (四舍五入).
  EXPECT_EQ(FormatRounded(Fen("1.005"), kFenPerWan, 2), "1.01");
  EXPECT_EQ(FormatRounded(Fen("-1.005"), kFenPerWan, 2), "-1.01");
  EXPECT_EQ(FormatRounded(Fen("1.004999"), kFenPerWan, 2), "1.00");
  EXPECT_EQ(FormatRounded(Fen("0.4"), kFenPerWan, 0), "0");
  EXPECT_EQ(FormatRounded(Fen("-0.4"), kFenPerWan, 0), "0");  // no "-0"
  EXPECT_EQ(FormatRounded(Fen("2.5"), kFenPerWan, 0), "3");   // half-up, not banker's
  // 亿元 with one decimal: 2,629,000 万元 = 262.9 亿元; 3,204,999 万元 -> 320.5.
  EXPECT_EQ(FormatRounded(Fen("2629000"), kFenPerYi, 1), "262.9");
  EXPECT_EQ(FormatRounded(Fen("3204999"), kFenPerYi, 1), "320.5");
  EXPECT_EQ(FormatRounded(Fen("3204949.99"), kFenPerYi, 1), "320.5");
  EXPECT_EQ(FormatRounded(Fen("3204499.99"), kFenPerYi, 1), "320.4");
}

TEST(MoneyFormat, Int128Text) {
  EXPECT_EQ(Int128ToString(0), "0");
  EXPECT_EQ(Int128ToString(-42), "-42");
  int128 big = static_cast<int128>(std::numeric_limits<int64_t>::max()) * 1'000'000'000;
  EXPECT_EQ(Int128ToString(big), "9223372036854775807000000000");
}

// The national-scale bound of architecture.md: 10^8 project-months of up to 10^12 元
// each. A cell of 10^12 元 is 10^14 分; 10^8 of them are 10^22 分, which int64 cannot
// hold (9.2e18) and int128 holds with room to spare. The test adds all 10^8 cells
// and checks the exact total against Boost.Multiprecision's unbounded integers.
TEST(MoneySum, NationalScaleBoundHolds) {
  constexpr int64_t kCell = int64_t{100'000'000} * kFenPerWan;  // 10^12 元 in 分
  constexpr int64_t kCells = 100'000'000;                       // 10^8 project-months
  static_assert(kCell == 100'000'000'000'000);
  // Even cells of the int64 maximum cannot overflow the accumulator:
  static_assert(static_cast<int128>(std::numeric_limits<int64_t>::max()) * kCells <
                (static_cast<int128>(1) << 126));

  MoneySum sum, negative;
  for (int64_t i = 0; i < kCells; ++i) {
    sum += kCell;
    negative += -kCell;
  }
  boost::multiprecision::cpp_int expected = boost::multiprecision::cpp_int(kCell) * kCells;
  EXPECT_EQ(Int128ToString(sum.fen()), expected.str());
  EXPECT_EQ(Int128ToString(negative.fen()), "-" + expected.str());
  EXPECT_EQ(sum.ToWanString(), "10000000000000000.00");  // 10^16 万元 = 10^20 元
  // An int64 accumulator would have wrapped.
  EXPECT_GT(sum.fen(), static_cast<int128>(std::numeric_limits<int64_t>::max()));
}

TEST(MoneySum, ExtremeCellsStayExact) {
  MoneySum sum;
  const int64_t max = std::numeric_limits<int64_t>::max();
  boost::multiprecision::cpp_int expected = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    sum += max;
    expected += max;
  }
  EXPECT_EQ(Int128ToString(sum.fen()), expected.str());
}

TEST(MoneySum, MergeIsOrderIndependent) {
  MoneySum a, b, c;
  a += Money::FromFen(5);
  b += Money::FromFen(-7);
  c += Money::FromFen(std::numeric_limits<int64_t>::max());
  MoneySum x = a, y = c;
  x += b;
  x += c;
  y += a;
  y += b;
  EXPECT_EQ(x, y);
}

}  // namespace
}  // namespace keyproj
