#include "keyproj/ledger_builder.h"

#include <algorithm>
#include <climits>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/internal/huge_pages.h"

namespace keyproj {

using ::keyproj::internal::kTotalsBlockSize;
using ::keyproj::internal::kHasRow;
namespace {

using ::testing::HasSubstr;

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }
Money Wan(std::string_view s) { return *Money::ParseWan(s); }

ProjectRecord Started(std::string code, int64_t line) {
  ProjectRecord r;
  r.line = line;
  r.code = std::move(code);
  r.name = "项目" + r.code;
  r.region = 610402;
  r.category = Category::kIndustry;
  r.stage = Stage::kStarted;
  r.dates.started_on = D(2023, 3, 1);
  r.total_investment = Wan("10000");
  return r;
}

MonthlyRecord Month_(std::string_view code, int y, int m, std::string_view inv, int64_t line) {
  MonthlyRecord r;
  r.line = line;
  r.code = code;
  r.month = Month::FromYm(y, m);
  r.investment = Wan(inv);
  return r;
}

bool HasDiagnostic(const Diagnostics& ds, std::string_view file, int64_t line, std::string_view field,
                   std::string_view reason) {
  for (const Diagnostic& d : ds) {
    if (d.file == file && d.line == line && d.field == field &&
        d.reason.find(reason) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string Dump(const Diagnostics& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += d.ToString() + "\n";
  return out;
}

// Running totals are stored month-major per block of kTotalsBlockSize projects
// (ledger.h); every read must equal the sum of the project's own figures, for
// months before, inside and after its run, in every block.
TEST(LedgerBuilder, RunningTotalsAgreeWithMonthlyFiguresAcrossBlocks) {
  LedgerBuilder b;
  const uint32_t n = 2 * kTotalsBlockSize + 37;  // the last block is shorter
  const uint32_t far = kTotalsBlockSize + 6;     // reports once more, in 2031
  // Figures in 分 per project and month index, to check against. Every fifth
  // project has none; some runs miss a month.
  std::vector<std::vector<std::pair<int32_t, int64_t>>> figures(n);
  int64_t line = 2;
  for (uint32_t p = 0; p < n; ++p) {
    const std::string code = "P" + std::to_string(p);
    ASSERT_TRUE(b.AddProject(Started(code, line++)));
  }
  for (uint32_t p = 0; p < n; ++p) {
    const std::string code = "P" + std::to_string(p);
    if (p % 5 == 4) continue;
    const Month first = Month::FromYm(2023, 1) + static_cast<int>(p % 17);
    for (uint32_t k = 0; k < p % 7 + 1; ++k) {
      if (k == 2 && p % 3 == 0) continue;
      const Month m = first + static_cast<int>(k);
      const int64_t inv = static_cast<int64_t>((p * 7 + k * 3) % 23) - 4;  // 万元, may be negative
      const int64_t funds = static_cast<int64_t>((p + k) % 5);
      MonthlyRecord r = Month_(code, m.year(), m.month(), std::to_string(inv), line++);
      r.funds_arrived = Wan(std::to_string(funds));
      ASSERT_TRUE(b.AddMonthly(r));
      figures[p].push_back({m.index(), inv * kFenPerWan});
    }
    if (p == far) {
      ASSERT_TRUE(b.AddMonthly(Month_(code, 2031, 6, "1", line++)));
      figures[p].push_back({Month::FromYm(2031, 6).index(), kFenPerWan});
    }
  }
  absl::StatusOr<Ledger> built = std::move(b).Build();
  ASSERT_TRUE(built.ok()) << built.status();
  const Ledger& l = *built;
  ASSERT_EQ(l.total_block_count(), 3u);
  // Each block's rows span its own projects' months: the far month widens block 1 only.
  for (uint32_t block = 0; block < 3; ++block) {
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (uint32_t p = block * kTotalsBlockSize; p < std::min(n, (block + 1) * kTotalsBlockSize); ++p) {
      for (auto [month, fen] : figures[p]) lo = std::min(lo, month), hi = std::max(hi, month);
    }
    EXPECT_EQ(keyproj::internal::Columns(l).monthly.total_blocks[block].first_month, lo) << block;
    EXPECT_EQ(keyproj::internal::Columns(l).monthly.total_blocks[block].months, hi - lo + 1) << block;
  }
  EXPECT_GT(keyproj::internal::Columns(l).monthly.total_blocks[1].months, 12 * 8);
  EXPECT_LT(keyproj::internal::Columns(l).monthly.total_blocks[0].months, 24);
  for (uint32_t p = 0; p < n; ++p) {
    for (Month m = Month::FromYm(2022, 11); m <= Month::FromYm(2032, 1); m = m + 1) {
      if (m.year() > 2025 && m.year() < 2031 && p != far) continue;  // keep the test quick
      int64_t expected = 0;
      for (auto [month, fen] : figures[p]) expected += month <= m.index() ? fen : 0;
      ASSERT_EQ(l.InvestmentThrough(p, m), expected) << "project " << p << " through " << m.ToString();
      const int64_t* row = l.InvestmentRow(p / kTotalsBlockSize, m);
      ASSERT_EQ(row == nullptr ? 0 : row[p % kTotalsBlockSize], expected) << p << " " << m.ToString();
    }
    int64_t funds = 0;
    for (uint32_t k = 0; k < p % 7 + 1 && p % 5 != 4; ++k) funds += k == 2 && p % 3 == 0 ? 0 : (p + k) % 5;
    EXPECT_EQ(l.FundsThrough(p, Month::FromYm(2030, 1)), funds * kFenPerWan) << p;
  }
  EXPECT_EQ(l.InvestmentRow(0, Month::FromYm(2022, 12)), nullptr);
  EXPECT_NE(l.InvestmentRow(0, Month::FromYm(2023, 1)), nullptr);
}

TEST(LedgerBuilder, YearToDateIsOneSubtraction) {
  LedgerBuilder b;
  ASSERT_TRUE(b.AddProject(Started("A", 2)));
  // 2023-11 .. 2024-03, with 2024-01 missing.
  ASSERT_TRUE(b.AddMonthly(Month_("A", 2023, 11, "100", 2)));
  ASSERT_TRUE(b.AddMonthly(Month_("A", 2023, 12, "50.5", 3)));
  ASSERT_TRUE(b.AddMonthly(Month_("A", 2024, 2, "20", 4)));
  ASSERT_TRUE(b.AddMonthly(Month_("A", 2024, 3, "-5", 5)));  // a correction
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  const uint32_t p = *l->FindProject("A");
  EXPECT_EQ(l->months(p)->first, Month::FromYm(2023, 11));
  EXPECT_EQ(l->months(p)->size(), 5);
  const Periods q = Periods::For(D(2024, 3, 31));
  EXPECT_EQ(l->Investment(p, q.ytd), Wan("15").fen());
  EXPECT_EQ(l->Investment(p, q.prev_ytd), 0);
  EXPECT_EQ(l->InvestmentThrough(p, Month::FromYm(2024, 12)), Wan("165.5").fen());
  EXPECT_EQ(l->InvestmentThrough(p, Month::FromYm(2020, 1)), 0);
  EXPECT_EQ(l->Investment(p, {Month::FromYm(2023, 12), Month::FromYm(2024, 2)}), Wan("70.5").fen());
  // The missing month is a slot without a row.
  const uint64_t jan = *l->slot(p, Month::FromYm(2024, 1));
  EXPECT_EQ(keyproj::internal::Columns(*l).monthly.flags[jan] & kHasRow, 0);
  EXPECT_NE(keyproj::internal::Columns(*l).monthly.flags[*l->slot(p, Month::FromYm(2024, 2))] & kHasRow, 0);
  EXPECT_FALSE(l->slot(p, Month::FromYm(2024, 4)));
}

TEST(LedgerBuilder, RowsInAnyOrderGiveTheSameLedger) {
  auto build = [](bool shuffled) {
    LedgerBuilder b;
    EXPECT_TRUE(b.AddProject(Started("A", 2)));
    EXPECT_TRUE(b.AddProject(Started("B", 3)));
    std::vector<MonthlyRecord> rows = {
        Month_("A", 2024, 1, "1", 2), Month_("A", 2024, 2, "2", 3), Month_("A", 2024, 3, "3", 4),
        Month_("B", 2023, 12, "10", 5), Month_("B", 2024, 2, "20", 6)};
    if (shuffled) std::swap(rows[0], rows[4]), std::swap(rows[1], rows[3]);
    for (const MonthlyRecord& r : rows) EXPECT_TRUE(b.AddMonthly(r));
    absl::StatusOr<Ledger> l = std::move(b).Build();
    EXPECT_TRUE(l.ok()) << l.status();
    return std::move(*l);
  };
  Ledger a = build(false), c = build(true);
  EXPECT_EQ(keyproj::internal::Columns(a).monthly.slot_begin, keyproj::internal::Columns(c).monthly.slot_begin);
  EXPECT_EQ(keyproj::internal::Columns(a).monthly.first_month, keyproj::internal::Columns(c).monthly.first_month);
  EXPECT_EQ(keyproj::internal::Columns(a).monthly.cum_investment, keyproj::internal::Columns(c).monthly.cum_investment);
  EXPECT_EQ(keyproj::internal::Columns(a).monthly.flags, keyproj::internal::Columns(c).monthly.flags);
  EXPECT_EQ(c.InvestmentThrough(1, Month::FromYm(2024, 2)), Wan("30").fen());
  EXPECT_EQ(keyproj::internal::Columns(c).monthly.slot_begin, (std::vector<uint64_t>{0, 3, 6}));
}

TEST(LedgerBuilder, DuplicateMonthsAreErrorsOrSummed) {
  for (DuplicateMonths mode : {DuplicateMonths::kError, DuplicateMonths::kSum}) {
    LedgerBuilder b(BuildOptions{.duplicate_months = mode});
    ASSERT_TRUE(b.AddProject(Started("A", 2)));
    b.AddMonthly(Month_("A", 2024, 1, "1", 2));
    b.AddMonthly(Month_("A", 2024, 2, "2", 3));
    b.AddMonthly(Month_("A", 2024, 1, "4", 4));  // out of order duplicate
    b.AddMonthly(Month_("A", 2024, 2, "8", 5));
    absl::StatusOr<Ledger> l = std::move(b).Build();
    if (mode == DuplicateMonths::kError) {
      ASSERT_FALSE(l.ok());
      EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "monthly", 4, "month", "first at line 2"))
          << Dump(b.diagnostics());
      EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "monthly", 5, "month", "'duplicate_months=sum'"));
      EXPECT_EQ(b.diagnostics().size(), 2u);
    } else {
      ASSERT_TRUE(l.ok()) << l.status();
      EXPECT_EQ(l->InvestmentThrough(0, Month::FromYm(2024, 2)), Wan("15").fen());
    }
  }
}

// A month after kLastMonthlyYear is a typo (found by the CLI fuzzer: one monthly row
// of 9999-12 made a sample ledger take 1.5 GB); the last allowed month loads.
TEST(LedgerBuilder, MonthlyMonthsEndAtTheLastMonthlyYear) {
  LedgerBuilder b(BuildOptions{.lenient = true});
  ASSERT_TRUE(b.AddProject(Started("A", 2)));
  EXPECT_TRUE(b.AddMonthly(Month_("A", 2024, 1, "1", 2)));
  EXPECT_TRUE(b.AddMonthly(Month_("A", kLastMonthlyYear, 12, "2", 3)));
  EXPECT_FALSE(b.AddMonthly(Month_("A", 9999, 12, "4", 4)));
  EXPECT_FALSE(b.AddMonthly(Month_("A", kLastMonthlyYear + 1, 1, "8", 5)));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "monthly", 4, "month", "month 9999-12 is after 2100-12"))
      << Dump(b.diagnostics());
  EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "monthly", 5, "month", "month 2101-01 is after 2100-12"));
  EXPECT_EQ(b.diagnostics().size(), 2u);
  EXPECT_EQ(l->InvestmentThrough(0, Month::FromYm(kLastMonthlyYear, 12)), Wan("3").fen());
}

TEST(LedgerBuilder, ReportsEveryProblemOfEveryRecord) {
  LedgerBuilder b;
  ProjectRecord bad = Started("", 2);
  bad.name = "";
  bad.total_investment = Wan("-1");
  bad.stage = Stage::kCompleted;  // no completed_on
  EXPECT_FALSE(b.AddProject(bad));
  EXPECT_TRUE(b.AddProject(Started("A", 3)));
  EXPECT_FALSE(b.AddProject(Started("A", 4)));
  ProjectRecord no_year = Started("B", 5);
  no_year.annual_plan = Wan("10");
  EXPECT_FALSE(b.AddProject(no_year));
  EXPECT_FALSE(b.AddMonthly(Month_("ZZZ", 2024, 1, "1", 2)));
  MonthlyRecord early = Month_("A", 2024, 1, "1", 3);
  early.reported_on = D(2023, 12, 31);
  early.funds_arrived = Wan("-2");
  EXPECT_FALSE(b.AddMonthly(early));
  EXPECT_FALSE(b.AddPlan(PlanRecord{.line = 2, .code = "A", .year = 20245, .planned = Wan("-1")}));
  EXPECT_FALSE(b.AddFunding(FundingRecord{.line = 2, .code = "A", .year = 2024,
                                          .source = FundingSource::kCentralBudget,
                                          .approved = Wan("1"), .currency = "USD"}));
  EXPECT_FALSE(b.AddBaseline(BaselineRecord{.line = 2, .month = Month::FromYm(2023, 9),
                                            .dimension = "planet", .investment = Wan("1")}));

  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_FALSE(l.ok());
  const Diagnostics& ds = b.diagnostics();
  EXPECT_TRUE(HasDiagnostic(ds, "projects", 2, "code", "required")) << Dump(ds);
  EXPECT_TRUE(HasDiagnostic(ds, "projects", 2, "name", "required"));
  EXPECT_TRUE(HasDiagnostic(ds, "projects", 2, "total_investment", "negative"));
  EXPECT_TRUE(HasDiagnostic(ds, "projects", 2, "completed_on", "requires"));
  EXPECT_TRUE(HasDiagnostic(ds, "projects", 4, "code", "duplicate project code 'A' (first at line 3)"));
  EXPECT_TRUE(HasDiagnostic(ds, "projects", 5, "plan_year", "without plan_year"));
  EXPECT_TRUE(HasDiagnostic(ds, "monthly", 2, "code", "unknown project code 'ZZZ'"));
  EXPECT_TRUE(HasDiagnostic(ds, "monthly", 3, "reported_on", "before the month"));
  EXPECT_TRUE(HasDiagnostic(ds, "monthly", 3, "funds_arrived", "negative"));
  EXPECT_TRUE(HasDiagnostic(ds, "plans", 2, "year", "out of range"));
  EXPECT_TRUE(HasDiagnostic(ds, "plans", 2, "planned", "negative"));
  EXPECT_TRUE(HasDiagnostic(ds, "funding", 2, "currency", "'fx_rates=USD=RATE'"));
  EXPECT_TRUE(HasDiagnostic(ds, "baseline", 2, "dimension", "unknown dimension 'planet'"));
  EXPECT_EQ(ds.size(), 13u) << Dump(ds);
  EXPECT_THAT(std::string(l.status().message()), HasSubstr("13 errors in the ledger"));
}

TEST(LedgerBuilder, LenientKeepsGoodRowsAndAccountsForDroppedOnes) {
  LedgerBuilder b(BuildOptions{.lenient = true});
  ProjectRecord bad = Started("BAD", 2);
  bad.dates.started_on.reset();
  EXPECT_FALSE(b.AddProject(bad));
  EXPECT_TRUE(b.AddProject(Started("GOOD", 3)));
  EXPECT_FALSE(b.AddMonthly(Month_("BAD", 2024, 1, "1", 2)));
  EXPECT_FALSE(b.AddMonthly(Month_("BAD", 2024, 2, "1", 3)));
  EXPECT_TRUE(b.AddMonthly(Month_("GOOD", 2024, 1, "7", 4)));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->size(), 1u);
  EXPECT_EQ(l->code(0), "GOOD");
  EXPECT_EQ(l->InvestmentThrough(0, Month::FromYm(2024, 1)), Wan("7").fen());
  const Diagnostics& ds = b.diagnostics();
  EXPECT_TRUE(HasDiagnostic(ds, "projects", 2, "started_on", "requires")) << Dump(ds);
  EXPECT_TRUE(HasDiagnostic(ds, "monthly", 2, "code",
                            "2 rows of project 'BAD' not loaded (lines 2-3): the project was rejected (projects:2)"));
  EXPECT_EQ(ds.size(), 2u) << Dump(ds);
}

// Lenient accounting (issue 11): each row is loaded or reported, never both.
TEST(LedgerBuilder, RejectedProjectsRowsAreListedByLine) {
  LedgerBuilder b(BuildOptions{.lenient = true});
  ProjectRecord bad = Started("BAD", 2);
  bad.dates.started_on.reset();
  EXPECT_FALSE(b.AddProject(bad));
  EXPECT_TRUE(b.AddProject(Started("GOOD", 3)));
  for (int64_t line : {2, 3, 4, 9}) EXPECT_FALSE(b.AddMonthly(Month_("BAD", 2024, static_cast<int>(line), "1", line)));
  ASSERT_TRUE(std::move(b).Build().ok());
  EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "monthly", 2, "code",
                            "4 rows of project 'BAD' not loaded (lines 2-4, 9): the project was rejected (projects:2)"))
      << Dump(b.diagnostics());
}

TEST(LedgerBuilder, FundingOutOfRangeOnceConvertedIsNotLoaded) {
  // 9e12 万美元 x 7.1 is beyond the range of 分: the row is left out and reported,
  // not loaded with the amount "not known" (that was both, and a silent change).
  LedgerBuilder b(BuildOptions{.lenient = true, .fx_rates = {{"USD", "7.1"}}});
  ASSERT_TRUE(b.AddProject(Started("A", 2)));
  EXPECT_FALSE(b.AddFunding(FundingRecord{.line = 2, .code = "A", .year = 2024, .source = FundingSource::kForeign,
                                          .requested = Wan("1"), .arrived = Wan("9000000000000"), .currency = "USD"}));
  EXPECT_TRUE(b.AddFunding(FundingRecord{.line = 3, .code = "A", .year = 2024, .source = FundingSource::kForeign,
                                         .arrived = Wan("2"), .currency = "USD"}));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  const internal::FundingColumns& f = keyproj::internal::Columns(*l).funding;
  ASSERT_EQ(f.project.size(), 1u);
  EXPECT_EQ(f.arrived[0], Wan("14.2").fen());
  EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "funding", 2, "arrived",
                            "9000000000000.00 USD is out of range once converted to yuan"))
      << Dump(b.diagnostics());
  EXPECT_EQ(b.diagnostics().size(), 1u) << Dump(b.diagnostics());
}

// Monthly extra columns named after some rows were added (a loader's second file):
// the earlier rows have empty cells there, the later keep theirs, in order or not,
// and naming the same columns again changes nothing.
TEST(LedgerBuilder, MonthlyExtraHeadersAfterRowsLeaveTheEarlierRowsEmpty) {
  for (bool in_order : {true, false}) {
    LedgerBuilder b;
    ASSERT_TRUE(b.AddProject(Started("A", 2)));
    ASSERT_TRUE(b.AddProject(Started("B", 3)));
    ASSERT_TRUE(b.AddMonthly(Month_("A", 2024, 1, "1", 2)));
    ASSERT_TRUE(b.AddMonthly(Month_("A", 2024, 3, "2", 3)));  // and a slot for February
    b.SetExtraHeaders(Table::kMonthly, {"填报人"});
    std::vector<MonthlyRecord> rows = {Month_("B", 2024, 2, "3", 4), Month_("B", 2024, 3, "4", 5)};
    const std::string_view who[] = {"张三", "李四"};
    for (size_t i = 0; i < rows.size(); ++i) rows[i].extras = std::span(&who[i], 1);
    if (!in_order) std::reverse(rows.begin(), rows.end());
    for (const MonthlyRecord& r : rows) ASSERT_TRUE(b.AddMonthly(r));
    b.SetExtraHeaders(Table::kMonthly, {"填报人"});  // the same again: the rows keep their cells
    absl::StatusOr<Ledger> l = std::move(b).Build();
    ASSERT_TRUE(l.ok()) << l.status();
    ASSERT_EQ(l->extras(Table::kMonthly).size(), 1u);
    std::vector<std::string> cells;
    for (uint32_t id : l->extras(Table::kMonthly)[0].values) cells.emplace_back(l->text(id));
    EXPECT_EQ(cells, (std::vector<std::string>{"", "", "", "张三", "李四"})) << "in order " << in_order;
    EXPECT_EQ(l->InvestmentThrough(1, Month::FromYm(2024, 3)), Wan("7").fen());
  }
}

TEST(LedgerBuilder, MonthlyFiguresBeyondRangeLeaveTheProjectsMonthsOut) {
  for (bool in_order : {true, false}) {
    LedgerBuilder b(BuildOptions{.lenient = true});
    b.SetExtraHeaders(Table::kMonthly, {"tag"});
    ASSERT_TRUE(b.AddProject(Started("A", 2)));
    ASSERT_TRUE(b.AddProject(Started("B", 3)));
    ASSERT_TRUE(b.AddProject(Started("C", 4)));
    std::vector<MonthlyRecord> rows = {Month_("A", 2024, 1, "1", 2), Month_("B", 2024, 1, "9000000000000", 3),
                                       Month_("B", 2024, 3, "9000000000000", 4), Month_("C", 2024, 2, "5", 5),
                                       Month_("C", 2024, 3, "6", 6)};
    const std::string_view tags[] = {"a1", "b1", "b3", "c2", "c3"};
    for (size_t i = 0; i < rows.size(); ++i) rows[i].extras = std::span(&tags[i], 1);
    if (!in_order) std::reverse(rows.begin(), rows.end());
    for (const MonthlyRecord& r : rows) EXPECT_TRUE(b.AddMonthly(r));
    absl::StatusOr<Ledger> l = std::move(b).Build();
    ASSERT_TRUE(l.ok()) << l.status();
    EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "monthly", 3, "investment",
                              "project 'B': its monthly figures add up beyond the range of amounts, so its 2 rows "
                              "were not loaded (lines 3-4)"))
        << Dump(b.diagnostics());
    EXPECT_EQ(b.diagnostics().size(), 1u) << Dump(b.diagnostics());
    EXPECT_FALSE(l->months(1).has_value());
    EXPECT_EQ(l->InvestmentThrough(0, Month::FromYm(2024, 3)), Wan("1").fen());
    EXPECT_EQ(l->InvestmentThrough(2, Month::FromYm(2024, 3)), Wan("11").fen());
    std::vector<std::string> kept;
    for (uint32_t v : l->extras(Table::kMonthly)[0].values) {
      if (v != 0) kept.emplace_back(l->text(v));
    }
    EXPECT_EQ(kept, (std::vector<std::string>{"a1", "c2", "c3"}));
  }
}

TEST(LedgerBuilder, PlanGivenInBothFilesKeepsThePlansRowsExtras) {
  LedgerBuilder b;
  b.SetExtraHeaders(Table::kPlans, {"备注"});
  ProjectRecord r = Started("A", 2);
  r.annual_plan = Wan("100");
  r.plan_year = 2024;
  ASSERT_TRUE(b.AddProject(r));
  EXPECT_TRUE(b.AddPlan(PlanRecord{.line = 2, .code = "A", .year = 2024, .planned = Wan("100"), .extras = {"同上"}}));
  EXPECT_TRUE(b.AddPlan(PlanRecord{.line = 3, .code = "A", .year = 2025, .planned = Wan("80"), .extras = {"新增"}}));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  const std::vector<uint32_t>& notes = l->extras(Table::kPlans)[0].values;
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(l->text(notes[0]), "同上");
  EXPECT_EQ(l->text(notes[1]), "新增");
}

TEST(LedgerBuilder, NationalCodeFillsRegionAndYear) {
  LedgerBuilder b;
  ProjectRecord r = Started("2021-610402-04-01-38295A", 2);
  r.region = 0;
  ASSERT_TRUE(b.AddProject(r));
  ProjectRecord bad = Started("2021-990402-04-01-38295A", 3);
  EXPECT_FALSE(b.AddProject(bad));
  EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "projects", 3, "code", "names no province"));
  LedgerBuilder good;
  ASSERT_TRUE(good.AddProject(r));
  absl::StatusOr<Ledger> l = std::move(good).Build();
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(keyproj::internal::Columns(*l).projects.region[0], 610402);
  EXPECT_EQ(keyproj::internal::Columns(*l).projects.code_year[0], 2021);
  EXPECT_EQ(keyproj::internal::Columns(*l).projects.code_form[0], ProjectCodeForm::kUnified);
}

TEST(LedgerBuilder, PlansFromBothFilesMustAgree) {
  LedgerBuilder b;
  ProjectRecord r = Started("A", 2);
  r.annual_plan = Wan("100");
  r.plan_year = 2024;
  ASSERT_TRUE(b.AddProject(r));
  EXPECT_TRUE(b.AddPlan(PlanRecord{.line = 2, .code = "A", .year = 2024, .planned = Wan("100")}));
  EXPECT_TRUE(b.AddPlan(PlanRecord{.line = 3, .code = "A", .year = 2025, .planned = Wan("80")}));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->Plan(0, 2024), Wan("100").fen());
  EXPECT_EQ(l->Plan(0, 2025), Wan("80").fen());
  EXPECT_EQ(l->Plan(0, 2026), kNoMoney);

  LedgerBuilder c;
  ASSERT_TRUE(c.AddProject(r));
  EXPECT_TRUE(c.AddPlan(PlanRecord{.line = 7, .code = "A", .year = 2024, .planned = Wan("90")}));
  EXPECT_FALSE(std::move(c).Build().ok());
  EXPECT_TRUE(HasDiagnostic(c.diagnostics(), "plans", 7, "planned",
                            "differs between projects.csv (100.00) and plans.csv (90.00)"))
      << Dump(c.diagnostics());
}

// Plans come as projects.csv's shorthand rows, then plans.csv's: two ascending runs
// (merged), or plans.csv out of project order (sorted). Either way, by project then
// year, a plan given in both files once, and each plans.csv row keeping its extra cell.
TEST(LedgerBuilder, PlansOfBothFilesInProjectThenYearOrder) {
  for (const bool plans_in_order : {true, false}) {
    SCOPED_TRACE(plans_in_order ? "plans.csv in project order" : "plans.csv out of order");
    LedgerBuilder b;
    b.SetExtraHeaders(Table::kPlans, {"备注"});
    for (const char* code : {"A", "B", "C"}) {
      ProjectRecord r = Started(code, 2);
      r.annual_plan = Wan("10");
      r.plan_year = 2024;
      ASSERT_TRUE(b.AddProject(r));
    }
    auto plan = [](int64_t line, const char* code, int year, const char* wan) {
      return PlanRecord{.line = line, .code = code, .year = year, .planned = Wan(wan), .extras = {std::string(code) + std::to_string(year)}};
    };
    std::vector<PlanRecord> rows = {plan(2, "A", 2025, "5"), plan(3, "B", 2024, "10"), plan(4, "C", 2023, "7")};
    if (!plans_in_order) std::swap(rows[0], rows[2]);
    for (const PlanRecord& r : rows) ASSERT_TRUE(b.AddPlan(r));
    absl::StatusOr<Ledger> l = std::move(b).Build();
    ASSERT_TRUE(l.ok()) << l.status() << Dump(b.diagnostics());
    const internal::PlanColumns& p = internal::Columns(*l).plans;
    EXPECT_EQ(p.project, (std::vector<uint32_t>{0, 0, 1, 2, 2}));
    EXPECT_EQ(p.year, (std::vector<int16_t>{2024, 2025, 2024, 2023, 2024}));
    EXPECT_EQ(p.row_begin, (std::vector<uint32_t>{0, 2, 3, 5}));
    std::vector<std::string> extras;
    for (uint32_t id : l->extras(Table::kPlans)[0].values) extras.emplace_back(l->text(id));
    EXPECT_EQ(extras, (std::vector<std::string>{"", "A2025", "B2024", "C2023", ""}));
  }
}

TEST(LedgerBuilder, ForeignCurrencyIsConvertedExactlyAndKept) {
  LedgerBuilder b(BuildOptions{.fx_rates = {{"USD", "7.1"}}});
  ASSERT_TRUE(b.AddProject(Started("A", 2)));
  ASSERT_TRUE(b.AddFunding(FundingRecord{.line = 2, .code = "A", .year = 2024,
                                         .source = FundingSource::kForeign,
                                         .approved = Wan("100.000001"), .currency = "USD"}));
  ASSERT_TRUE(b.AddFunding(FundingRecord{.line = 3, .code = "A", .year = 2024,
                                         .source = FundingSource::kCentralBudget,
                                         .approved = Wan("50")}));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  const internal::FundingColumns& f = keyproj::internal::Columns(*l).funding;
  ASSERT_EQ(f.project.size(), 2u);
  // Sorted by source: central_budget first.
  EXPECT_EQ(f.source[0], FundingSource::kCentralBudget);
  EXPECT_EQ(f.approved[0], Wan("50").fen());
  EXPECT_EQ(f.currency[0], 0u);
  // 100.000001 万美元 × 7.1 = 710.0000071 万元 -> 710.000007 (half-up to 1 分).
  EXPECT_EQ(f.approved[1], Wan("710.000007").fen());
  EXPECT_EQ(l->text(f.currency[1]), "USD");
  EXPECT_EQ(l->FundingOriginal(1)->approved, Wan("100.000001").fen());
  EXPECT_FALSE(l->FundingOriginal(0));
  EXPECT_EQ(f.requested[1], kNoMoney);
}

TEST(LedgerBuilder, ExtraColumnsAreKept) {
  LedgerBuilder b;
  b.SetExtraHeaders(Table::kProjects, {"备注", "联系人"});
  ProjectRecord r = Started("A", 2);
  r.extras = {"重点关注", "张三"};
  ASSERT_TRUE(b.AddProject(r));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->extras(Table::kProjects).size(), 2u);
  EXPECT_EQ(l->extras(Table::kProjects)[0].header, "备注");
  EXPECT_EQ(l->text(l->extras(Table::kProjects)[1].values[0]), "张三");
}

// Monthly texts wait in a pool of their own until Build (ledger_builder.h, "Threads"):
// they must come out with the ledger's ids -- one id per text, whichever table had
// it first -- with Build on one thread or two.
TEST(LedgerBuilder, MonthlyTextsShareTheLedgersIds) {
  for (const int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    BuildOptions o;
    o.threads = threads;
    LedgerBuilder b(o);
    b.SetExtraHeaders(Table::kMonthly, {"联系人"});
    ProjectRecord r = Started("A", 2);
    r.investor = "主体施工";
    r.leader = "李四";
    ASSERT_TRUE(b.AddProject(r));
    const std::string_view extras[] = {"李四"};
    MonthlyRecord m1 = Month_("A", 2024, 1, "1", 2);
    m1.progress = "主体施工";  // also the project's investor
    m1.extras = extras;        // also its leader
    MonthlyRecord m2 = Month_("A", 2024, 2, "1", 3);
    m2.progress = "设备安装";  // only here
    m2.extras = extras;
    ASSERT_TRUE(b.AddMonthly(m1));
    ASSERT_TRUE(b.AddMonthly(m2));
    absl::StatusOr<Ledger> l = std::move(b).Build();
    ASSERT_TRUE(l.ok()) << l.status();
    const internal::LedgerColumnsView c = internal::Columns(*l);
    ASSERT_EQ(c.monthly.progress.size(), 2u);
    EXPECT_EQ(c.monthly.progress[0], c.projects.investor[0]);
    EXPECT_EQ(l->text(c.monthly.progress[1]), "设备安装");
    EXPECT_NE(c.monthly.progress[1], c.monthly.progress[0]);
    const std::vector<ExtraColumn>& monthly_extras = l->extras(Table::kMonthly);
    ASSERT_EQ(monthly_extras.size(), 1u);
    EXPECT_EQ(monthly_extras[0].values[0], c.projects.leader[0]);
    EXPECT_EQ(monthly_extras[0].values[1], c.projects.leader[0]);
    EXPECT_EQ(c.strings.Find("设备安装"), c.monthly.progress[1]);
  }
}

// ---- approvals (前期手续) --------------------------------------------------------

ApprovalRecord Approval(std::string code, ApprovalItem item, int64_t line) {
  ApprovalRecord r;
  r.line = line;
  r.code = std::move(code);
  r.item = item;
  return r;
}

// SetExtraHeaders again after some of a table's rows, for every table: the rows so far
// keep their cells under the headers by position; a header they had no cell for is
// empty, and a cell past the headers set is dropped (for good: it does not come back
// when headers grow again). Row k of each table below is added after the k-th of
// these header sets (none first), with a cell "<k><column letter>" under each header.
TEST(LedgerBuilder, ExtraHeadersSetAgainAfterRowsKeepTheRowsCellsByPosition) {
  // Up from none, down (row 1's "1b" goes), up again, and the same again (kept).
  const std::vector<std::vector<std::string>> header_sets = {{}, {"a", "b"}, {"a"}, {"a", "b", "c"}, {"a", "b", "c"}};
  const std::vector<std::vector<std::string>> want = {
      {"", "1a", "2a", "3a", "4a"}, {"", "", "", "3b", "4b"}, {"", "", "", "3c", "4c"}};
  const std::string codes[] = {"P0", "P1", "P2", "P3", "P4"};
  for (Table t : {Table::kProjects, Table::kMonthly, Table::kFunding, Table::kPlans, Table::kProblems,
                  Table::kBaseline, Table::kApprovals}) {
    SCOPED_TRACE(std::string(TableName(t)));
    LedgerBuilder b;
    if (t != Table::kProjects) {
      for (int k = 0; k < 5; ++k) ASSERT_TRUE(b.AddProject(Started(codes[k], 2 + k)));
    }
    // Monthly rows far apart, so that gap slots (no row, no cells) sit between them.
    std::vector<std::string> cells;
    std::vector<std::string_view> views;
    for (int k = 0; k < 5; ++k) {
      if (k > 0) b.SetExtraHeaders(t, header_sets[k]);
      cells.clear();
      for (size_t c = 0; c < header_sets[k].size(); ++c) cells.push_back(std::to_string(k) + static_cast<char>('a' + c));
      const int64_t line = 2 + k;
      switch (t) {
        case Table::kProjects: {
          ProjectRecord r = Started(codes[k], line);
          r.extras = cells;
          ASSERT_TRUE(b.AddProject(r));
          break;
        }
        case Table::kMonthly: {
          MonthlyRecord r = Month_("P0", 2024, 1 + 2 * k, "1", line);
          views.assign(cells.begin(), cells.end());
          r.extras = views;
          ASSERT_TRUE(b.AddMonthly(r));
          break;
        }
        case Table::kFunding:
          ASSERT_TRUE(b.AddFunding(FundingRecord{.line = line, .code = codes[k], .year = 2024,
                                                 .source = FundingSource::kCentralBudget,
                                                 .approved = Wan("1"), .extras = cells}));
          break;
        case Table::kPlans:
          ASSERT_TRUE(b.AddPlan(PlanRecord{.line = line, .code = codes[k], .year = 2024, .planned = Wan("1"), .extras = cells}));
          break;
        case Table::kProblems:
          ASSERT_TRUE(b.AddProblem(ProblemRecord{.line = line, .code = codes[k], .id = "Q" + std::to_string(k),
                                                 .kind = ProblemKind::kLand, .extras = cells}));
          break;
        case Table::kBaseline:
          ASSERT_TRUE(b.AddBaseline(BaselineRecord{.line = line, .month = Month::FromYm(2023, 1 + k),
                                                   .dimension = "all", .investment = Wan("1"), .extras = cells}));
          break;
        case Table::kApprovals: {
          ApprovalRecord r = Approval(codes[k], ApprovalItem::kApproval, line);
          r.extras = cells;
          ASSERT_TRUE(b.AddApproval(r));
          break;
        }
      }
    }
    absl::StatusOr<Ledger> l = std::move(b).Build();
    ASSERT_TRUE(l.ok()) << l.status() << Dump(b.diagnostics());
    const std::vector<ExtraColumn>& extras = l->extras(t);
    ASSERT_EQ(extras.size(), 3u);
    for (size_t c = 0; c < extras.size(); ++c) {
      EXPECT_EQ(extras[c].header, std::string(1, static_cast<char>('a' + c)));
      // Monthly slots: the five rows' months with a gap slot (no cells) between each two.
      const size_t step = t == Table::kMonthly ? 2 : 1;
      ASSERT_EQ(extras[c].values.size(), 5 * step - (step - 1));
      std::vector<std::string> got;
      for (size_t i = 0; i < extras[c].values.size(); i += step) got.emplace_back(l->text(extras[c].values[i]));
      for (size_t i = 1; step == 2 && i < extras[c].values.size(); i += 2) {
        EXPECT_EQ(extras[c].values[i], 0u) << "gap slot " << i;
      }
      EXPECT_EQ(got, want[c]) << "column " << extras[c].header;
    }
  }
}

// Each rule of AddApproval, with its line and field: an unknown project, no item, a
// second row for an item (other may repeat), done_on before the project's reserved_on.
TEST(LedgerBuilder, ApprovalRules) {
  LedgerBuilder b(BuildOptions{.lenient = true});
  ProjectRecord a = Started("A", 2);
  a.dates.reserved_on = D(2023, 1, 10);
  ASSERT_TRUE(b.AddProject(a));
  ASSERT_TRUE(b.AddProject(Started("B", 3)));  // no reserved_on: any done_on
  ApprovalRecord ok = Approval("A", ApprovalItem::kLand, 2);
  ok.done_on = D(2023, 1, 10);  // the day of reserved_on is fine
  EXPECT_TRUE(b.AddApproval(ok));
  EXPECT_FALSE(b.AddApproval(Approval("NOPE", ApprovalItem::kEia, 3)));
  EXPECT_FALSE(b.AddApproval(Approval("A", ApprovalItem::kUnknown, 4)));
  EXPECT_FALSE(b.AddApproval(Approval("A", ApprovalItem::kLand, 5)));
  EXPECT_TRUE(b.AddApproval(Approval("A", ApprovalItem::kOther, 6)));
  EXPECT_TRUE(b.AddApproval(Approval("A", ApprovalItem::kOther, 7)));
  ApprovalRecord early = Approval("A", ApprovalItem::kEia, 8);
  early.done_on = D(2023, 1, 9);
  EXPECT_FALSE(b.AddApproval(early));
  ApprovalRecord b_early = Approval("B", ApprovalItem::kEia, 9);
  b_early.done_on = D(2001, 1, 1);
  EXPECT_TRUE(b.AddApproval(b_early));
  EXPECT_TRUE(b.AddApproval(Approval("B", ApprovalItem::kLand, 10)));  // one land row per project
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  const Diagnostics& ds = b.diagnostics();
  EXPECT_TRUE(HasDiagnostic(ds, "approvals", 3, "code", "unknown project code 'NOPE'")) << Dump(ds);
  EXPECT_TRUE(HasDiagnostic(ds, "approvals", 4, "item", "required")) << Dump(ds);
  EXPECT_TRUE(HasDiagnostic(ds, "approvals", 5, "item",
                            "a second row for item land of project 'A' (first at line 2)"))
      << Dump(ds);
  EXPECT_TRUE(HasDiagnostic(ds, "approvals", 8, "done_on",
                            "done_on 2023-01-09 is before the project's reserved_on 2023-01-10"))
      << Dump(ds);
  EXPECT_EQ(ds.size(), 4u) << Dump(ds);
  EXPECT_EQ(internal::Columns(*l).approvals.project.size(), 5u);  // lines 2, 6, 7, 9, 10
}

// The first row of an item holds its place even when it was refused for its date:
// a second row is reported as such, naming the first's line (two rows for one item
// is a mistake whichever of them is right).
TEST(LedgerBuilder, ApprovalSecondRowNamesTheFirstEvenIfBad) {
  LedgerBuilder b(BuildOptions{.lenient = true});
  ProjectRecord a = Started("A", 2);
  a.dates.reserved_on = D(2023, 1, 10);
  ASSERT_TRUE(b.AddProject(a));
  ApprovalRecord early = Approval("A", ApprovalItem::kEia, 2);
  early.done_on = D(2022, 1, 1);
  EXPECT_FALSE(b.AddApproval(early));
  EXPECT_FALSE(b.AddApproval(Approval("A", ApprovalItem::kEia, 3)));
  ASSERT_TRUE(std::move(b).Build().ok());
  EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "approvals", 3, "item", "(first at line 2)")) << Dump(b.diagnostics());
}

// Each second row names its own item's first row, whether that came before the first
// second row of the ledger (looked up then) or after it, kept or refused, and for a
// project added after other projects' approvals.
TEST(LedgerBuilder, ApprovalSecondRowsNameTheirOwnFirst) {
  LedgerBuilder b(BuildOptions{.lenient = true});
  ProjectRecord a = Started("A", 2);
  a.dates.reserved_on = D(2023, 1, 10);
  ASSERT_TRUE(b.AddProject(a));
  ASSERT_TRUE(b.AddProject(Started("B", 3)));
  EXPECT_TRUE(b.AddApproval(Approval("A", ApprovalItem::kLand, 2)));
  EXPECT_TRUE(b.AddApproval(Approval("B", ApprovalItem::kLand, 3)));
  ApprovalRecord early = Approval("A", ApprovalItem::kEia, 4);
  early.done_on = D(2022, 1, 1);
  EXPECT_FALSE(b.AddApproval(early));
  EXPECT_FALSE(b.AddApproval(Approval("B", ApprovalItem::kLand, 5)));  // the first second row
  EXPECT_TRUE(b.AddApproval(Approval("A", ApprovalItem::kEnergy, 6)));  // a first after it
  EXPECT_FALSE(b.AddApproval(Approval("A", ApprovalItem::kEnergy, 7)));
  EXPECT_FALSE(b.AddApproval(Approval("A", ApprovalItem::kEia, 8)));
  EXPECT_FALSE(b.AddApproval(Approval("A", ApprovalItem::kLand, 9)));
  ASSERT_TRUE(b.AddProject(Started("C", 4)));
  EXPECT_TRUE(b.AddApproval(Approval("C", ApprovalItem::kLand, 10)));
  EXPECT_FALSE(b.AddApproval(Approval("C", ApprovalItem::kLand, 11)));
  ASSERT_TRUE(std::move(b).Build().ok());
  const Diagnostics& ds = b.diagnostics();
  for (auto [line, first] : {std::pair{5, 3}, std::pair{7, 6}, std::pair{8, 4}, std::pair{9, 2}, std::pair{11, 10}}) {
    EXPECT_TRUE(HasDiagnostic(ds, "approvals", line, "item", "(first at line " + std::to_string(first) + ")"))
        << line << "\n" << Dump(ds);
  }
  EXPECT_EQ(ds.size(), 6u) << Dump(ds);
}

// Rows are stored by project (ledger order), then item, then line, with row_begin
// indexing each project's rows; the fields come through unchanged.
TEST(LedgerBuilder, ApprovalsSortedByProjectThenItem) {
  LedgerBuilder b;
  ASSERT_TRUE(b.AddProject(Started("A", 2)));
  ASSERT_TRUE(b.AddProject(Started("B", 3)));
  ASSERT_TRUE(b.AddProject(Started("C", 4)));
  ApprovalRecord permit = Approval("B", ApprovalItem::kConstructionPermit, 2);
  permit.required = false;
  permit.planned_on = D(2023, 2, 1);
  permit.done_on = D(2023, 2, 20);
  permit.authority = "住建局";
  permit.document_no = "610402202302200101";
  ASSERT_TRUE(b.AddApproval(permit));
  ASSERT_TRUE(b.AddApproval(Approval("B", ApprovalItem::kOther, 3)));
  ASSERT_TRUE(b.AddApproval(Approval("A", ApprovalItem::kEia, 4)));
  ASSERT_TRUE(b.AddApproval(Approval("B", ApprovalItem::kApproval, 5)));
  ASSERT_TRUE(b.AddApproval(Approval("B", ApprovalItem::kOther, 6)));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  const internal::ApprovalColumns& c = internal::Columns(*l).approvals;
  EXPECT_EQ(c.row_begin, (std::vector<uint32_t>{0, 1, 5, 5}));  // C has none
  EXPECT_EQ(c.project, (std::vector<uint32_t>{0, 1, 1, 1, 1}));
  EXPECT_EQ(c.item, (std::vector<ApprovalItem>{ApprovalItem::kEia, ApprovalItem::kApproval,
                                               ApprovalItem::kConstructionPermit, ApprovalItem::kOther,
                                               ApprovalItem::kOther}));
  EXPECT_EQ(c.required, (std::vector<uint8_t>{1, 1, 0, 1, 1}));
  EXPECT_EQ(c.planned_on[2], D(2023, 2, 1).days());
  EXPECT_EQ(c.done_on[2], D(2023, 2, 20).days());
  EXPECT_EQ(c.done_on[0], kNoDay);
  EXPECT_EQ(l->text(c.authority[2]), "住建局");
  EXPECT_EQ(l->text(c.document_no[2]), "610402202302200101");
}

// Rows grouped by project with each project's items in any order (how hosts and files
// usually give them; the builder then sorts each project's run alone): the same order,
// equal items keeping their lines' order.
TEST(LedgerBuilder, ApprovalsGroupedByProjectAreSortedWithinEach) {
  LedgerBuilder b;
  ASSERT_TRUE(b.AddProject(Started("A", 2)));
  ASSERT_TRUE(b.AddProject(Started("B", 3)));
  const std::pair<const char*, ApprovalItem> rows[] = {
      {"A", ApprovalItem::kConstructionPermit}, {"A", ApprovalItem::kOther}, {"A", ApprovalItem::kEia},
      {"A", ApprovalItem::kOther},              {"B", ApprovalItem::kApproval}, {"B", ApprovalItem::kEia}};
  int line = 10;
  for (const auto& [code, item] : rows) {
    ApprovalRecord r = Approval(code, item, line);
    r.authority = std::to_string(line++);
    ASSERT_TRUE(b.AddApproval(r));
  }
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  const internal::ApprovalColumns& c = internal::Columns(*l).approvals;
  EXPECT_EQ(c.row_begin, (std::vector<uint32_t>{0, 4, 6}));
  EXPECT_EQ(c.item, (std::vector<ApprovalItem>{ApprovalItem::kEia, ApprovalItem::kConstructionPermit,
                                               ApprovalItem::kOther, ApprovalItem::kOther, ApprovalItem::kApproval,
                                               ApprovalItem::kEia}));
  std::vector<std::string> authority;
  for (uint32_t id : c.authority) authority.emplace_back(l->text(id));
  EXPECT_EQ(authority, (std::vector<std::string>{"12", "10", "11", "13", "14", "15"}));
}

// The extras of approvals.csv follow the rows into their sorted places.
TEST(LedgerBuilder, ApprovalExtrasFollowTheirRows) {
  LedgerBuilder b;
  b.SetExtraHeaders(Table::kApprovals, {"经办人"});
  ASSERT_TRUE(b.AddProject(Started("A", 2)));
  ApprovalRecord permit = Approval("A", ApprovalItem::kConstructionPermit, 2);
  permit.extras = {"张三"};
  ApprovalRecord approval = Approval("A", ApprovalItem::kApproval, 3);
  approval.extras = {"李四"};
  ASSERT_TRUE(b.AddApproval(permit));
  ASSERT_TRUE(b.AddApproval(approval));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  ASSERT_EQ(l->extras(Table::kApprovals).size(), 1u);
  const ExtraColumn& e = l->extras(Table::kApprovals)[0];
  ASSERT_EQ(e.values.size(), 2u);
  EXPECT_EQ(l->text(e.values[0]), "李四");  // approval sorts before construction_permit
  EXPECT_EQ(l->text(e.values[1]), "张三");
}

// Rows that arrive by project and item (the usual file) are kept as they came, each
// with its own extra cells, two columns of them, a refused row between them taking
// none of theirs.
TEST(LedgerBuilder, ApprovalsInOrderKeepTheirRowsAndExtras) {
  LedgerBuilder b(BuildOptions{.lenient = true});
  b.SetExtraHeaders(Table::kApprovals, {"经办人", "备注"});
  ASSERT_TRUE(b.AddProject(Started("A", 2)));
  ASSERT_TRUE(b.AddProject(Started("B", 3)));
  auto row = [](const char* code, ApprovalItem item, int64_t line, std::vector<std::string> extras) {
    ApprovalRecord r = Approval(code, item, line);
    r.document_no = "文" + std::to_string(line);
    r.extras = std::move(extras);
    return r;
  };
  ASSERT_TRUE(b.AddApproval(row("A", ApprovalItem::kApproval, 2, {"张三", "a1"})));
  ASSERT_TRUE(b.AddApproval(row("A", ApprovalItem::kEia, 3, {"李四", "a2"})));
  EXPECT_FALSE(b.AddApproval(row("A", ApprovalItem::kEia, 4, {"错", "错"})));  // a second eia
  ASSERT_TRUE(b.AddApproval(row("A", ApprovalItem::kOther, 5, {"王五"})));     // the second cell empty
  ASSERT_TRUE(b.AddApproval(row("B", ApprovalItem::kLand, 6, {"赵六", "b1"})));
  EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "approvals", 4, "item", "(first at line 3)")) << Dump(b.diagnostics());
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  const internal::ApprovalColumns& c = internal::Columns(*l).approvals;
  EXPECT_EQ(c.row_begin, (std::vector<uint32_t>{0, 3, 4}));
  EXPECT_EQ(c.item, (std::vector<ApprovalItem>{ApprovalItem::kApproval, ApprovalItem::kEia, ApprovalItem::kOther,
                                               ApprovalItem::kLand}));
  std::vector<std::string> document_no, first, second;
  for (uint32_t id : c.document_no) document_no.emplace_back(l->text(id));
  for (uint32_t id : l->extras(Table::kApprovals)[0].values) first.emplace_back(l->text(id));
  for (uint32_t id : l->extras(Table::kApprovals)[1].values) second.emplace_back(l->text(id));
  EXPECT_EQ(document_no, (std::vector<std::string>{"文2", "文3", "文5", "文6"}));
  EXPECT_EQ(first, (std::vector<std::string>{"张三", "李四", "王五", "赵六"}));
  EXPECT_EQ(second, (std::vector<std::string>{"a1", "a2", "", "b1"}));
}

// ColumnsAhead names the arrays the next rows go to: the columns sized ahead by the
// reserve, and not moved while the rows fit it; the pools' current chunks. Faulting
// them in ahead (what the column arrays' reader does while it waits) changes nothing
// of the ledger.
TEST(LedgerBuilder, ColumnsAheadAreWhereTheNextRowsGo) {
  LedgerBuilder b;
  b.ReserveRows(Table::kProjects, 1000);
  b.ReserveMonthly(5000);
  using Columns = std::vector<LedgerBuilder::ColumnMemory>;
  // Every array as the reserve made it; none overlaps another; all faulted in.
  auto check = [](const Columns& cols) {
    std::vector<std::pair<uintptr_t, uintptr_t>> ranges;
    for (const LedgerBuilder::ColumnMemory& c : cols) {
      if (c.capacity == 0) continue;  // a pool with no chunk yet
      EXPECT_NE(c.data, 0u);
      EXPECT_TRUE(c.element_bytes >= 1 && c.element_bytes <= 16) << c.element_bytes;
      EXPECT_LE(c.size, c.capacity);
      EXPECT_GE(c.per_row, 1u);
      ranges.emplace_back(c.data, c.data + c.capacity * c.element_bytes);
      internal::PrefaultForWrite(c.data, c.data + c.capacity * c.element_bytes);
    }
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i) EXPECT_LE(ranges[i - 1].second, ranges[i].first);
  };
  auto sizes = [](const Columns& cols) {
    std::vector<size_t> out;
    for (const LedgerBuilder::ColumnMemory& c : cols) out.push_back(c.size);
    return out;
  };
  Columns projects, monthly, after;
  b.ColumnsAhead(Table::kProjects, &projects);
  EXPECT_GT(projects.size(), 20u);  // the fields' columns, the key's, the bookkeeping, the pools
  check(projects);
  b.ColumnsAhead(Table::kMonthly, &monthly);
  // A slot's investment, funds, reported, progress, line, problems and flags; its
  // extra cells' row only when monthly rows have extra columns.
  EXPECT_EQ(monthly.size(), 7u);
  b.SetExtraHeaders(Table::kMonthly, {"填报人"});
  b.ColumnsAhead(Table::kMonthly, &monthly);
  EXPECT_EQ(monthly.size(), 8u);
  EXPECT_EQ(sizes(monthly), std::vector<size_t>(8, 0));
  check(monthly);
  for (const LedgerBuilder::ColumnMemory& c : monthly) EXPECT_GE(c.capacity, 5000u);
  b.ColumnsAhead(Table::kFunding, &after);  // held until Build: nothing to fault in ahead
  EXPECT_TRUE(after.empty());

  for (int p = 0; p < 3; ++p) ASSERT_TRUE(b.AddProject(Started("P" + std::to_string(p), p + 2)));
  b.ColumnsAhead(Table::kProjects, &after);
  ASSERT_EQ(after.size(), projects.size());
  size_t columns = 0;  // of an element a project: sized by the reserve, and not moved
  for (size_t i = 0; i < after.size(); ++i) {
    if (after[i].size != 3) continue;  // a pool's (its id 0 is the empty string)
    ++columns;
    EXPECT_EQ(after[i].data, projects[i].data) << i;
    EXPECT_GE(after[i].capacity, 1000u) << i;
  }
  EXPECT_GT(columns, 20u);
  check(after);
  ASSERT_TRUE(b.AddMonthly(Month_("P1", 2024, 1, "5", 2)));
  ASSERT_TRUE(b.AddMonthly(Month_("P1", 2024, 2, "7.5", 3)));
  b.ColumnsAhead(Table::kMonthly, &after);
  ASSERT_EQ(after.size(), monthly.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].data, monthly[i].data) << i;  // the reserve held
    EXPECT_GE(after[i].size, 2u) << i;               // the slots given values so far
  }

  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->size(), 3u);
  EXPECT_EQ(l->name(2), "项目P2");
  EXPECT_EQ(l->InvestmentThrough(1, Month::FromYm(2024, 2)), Wan("12.5").fen());
}

// Funding rows arriving out of order (project, then year, then source): each row's
// extra cell, currency and amounts as written go with it to its sorted place.
TEST(LedgerBuilder, FundingExtrasAndOriginalsFollowTheirRows) {
  LedgerBuilder b(BuildOptions{.fx_rates = {{"USD", "7.1"}, {"EUR", "7.8"}}});
  b.SetExtraHeaders(Table::kFunding, {"文号"});
  ASSERT_TRUE(b.AddProject(Started("A", 2)));
  ASSERT_TRUE(b.AddProject(Started("B", 3)));
  auto row = [](int64_t line, std::string code, int year, FundingSource source, std::string_view approved,
                std::string currency, std::string extra) {
    return FundingRecord{.line = line, .code = std::move(code), .year = year, .source = source,
                         .approved = Wan(approved), .currency = std::move(currency), .extras = {std::move(extra)}};
  };
  ASSERT_TRUE(b.AddFunding(row(2, "B", 2024, FundingSource::kForeign, "10", "EUR", "b-eur")));
  ASSERT_TRUE(b.AddFunding(row(3, "A", 2025, FundingSource::kCentralBudget, "1", "", "a-2025")));
  ASSERT_TRUE(b.AddFunding(row(4, "A", 2024, FundingSource::kForeign, "2", "USD", "a-usd")));
  ASSERT_TRUE(b.AddFunding(row(5, "A", 2024, FundingSource::kCentralBudget, "3", "CNY", "a-cny")));
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok()) << l.status();
  const internal::FundingColumns& f = keyproj::internal::Columns(*l).funding;
  EXPECT_EQ(f.row_begin, (std::vector<uint32_t>{0, 3, 4}));
  std::vector<std::string> extra, currency;
  for (uint32_t id : l->extras(Table::kFunding)[0].values) extra.emplace_back(l->text(id));
  for (uint32_t id : f.currency) currency.emplace_back(l->text(id));
  EXPECT_EQ(extra, (std::vector<std::string>{"a-cny", "a-usd", "a-2025", "b-eur"}));
  EXPECT_EQ(currency, (std::vector<std::string>{"", "USD", "", "EUR"}));
  EXPECT_EQ(f.approved, (std::vector<int64_t>{Wan("3").fen(), Wan("14.2").fen(), Wan("1").fen(), Wan("78").fen()}));
  EXPECT_EQ(f.original_row, (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(l->FundingOriginal(1)->approved, Wan("2").fen());
  EXPECT_EQ(l->FundingOriginal(3)->approved, Wan("10").fen());
  EXPECT_EQ(l->FundingOriginal(3)->requested, kNoMoney);
  EXPECT_FALSE(l->FundingOriginal(0));
  EXPECT_FALSE(l->FundingOriginal(2));
}

// A rejected project's approvals rows: one diagnostic listing their lines (lenient).
TEST(LedgerBuilder, RejectedProjectsApprovalsAreListedByLine) {
  LedgerBuilder b(BuildOptions{.lenient = true});
  ProjectRecord bad = Started("BAD", 2);
  bad.dates.started_on.reset();
  EXPECT_FALSE(b.AddProject(bad));
  EXPECT_FALSE(b.AddApproval(Approval("BAD", ApprovalItem::kLand, 2)));
  EXPECT_FALSE(b.AddApproval(Approval("BAD", ApprovalItem::kEia, 3)));
  EXPECT_FALSE(b.AddApproval(Approval("BAD", ApprovalItem::kOther, 7)));
  ASSERT_TRUE(std::move(b).Build().ok());
  EXPECT_TRUE(HasDiagnostic(b.diagnostics(), "approvals", 2, "code",
                            "3 rows of project 'BAD' not loaded (lines 2-3, 7): the project was rejected (projects:2)"))
      << Dump(b.diagnostics());
  EXPECT_EQ(b.diagnostics().size(), 2u) << Dump(b.diagnostics());
}

TEST(Ledger, ManyThreadsReadAtOnce) {
  LedgerBuilder b;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(b.AddProject(Started("P" + std::to_string(i), i + 2)));
  }
  std::vector<std::string> codes;
  for (int i = 0; i < 200; ++i) codes.push_back("P" + std::to_string(i));
  for (int i = 0; i < 200; ++i) {
    for (int m = 1; m <= 12; ++m) {
      MonthlyRecord r = Month_(codes[i], 2024, m, std::to_string(i), 2);
      ASSERT_TRUE(b.AddMonthly(r));
    }
  }
  absl::StatusOr<Ledger> l = std::move(b).Build();
  ASSERT_TRUE(l.ok());
  const Ledger& ledger = *l;
  std::vector<int64_t> totals(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 50; ++rep) {
        int64_t sum = 0;
        for (const std::string& c : codes) {
          sum += ledger.InvestmentThrough(*ledger.FindProject(c), Month::FromYm(2024, 12));
        }
        totals[t] = sum;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  // sum over i of 12 * i 万元 = 12 * 19900 万元
  for (int64_t t : totals) EXPECT_EQ(t, Wan("238800").fen());
}

}  // namespace
}  // namespace keyproj
