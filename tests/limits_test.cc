// The limits of docs/limits.md, one test each: a 100 MB line, a row of 10^6 columns,
// 10^6 distinct groups, expressions nested 10^4 and 10^5 deep, amounts at the edge of
// the exact range, and what grows with the number of projects. Each works, or fails
// with an error that says where and why; none may crash, hang, overflow or be
// silently wrong.
//
// Sizes: the figures docs/limits.md states run here in the dev preset. Under a
// sanitizer (the asan and tsan presets, 3-10x slower and hungrier) the cases that
// would take more than a few seconds run at a tenth of the size, through kScale; the
// limits themselves (nesting, steps, bits, the money range) are the same.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "csv/csv_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/text.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/money.h"
#include "keyproj/query.h"
#include "keyproj/value.h"

namespace keyproj {
namespace {

using ::keyproj::internal::Append;
using ::keyproj::internal::Cat;
using ::testing::HasSubstr;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif
// Divides the big sizes under a sanitizer (see the top of the file).
constexpr size_t kScale = kSanitized ? 10 : 1;

constexpr size_t kMiB = size_t{1} << 20;
constexpr int64_t kMaxFen = std::numeric_limits<int64_t>::max();

std::string Dump(const Diagnostics& ds) {
  std::string out;
  for (size_t i = 0; i < ds.size() && i < 10; ++i) out += ds[i].ToString().substr(0, 300) + "\n";
  return out;
}

// The sample ledger's projects.csv header and a started project row that loads.
constexpr std::string_view kProjectHeader =
    "code,name,region,industry,category,level,build_type,total_investment,planned_start,planned_completion,"
    "stage,reserved_on,started_on,leader";
std::string ProjectRow(std::string_view code, std::string_view name, std::string_view total = "1000.00",
                       std::string_view leader = "张三") {
  return Cat(code, ",", name, ",610403,C13,industry,county,new,", total,
             ",2024-01-01,2026-12-31,started,2023-12-01,2024-01-15,", leader);
}

absl::StatusOr<Ledger> Load(std::vector<CsvInput> files, Diagnostics* ds) {
  return LoadCsvLedger(std::span<const CsvInput>(files), LoadOptions{}, ds);
}

// ---- a 100 MB line ------------------------------------------------------------------

TEST(LimitsLongLine, HundredMegabyteFieldsAreReadWholeInLinearTime) {
  // Unquoted, then quoted with doubled quotes and line breaks inside: the tokenizer
  // scans each byte a bounded number of times, so 100 MB takes a fraction of a second
  // (a quadratic scan would not finish within the test's timeout).
  const size_t n = 100 * kMiB / kScale;
  std::string data = "a,b\n";
  data.append(n, 'x');
  data += ",1\n\"";
  for (size_t i = 0; i < n / 4; ++i) data += (i % 1000 == 999) ? "\n\"\"" : "y\"\"y";
  data += "\",2\nlast,3\n";
  internal::CsvReader r(data);
  ASSERT_TRUE(r.Next());
  ASSERT_TRUE(r.Next());
  ASSERT_EQ(r.fields().size(), 2u);
  EXPECT_EQ(r.fields()[0].size(), n);
  EXPECT_EQ(r.fields()[1], "1");
  ASSERT_TRUE(r.Next());
  ASSERT_EQ(r.fields().size(), 2u);
  const std::string_view quoted = r.fields()[0];
  const size_t breaks = n / 4 / 1000;
  EXPECT_EQ(quoted.size(), (n / 4 - breaks) * 3 + breaks * 2);  // "" read as one "
  EXPECT_EQ(std::count(quoted.begin(), quoted.end(), '"'), static_cast<std::ptrdiff_t>(n / 4));
  EXPECT_EQ(r.fields()[1], "2");
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.line(), static_cast<int64_t>(4 + breaks));  // line numbers count the breaks inside quotes
  EXPECT_FALSE(r.Next());
  EXPECT_FALSE(r.fatal().has_value());
}

TEST(LimitsLongLine, HundredMegabyteNameAndProgressAreKept) {
  // A project name of 100 MB (Chinese text, 3 bytes a character) and a monthly row
  // whose progress cell is 100 MB: both load and are kept byte for byte.
  const size_t chars = 100 * kMiB / 3 / kScale;
  std::string name;
  name.reserve(chars * 3);
  for (size_t i = 0; i < chars; ++i) name += "名";
  std::string progress;
  progress.reserve(chars * 3);
  for (size_t i = 0; i < chars; ++i) progress += "进";
  std::vector<CsvInput> files = {
      {"projects.csv", Cat(kProjectHeader, "\n", ProjectRow("P1", name), "\n", ProjectRow("P2", "短"), "\n")},
      {"monthly.csv", Cat("code,month,investment,progress\nP1,2024-03,10.00,", progress, "\nP2,2024-03,5.00,开工\n")},
  };
  Diagnostics ds;
  absl::StatusOr<Ledger> l = Load(std::move(files), &ds);
  ASSERT_TRUE(l.ok()) << l.status() << "\n" << Dump(ds);
  ASSERT_EQ(l->size(), 2u);
  EXPECT_EQ(l->name(0).size(), name.size());
  EXPECT_TRUE(l->name(0) == name);
  EXPECT_EQ(l->name(1), "短");
  const std::optional<uint64_t> slot = l->slot(0, Month::FromYm(2024, 3));
  ASSERT_TRUE(slot.has_value());
  EXPECT_TRUE(l->text(internal::Columns(*l).monthly.progress[*slot]) == progress);
}

// ---- a row of 10^6 columns ----------------------------------------------------------

TEST(LimitsWideRow, MillionColumnsAreKeptAsExtras) {
  const size_t n = 1'000'000 / kScale;
  std::string header(kProjectHeader);
  std::string row1 = ProjectRow("P1", "甲"), row2 = ProjectRow("P2", "乙");
  for (size_t i = 0; i < n; ++i) {
    Append(&header, ",c", i);
    Append(&row1, ",", i % 977);
    row2 += ',';  // an empty extra cell
  }
  std::vector<CsvInput> files = {{"projects.csv", Cat(header, "\n", row1, "\n", row2, "\n")}};
  Diagnostics ds;
  absl::StatusOr<Ledger> l = Load(std::move(files), &ds);
  ASSERT_TRUE(l.ok()) << l.status() << "\n" << Dump(ds);
  ASSERT_EQ(l->size(), 2u);
  const std::vector<ExtraColumn>& extras = l->extras(Table::kProjects);
  ASSERT_EQ(extras.size(), n);
  for (size_t i : {size_t{0}, size_t{1}, n / 2, n - 1}) {
    EXPECT_EQ(extras[i].header, Cat("c", i));
    ASSERT_EQ(extras[i].values.size(), 2u);
    EXPECT_EQ(l->text(extras[i].values[0]), Cat(i % 977)) << i;
    EXPECT_EQ(l->text(extras[i].values[1]), "") << i;
  }
}

TEST(LimitsWideRow, MillionFieldsAgainstAShortHeaderIsOneErrorOfTheRow) {
  const size_t n = 1'000'000 / kScale;
  std::string wide = ProjectRow("P2", "乙");
  wide.append(n, ',');
  std::vector<CsvInput> files = {
      {"projects.csv", Cat(kProjectHeader, "\n", ProjectRow("P1", "甲"), "\n", wide, "\n")}};
  Diagnostics ds;
  absl::StatusOr<Ledger> l = Load(std::move(files), &ds);
  ASSERT_FALSE(l.ok());
  ASSERT_EQ(ds.size(), 1u) << Dump(ds);
  EXPECT_EQ(ds[0].file, "projects.csv");
  EXPECT_EQ(ds[0].line, 3);
  EXPECT_EQ(ds[0].column, 15);  // the first field past the header's 14
  EXPECT_EQ(ds[0].reason, Cat("row has ", 14 + n, " fields, header has 14"));
}

// ---- 10^6 distinct groups -----------------------------------------------------------

// The number of groups of LimitsGroups: 10^5 (10^4 under a sanitizer), or
// KEYPROJ_LIMITS_GROUPS -- the ctest limits.million_groups (dev preset only, label
// `slow`, about 20 s on 2 busy cores) runs 10^6.
uint32_t GroupCount() {
  if (const char* env = std::getenv("KEYPROJ_LIMITS_GROUPS"); env != nullptr && *env != '\0') {
    return static_cast<uint32_t>(std::stoul(env));
  }
  return static_cast<uint32_t>(100'000 / kScale);
}

TEST(LimitsGroups, EveryLeaderAGroupWithExactTotals) {
  const uint32_t n = GroupCount();
  ASSERT_GE(n, 1000u);
  LedgerBuilder b;
  std::string code;
  for (uint32_t p = 0; p < n; ++p) {
    ProjectRecord r;
    r.code = Cat("P", p);
    r.name = r.code;
    r.region = 610403;
    r.category = Category::kIndustry;
    r.stage = Stage::kStarted;
    r.dates.started_on = *Date::FromYmd(2024, 1, 15);
    r.total_investment = Money::FromWan(1000);
    r.leader = Cat("负责人", p);
    ASSERT_TRUE(b.AddProject(std::move(r))) << Dump(b.diagnostics());
    code = Cat("P", p);
    MonthlyRecord m;
    m.code = code;
    m.month = Month::FromYm(2024, 3);
    m.investment = Money::FromFen(int64_t{p} * 7919 % 100'000'000);  // 0 .. 99.999999 万元
    ASSERT_TRUE(b.AddMonthly(m));
  }
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  Query q;
  q.as_of = *Date::FromYmd(2024, 9, 30);
  q.group_by = {Dimension::kLeader};
  q.indicators = {"projects", "investment_ytd"};
  absl::StatusOr<Result> r = Evaluate(*l, q);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), size_t{n} + 1);  // a row per leader and the whole scope
  // Rows are in the leaders' text order: 负责人0, 负责人1, 负责人10, 负责人100, ...
  EXPECT_EQ(r->rows[0].group, std::vector<std::string>{"负责人0"});
  EXPECT_EQ(r->rows[1].group, std::vector<std::string>{"负责人1"});
  EXPECT_EQ(r->rows[2].group, std::vector<std::string>{"负责人10"});
  int128 total = 0;
  for (uint32_t p = 0; p < n; ++p) total += int64_t{p} * 7919 % 100'000'000;
  for (size_t i = 0; i + 1 < r->rows.size(); i += r->rows.size() / 97) {
    const ResultRow& row = r->rows[i];
    ASSERT_EQ(row.group.size(), 1u);
    const uint32_t p = static_cast<uint32_t>(std::stoul(row.group[0].substr(std::string_view("负责人").size())));
    EXPECT_EQ(row.values[0], Value::Integer(1)) << row.group[0];
    EXPECT_EQ(row.values[1], Value::Integer(int64_t{p} * 7919 % 100'000'000)) << row.group[0];
  }
  const ResultRow& whole = r->rows.back();
  EXPECT_TRUE(whole.group.empty());
  EXPECT_EQ(whole.values[0], Value::Integer(n));
  EXPECT_EQ(whole.values[1], Value::Integer(total));
}

// ---- expressions nested 10^4 and 10^5 deep -----------------------------------------

std::string ExpressionError(std::string_view text) {
  absl::StatusOr<Expression> e = Expression::Parse(text);
  EXPECT_FALSE(e.ok()) << text.substr(0, 100);
  return e.ok() ? std::string() : std::string(e.status().message());
}

TEST(LimitsExpressions, DeepNestingIsAnErrorAtItsColumn) {
  for (size_t depth : {size_t{101}, size_t{10'000}, size_t{100'000}}) {
    SCOPED_TRACE(depth);
    // Parentheses, unary minus, and the two alternating: the 101st level is refused
    // where it opens, whatever follows.
    std::string parens(depth, '(');
    parens += "1";
    parens.append(depth, ')');
    EXPECT_EQ(ExpressionError(parens), "column 101: expressions nest deeper than 100 levels");
    std::string minus(depth, '-');
    minus += "projects";
    EXPECT_EQ(ExpressionError(minus), "column 101: expressions nest deeper than 100 levels");
    std::string mixed;
    for (size_t i = 0; i < depth; ++i) mixed += i % 2 ? "(" : "- ";
    mixed += "1";
    EXPECT_THAT(ExpressionError(mixed), HasSubstr("expressions nest deeper than 100 levels"));
  }
  // 100 levels are allowed.
  std::string ok(100, '(');
  ok += "2";
  ok.append(100, ')');
  absl::StatusOr<Expression> e = Expression::Parse(ok);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(*e->Evaluate({}), Value::Integer(2));
}

TEST(LimitsExpressions, LongFlatChainsWork) {
  // 10^5 terms side by side nest nothing: a sum, and a sum of 10^5 distinct
  // filtered terms (each its own term, looked up by hash).
  constexpr int kTerms = 100'000;
  std::string sum = "projects";
  for (int i = 1; i < kTerms; ++i) sum += i % 2 ? " + projects" : " - 1 + projects";
  absl::StatusOr<Expression> e = Expression::Parse(sum);
  ASSERT_TRUE(e.ok()) << e.status();
  const Value three[] = {Value::Integer(3)};
  EXPECT_EQ(*e->Evaluate(three), Value::Integer(int64_t{3} * kTerms - (kTerms - 1) / 2));

  const int distinct_terms = kTerms / static_cast<int>(kScale);
  std::string distinct = "investment_ytd[code=C0]";
  for (int i = 1; i < distinct_terms; ++i) Append(&distinct, " + investment_ytd[code=C", i, "]");
  absl::StatusOr<Expression> d = Expression::Parse(distinct);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->terms().size(), static_cast<size_t>(distinct_terms));
  EXPECT_EQ(d->terms()[distinct_terms - 1].text, Cat("investment_ytd[code=C", distinct_terms - 1, "]"));
  std::vector<Value> values;
  int128 fen = 0;
  for (int i = 0; i < distinct_terms; ++i) {
    values.push_back(Value::Integer(int128{kMaxFen} - i));  // each at the edge of a cell
    fen += int128{kMaxFen} - i;
  }
  // Money terms are 万元 inside an expression: the sum is fen / 10^6 exactly.
  EXPECT_EQ(*d->Evaluate(values), Value::Ratio(fen, kFenPerWan));
}

TEST(LimitsExpressions, EvaluationStopsAtTheIntermediateBound) {
  // A product of 10^5 large figures would grow an exact numerator to millions of
  // digits (quadratic time). Intermediates are bounded at 2048 bits: an error, fast.
  std::string product = "investment_ytd";
  for (int i = 1; i < 100'000; ++i) product += " * investment_ytd";
  absl::StatusOr<Expression> e = Expression::Parse(product);
  ASSERT_TRUE(e.ok()) << e.status();
  const Value big[] = {Value::Integer(kMaxFen)};
  absl::StatusOr<Value> v = e->Evaluate(big);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(v.status().message(), HasSubstr("needs more than 2048 bits"));
  // A sum of 10^5 fractions with distinct denominators: the same bound.
  std::string harmonic = "1";
  for (int i = 2; i <= 100'000; ++i) Append(&harmonic, " + 1/", i);
  absl::StatusOr<Expression> h = Expression::Parse(harmonic);
  ASSERT_TRUE(h.ok()) << h.status();
  absl::StatusOr<Value> hv = h->Evaluate({});
  ASSERT_FALSE(hv.ok());
  EXPECT_THAT(hv.status().message(), HasSubstr("needs more than 2048 bits"));
  // Under the bound a result that does not fit 128 bits is named in a short message.
  absl::StatusOr<Expression> sq = Expression::Parse("investment_ytd * investment_ytd * investment_ytd");
  ASSERT_TRUE(sq.ok());
  absl::StatusOr<Value> sv = sq->Evaluate(big);
  ASSERT_FALSE(sv.ok());
  EXPECT_EQ(sv.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(sv.status().message(), HasSubstr("does not fit a 128-bit fraction"));
  EXPECT_LT(sv.status().message().size(), 200u);
}

TEST(LimitsExpressions, LongNumbersAreRefusedAtTheirColumn) {
  std::string digits(100'000, '9');
  EXPECT_EQ(ExpressionError(Cat("1 + ", digits)),
            "column 5: the number '99999999999999999999...' has 100000 characters; an exact figure has at most 80");
  // 80 characters are read (and refused only because they do not fit 128 bits).
  EXPECT_THAT(ExpressionError(std::string(80, '9')), HasSubstr("is too large"));
  absl::StatusOr<Expression> small = Expression::Parse(Cat("0.", std::string(37, '0'), "1 * 10"));
  ASSERT_TRUE(small.ok()) << small.status();
}

CustomIndicator Custom(std::string id, std::string expr) {
  return CustomIndicator{std::move(id), "", Unit::kCount, 0, std::move(expr)};
}

TEST(LimitsExpressions, CustomReferencesNestAtMostAHundredLevels) {
  // c_i = c_{i-1} + 1: a chain of references is a nesting, bounded at 100 levels in
  // either definition order (the check does not recurse past it).
  for (size_t n : {size_t{100}, size_t{101}, size_t{10'000}, 100'000 / kScale}) {
    SCOPED_TRACE(n);
    std::vector<CustomIndicator> forward, backward;
    forward.push_back(Custom("c0", "projects"));
    for (size_t i = 1; i < n; ++i) forward.push_back(Custom(Cat("c", i), Cat("c", i - 1, " + 1")));
    backward.assign(forward.rbegin(), forward.rend());
    for (std::vector<CustomIndicator>* defs : {&forward, &backward}) {
      absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(*defs);
      if (n <= 100) {
        ASSERT_TRUE(set.ok()) << set.status();
        const Value two[] = {Value::Integer(2)};
        EXPECT_EQ(*set->Evaluate(static_cast<size_t>(set->IndexOf(Cat("c", n - 1))), two),
                  Value::Integer(static_cast<int64_t>(n) + 1));
        continue;
      }
      ASSERT_FALSE(set.ok());
      EXPECT_THAT(set.status().message(), HasSubstr("custom indicators reference each other more than 100 levels deep"));
    }
  }
}

TEST(LimitsExpressions, CustomSetsThatExplodeWhenWrittenOutAreRefused) {
  // c_i = c_{i-1} * c_{i-1}: 40 levels would write out 2^40 steps.
  std::vector<CustomIndicator> defs = {Custom("c0", "projects")};
  for (int i = 1; i < 40; ++i) defs.push_back(Custom(Cat("c", i), Cat("c", i - 1, " * c", i - 1)));
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(defs);
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(), HasSubstr("the set has more than 4194304 steps"));
  EXPECT_THAT(set.status().message(), HasSubstr("custom indicator 'c21'"));
  // 20 levels (2^21 steps) are within the bound and evaluate.
  defs.resize(20);
  absl::StatusOr<CustomIndicatorSet> ok = CustomIndicatorSet::Compile(defs);
  ASSERT_TRUE(ok.ok()) << ok.status();
  const Value one[] = {Value::Integer(1)};
  EXPECT_EQ(*ok->Evaluate(19, one), Value::Integer(1));
}

TEST(LimitsExpressions, FiltersWithManyValues) {
  // A filter is a flat list: 10^5 leaders in one condition parse and keep each once.
  std::string text = "leader=";
  for (int i = 0; i < 100'000; ++i) Append(&text, i ? "|" : "", "L", i % 50'000);
  absl::StatusOr<Filter> f = ParseFilter(text);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->leaders.size(), 50'000u);
}

// ---- amounts at the edge of the exact range ----------------------------------------

TEST(LimitsAmounts, LargestCellAndOneAbove) {
  Money m;
  ASSERT_EQ(Money::ParseWan("9223372036854.775807", &m), MoneyParseError::kOk);
  EXPECT_EQ(m.fen(), kMaxFen);
  ASSERT_EQ(Money::ParseWan("-9223372036854.775807", &m), MoneyParseError::kOk);
  EXPECT_EQ(m.fen(), -kMaxFen);  // int64's minimum is "not known", never an amount
  EXPECT_EQ(Money::ParseWan("9223372036854.775808", &m), MoneyParseError::kOutOfRange);
  EXPECT_EQ(Money::ParseWan("-9223372036854.775808", &m), MoneyParseError::kOutOfRange);
  EXPECT_EQ(Money::ParseWan("99999999999999999999999", &m), MoneyParseError::kOutOfRange);

  // Through the loader: the largest loads, one 分 more is an error naming the cell.
  std::vector<CsvInput> files = {{"projects.csv", Cat(kProjectHeader, "\n",
                                                      ProjectRow("P1", "甲", "9223372036854.775807"), "\n",
                                                      ProjectRow("P2", "乙", "\"9,223,372,036,854.775808\""), "\n")}};
  Diagnostics ds;
  absl::StatusOr<Ledger> l = LoadCsvLedger(std::span<const CsvInput>(files), LoadOptions{.lenient = true}, &ds);
  ASSERT_TRUE(l.ok()) << l.status();
  ASSERT_EQ(l->size(), 1u);
  EXPECT_EQ(internal::Columns(*l).projects.total_investment[0], kMaxFen);
  ASSERT_EQ(ds.size(), 1u) << Dump(ds);
  EXPECT_EQ(ds[0].ToString(),
            "projects.csv:3:8: total_investment: amount out of range (the most is 9,223,372,036,854.775807 万元, "
            "the int64 limit of 分): '9,223,372,036,854.775808'");
}

// n projects each at the largest total investment and two months of the largest
// investment that keep the running total in range.
absl::StatusOr<Ledger> EdgeLedger(uint32_t n) {
  LedgerBuilder b;
  for (uint32_t p = 0; p < n; ++p) {
    ProjectRecord r;
    r.code = Cat("E", p);
    r.name = r.code;
    r.region = 610403;
    r.category = Category::kIndustry;
    r.stage = Stage::kStarted;
    r.dates.started_on = *Date::FromYmd(2024, 1, 15);
    r.total_investment = Money::FromFen(kMaxFen);
    r.annual_plan = Money::FromFen(1);
    r.plan_year = 2024;
    if (!b.AddProject(std::move(r))) return absl::InternalError(Dump(b.diagnostics()));
    const std::string code = Cat("E", p);
    for (int month : {2, 3}) {
      MonthlyRecord m;
      m.code = code;
      m.month = Month::FromYm(2024, month);
      m.investment = Money::FromFen(month == 2 ? kMaxFen / 2 : kMaxFen - kMaxFen / 2);
      if (!b.AddMonthly(m)) return absl::InternalError(Dump(b.diagnostics()));
    }
  }
  return std::move(b).Build();
}

TEST(LimitsAmounts, SumsOfManyLargestAmountsAreExact) {
  // 10^5 projects each of the largest amount: sums are 128-bit (about 1.7 * 10^38 分,
  // 2^64 times the largest cell), so no sum of a ledger that fits in memory can wrap.
  const uint32_t n = static_cast<uint32_t>(100'000 / kScale);
  absl::StatusOr<Ledger> l = EdgeLedger(n);
  ASSERT_TRUE(l.ok()) << l.status();
  Query q;
  q.as_of = *Date::FromYmd(2024, 9, 30);
  q.indicators = {"total_investment", "investment_ytd", "plan_completion"};
  absl::StatusOr<Result> r = Evaluate(*l, q);
  ASSERT_TRUE(r.ok()) << r.status();
  const ResultRow& whole = r->rows.back();
  const int128 sum = int128{kMaxFen} * n;
  EXPECT_EQ(whole.values[0], Value::Integer(sum));
  EXPECT_EQ(whole.values[1], Value::Integer(sum));
  // A ratio of a huge numerator to a tiny denominator (the plan is 1 分 a project):
  // exact, and printed whole.
  EXPECT_EQ(whole.values[2], Value::Ratio(sum, n)) << whole.values[2].Decimal(4);
  EXPECT_EQ(DisplayValue(whole.values[0], Unit::kMoney, 2), FormatExact(sum, kFenPerWan, 2));
  EXPECT_EQ(DisplayValue(whole.values[2], Unit::kRate, 1), "922337203685477580700.0%");
}

TEST(LimitsAmounts, RunningTotalsPastTheRangeLeaveTheProjectsMonthsOut) {
  // Two months of the largest amount: the project's running total would pass int64.
  // The builder refuses the months (an error naming the rows), never wraps them.
  LedgerBuilder b(BuildOptions{.lenient = true});
  ProjectRecord r;
  r.line = 2;
  r.code = "X1";
  r.name = "X1";
  r.region = 610403;
  r.stage = Stage::kStarted;
  r.dates.started_on = *Date::FromYmd(2024, 1, 15);
  ASSERT_TRUE(b.AddProject(std::move(r)));
  for (int month : {2, 3}) {
    MonthlyRecord m;
    m.line = month;
    m.code = "X1";
    m.month = Month::FromYm(2024, month);
    m.investment = Money::FromFen(kMaxFen);
    b.AddMonthly(m);
  }
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_FALSE(l->months(0).has_value());
  ASSERT_FALSE(b.diagnostics().empty());
}

TEST(LimitsAmounts, DisplayRoundingAtTheEdge) {
  // Half-up (away from zero) at the largest figures Value holds.
  const int128 max128 = std::numeric_limits<int128>::max();
  EXPECT_EQ(Value::Integer(max128).Decimal(0), "170141183460469231731687303715884105727");
  EXPECT_EQ(Value::Integer(-max128).Decimal(2), "-170141183460469231731687303715884105727.00");
  // max / 2 = ...863.5: rounds up to ...864; and down for the negative twin.
  EXPECT_EQ(Value::Ratio(max128, 2).Decimal(0), "85070591730234615865843651857942052864");
  EXPECT_EQ(Value::Ratio(-max128, 2).Decimal(0), "-85070591730234615865843651857942052864");
  EXPECT_EQ(Value::Ratio(1, max128).Decimal(2), "0.00");
  EXPECT_EQ(DisplayValue(Value::Integer(kMaxFen), Unit::kMoney, 2), "9223372036854.78");
  EXPECT_EQ(DisplayValue(Value::Integer(-kMaxFen), Unit::kMoney, 0), "-9223372036855");
}

// ---- what grows with projects -------------------------------------------------------

// n projects of the shape of a county ledger (two monthly rows each), built.
size_t BytesPerProject(uint32_t n) {
  LedgerBuilder b;
  for (uint32_t p = 0; p < n; ++p) {
    ProjectRecord r;
    r.code = Cat("G", p);
    r.name = Cat("项目", p);
    r.region = 610403;
    r.category = Category::kIndustry;
    r.stage = Stage::kStarted;
    r.dates.started_on = *Date::FromYmd(2024, 1, 15);
    r.total_investment = Money::FromWan(1000 + p % 100);
    r.leader = Cat("L", p % 1000);
    EXPECT_TRUE(b.AddProject(std::move(r)));
    const std::string code = Cat("G", p);
    for (int month : {2, 3}) {
      MonthlyRecord m;
      m.code = code;
      m.month = Month::FromYm(2024, month);
      m.investment = Money::FromWan(p % 50);
      EXPECT_TRUE(b.AddMonthly(m));
    }
  }
  absl::StatusOr<Ledger> l = std::move(b).Build();
  EXPECT_TRUE(l.ok()) << l.status();
  return l.ok() ? l->memory_bytes() / n : 0;
}

TEST(LimitsScale, MemoryPerProjectDoesNotGrowWithProjects) {
  // What docs/limits.md extrapolates to 10^7 projects: the ledger's bytes per project
  // at 10x the projects stay within 10% (no per-project cost grows with the count).
  const uint32_t small = static_cast<uint32_t>(100'000 / kScale), large = small * 10;
  const size_t a = BytesPerProject(small), b = BytesPerProject(large);
  ASSERT_GT(a, 0u);
  // Fixed costs spread over more projects may make the larger ledger cheaper per
  // project (under a sanitizer, 10^4 projects: 386 bytes, 10^5: 324), never dearer.
  EXPECT_LE(b, a * 11 / 10) << a << " bytes a project at " << small << ", " << b << " at " << large;
  EXPECT_GE(b, a / 2) << a << " bytes a project at " << small << ", " << b << " at " << large;
}

}  // namespace
}  // namespace keyproj
