// The differential test: the standard dashboard as the library's report flow
// computes it (MakeReport, what the CLI, the C ABI and Python call) equals the same
// dashboard written as SQL on SQLite (bench/sql_dashboard.h, from the definitions
// of indicators.md), value for value, on many generated ledgers and report dates.
//
// Each case is one ledger (seed, size, dense or realistic, extra columns, USD rate,
// the generator's as_of and window); for each of its report dates the report is made
// with three tables -- by category, by county and the whole scope alone -- and every
// indicator of every row is compared with the SQL's (counts and money exactly, rates
// as fractions). The dates: the ledger's own as_of, the default (the end of the
// latest month with figures), a month end, a mid-month day, 31 January of this year
// and the last, the end of February, a day before any monthly row, and a month end
// after the ledger's as_of.
//
// A difference fails naming the ledger, the date, the grouping, the indicator, the
// group and both values. To keep the test from passing on data that exercise
// nothing, each case also checks that every indicator was non-zero in some row
// (and that those its ledger leaves zero by design are zero in all).
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../bench/sql_dashboard.h"
#include "gtest/gtest.h"
#include "keyproj/date.h"
#include "keyproj/engine.h"
#include "keyproj/generator.h"
#include "keyproj/indicators.h"
#include "keyproj/internal/text.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"
#include "keyproj/value.h"

namespace keyproj {
namespace {

using ::keyproj::bench::CompareDashboard;
using ::keyproj::bench::DashboardStatement;
using ::keyproj::bench::SqlDb;
using ::keyproj::bench::SqlRow;
using ::keyproj::internal::Cat;

Date Ymd(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

struct LedgerCase {
  uint64_t seed;
  uint64_t projects;
  bool dense = false;
  bool extra_columns = true;
  std::string usd_rate = "7.1";
  Date as_of = Ymd(2024, 9, 30);  // the generator's
  int first_year = 0;              // 0: the year before as_of's
  int months = 24;
  // Indicators this ledger leaves zero or n/a on every date by construction (a
  // dense ledger completes nothing; a window of this year only has no year
  // before). The test checks they are, and that every other indicator is not.
  std::vector<std::string_view> zero_by_design = {};
  // The ledger has a county whose projects are all cancelled by its as_of: a row
  // of no live projects (the test checks that there is one).
  bool all_cancelled_group = false;
};

GeneratorOptions OptionsOf(const LedgerCase& c) {
  GeneratorOptions o;
  o.seed = c.seed;
  o.projects = c.projects;
  o.dense = c.dense;
  o.extra_columns = c.extra_columns;
  o.usd_rate = c.usd_rate;
  o.as_of = c.as_of;
  o.first_year = c.first_year;
  o.months = c.months;
  return o;
}

// What a failure message starts with: enough to generate the same ledger again.
std::string Describe(const LedgerCase& c) {
  return Cat("seed ", c.seed, ", ", c.projects, " projects, ", c.dense ? "dense" : "realistic",
             c.extra_columns ? ", extra columns" : ", no extra columns", ", usd_rate '", c.usd_rate,
             "', generated as of ", c.as_of.ToString(), ", first_year ", c.first_year, ", months ", c.months);
}

void PrintTo(const LedgerCase& c, std::ostream* os) { *os << Describe(c); }

// Sizes from 50 to 3000, dense and realistic, with the generator's date and window
// moved about: a mid-month as_of, a year end, January, a leap day, a window of this
// year only (no comparable months a year earlier), a long window, and one that ends
// long before as_of.
std::vector<LedgerCase> Cases() {
  const std::vector<std::string_view> dense_zero = {"completed"};
  std::vector<LedgerCase> cases = {
    {.seed = 1, .projects = 50},
    {.seed = 2, .projects = 50, .dense = true, .zero_by_design = dense_zero},
    {.seed = 17, .projects = 137, .extra_columns = false, .usd_rate = ""},
    {.seed = 23, .projects = 400, .as_of = Ymd(2025, 3, 14)},
    {.seed = 31, .projects = 400, .dense = true, .as_of = Ymd(2024, 12, 31), .zero_by_design = dense_zero},
    {.seed = 47, .projects = 1000},
    {.seed = 59, .projects = 1000, .dense = true, .extra_columns = false, .zero_by_design = dense_zero},
    {.seed = 71, .projects = 1000, .usd_rate = "6.8345", .as_of = Ymd(2024, 1, 31)},
    {.seed = 89, .projects = 2000, .as_of = Ymd(2024, 6, 20), .first_year = 2021, .months = 48},
    {.seed = 97, .projects = 3000},
    {.seed = 101, .projects = 3000, .dense = true, .as_of = Ymd(2025, 2, 28), .zero_by_design = dense_zero},
    {.seed = 113, .projects = 3000, .usd_rate = "", .as_of = Ymd(2026, 11, 7)},
    {.seed = 127, .projects = 257, .as_of = Ymd(2024, 8, 31), .first_year = 2024, .months = 12,
     .zero_by_design = {"investment_prev_ytd", "yoy_growth"}},
    {.seed = 131, .projects = 700, .dense = true, .as_of = Ymd(2024, 2, 29), .zero_by_design = dense_zero},
    {.seed = 137, .projects = 1500, .extra_columns = false},
    {.seed = 149, .projects = 75, .dense = true, .months = 6, .zero_by_design = dense_zero},
    {.seed = 500, .projects = 30, .all_cancelled_group = true},
  };
  // And random ones: seed, size (50 .. 3000, more small than large), dense or not,
  // extra columns, USD rate and the generator's as_of (any day of 2023 .. 2026),
  // from a fixed PRNG, so a failure names a ledger that can be made again.
  std::mt19937_64 rng(20261203);  // mt19937_64's output is fixed by the standard
  const std::string_view rates[] = {"7.1", "", "6.8345", "7.2"};
  for (int i = 0; i < 32; ++i) {
    LedgerCase c{.seed = 1000 + rng() % 1'000'000, .projects = 0};
    const uint64_t r = rng();
    c.projects = r % 3 == 0 ? 50 + r / 3 % 250 : 300 + r / 3 % 2700;
    c.dense = rng() % 3 == 0;
    c.extra_columns = rng() % 2 == 0;
    c.usd_rate = std::string(rates[rng() % 4]);
    c.as_of = Date::FromDays(Ymd(2023, 1, 1).days() + static_cast<int32_t>(rng() % (4 * 365)));
    if (c.dense) c.zero_by_design = dense_zero;
    cases.push_back(std::move(c));
  }
  return cases;
}

// A report date to check, and what it is (for messages). Unset: MakeReport's
// default, the end of the latest month with figures.
struct AsOf {
  std::string what;
  std::optional<Date> date;
};

std::vector<AsOf> DatesFor(const LedgerCase& c) {
  const Month last = Month::Of(c.as_of);
  const int window_first_year = c.first_year != 0 ? c.first_year : c.as_of.year() - 1;
  const Date before_rows = Ymd(window_first_year - 1, 6, 15);
  return {
      {"the ledger's as_of", c.as_of},
      {"the default (the latest month's end)", std::nullopt},
      {"a month end", (last - 4).last_day()},
      {"a mid-month day", Ymd((last - 2).year(), (last - 2).month(), 15)},
      {"31 January", Ymd(c.as_of.year(), 1, 31)},
      {"31 January a year earlier", Ymd(c.as_of.year() - 1, 1, 31)},
      {"the end of February", Month::FromYm(c.as_of.year(), 2).last_day()},
      {"a day before any monthly row", before_rows},
      {"a month end after the ledger's as_of", (last + 2).last_day()},
  };
}

class SqlDifferential : public ::testing::TestWithParam<LedgerCase> {};

TEST_P(SqlDifferential, StandardDashboardEqualsSql) {
  const LedgerCase& c = GetParam();
  const std::string ledger_text = Describe(c);
  absl::StatusOr<Ledger> ledger = GenerateLedger(OptionsOf(c));
  ASSERT_TRUE(ledger.ok()) << ledger_text << ": " << ledger.status();
  absl::StatusOr<std::unique_ptr<SqlDb>> db = SqlDb::OpenInMemory();
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<bench::SqlLoaded> loaded = bench::LoadSqlite(*ledger, **db);
  ASSERT_TRUE(loaded.ok()) << ledger_text << ": " << loaded.status();
  ASSERT_GT(loaded->monthly_rows, 0u) << ledger_text;

  const std::span<const std::string_view> dashboard = StandardDashboard();
  // Rows (of any date and grouping) where each indicator was applicable and not zero.
  std::map<std::string_view, int> nonzero;
  int rows_compared = 0;
  int groups_without_live_projects = 0;

  const std::vector<AsOf> dates = DatesFor(c);
  for (size_t di = 0; di < dates.size(); ++di) {
    const AsOf& when = dates[di];
    if (when.what == "a day before any monthly row") {
      // Guards the case's meaning: the window starts after this date.
      const int window_first_year = c.first_year != 0 ? c.first_year : c.as_of.year() - 1;
      ASSERT_LT(*when.date, Ymd(window_first_year, 1, 1)) << ledger_text;
    }
    ReportRequest request;
    request.as_of = when.date;
    request.groupings = {{Dimension::kCategory}, {Dimension::kCounty}, {}};
    // Both the one-thread pass and the threaded one (which the engine may narrow
    // to one on a small ledger).
    request.options.threads = di % 2 == 0 ? 1 : 0;
    absl::StatusOr<Report> report = MakeReport(*ledger, request);
    ASSERT_TRUE(report.ok()) << ledger_text << ", as_of " << when.what << ": " << report.status();
    ASSERT_EQ(report->tables.size(), 3u);
    const Date as_of = report->query.as_of;
    const std::string date_text = Cat("as_of ", as_of.ToString(), " (", when.what, ")");

    std::vector<SqlRow> by_category;
    for (size_t t = 0; t < report->tables.size(); ++t) {
      const Result& kp = report->tables[t].result;
      std::vector<SqlRow> sql;
      std::string grouping;
      if (t < 2) {
        const Dimension by = t == 0 ? Dimension::kCategory : Dimension::kCounty;
        grouping = Cat("by ", DimensionId(by));
        ASSERT_EQ(kp.group_by, std::vector<Dimension>{by});
        absl::StatusOr<std::unique_ptr<DashboardStatement>> stmt = DashboardStatement::Prepare(**db, by, as_of);
        ASSERT_TRUE(stmt.ok()) << stmt.status();
        const absl::Status run = (*stmt)->Run(sql);
        ASSERT_TRUE(run.ok()) << ledger_text << ", " << date_text << ", " << grouping << ": " << run;
        if (t == 0) by_category = sql;
      } else {
        // The whole scope alone: the SQL's whole-scope row.
        grouping = "the whole scope, ungrouped";
        ASSERT_TRUE(kp.group_by.empty());
        for (const SqlRow& r : by_category) {
          if (r.total) sql.push_back(r);
        }
      }
      ASSERT_EQ(kp.as_of, as_of);
      const std::vector<std::string> diffs = CompareDashboard(kp, sql);
      for (size_t i = 0; i < diffs.size() && i < 20; ++i) {
        ADD_FAILURE() << ledger_text << "; " << date_text << "; " << grouping << ": " << diffs[i];
      }
      if (diffs.size() > 20) ADD_FAILURE() << "... and " << diffs.size() - 20 << " more differences";
      rows_compared += static_cast<int>(kp.rows.size());
      for (const ResultRow& row : kp.rows) {
        if (!row.group.empty() && row.values[static_cast<size_t>(kp.column("projects"))].num() == 0) {
          ++groups_without_live_projects;
        }
        for (std::string_view id : dashboard) {
          const int k = kp.column(id);
          ASSERT_GE(k, 0) << id;
          const Value& v = row.values[static_cast<size_t>(k)];
          if (v.applicable() && v.num() != 0) ++nonzero[id];
        }
      }
    }
  }
  if (c.all_cancelled_group) {
    EXPECT_GT(groups_without_live_projects, 0) << ledger_text << ": no group of cancelled projects only";
  }
  // Every indicator was compared on something other than zero somewhere, but for
  // those the case leaves zero by design, which must be (else the case does not
  // test what it says).
  for (std::string_view id : dashboard) {
    if (std::find(c.zero_by_design.begin(), c.zero_by_design.end(), id) != c.zero_by_design.end()) {
      EXPECT_EQ(nonzero[id], 0) << ledger_text << ": " << id << " should be zero or n/a by design, but is not in "
                                << nonzero[id] << " rows";
      continue;
    }
    EXPECT_GT(nonzero[id], 0) << ledger_text << ": " << id << " was zero or n/a in all " << rows_compared
                              << " rows compared, so its comparison proved nothing";
  }
}

INSTANTIATE_TEST_SUITE_P(Ledgers, SqlDifferential, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<LedgerCase>& info) {
                           const LedgerCase& c = info.param;
                           return Cat("seed", c.seed, "_", c.projects, c.dense ? "_dense" : "_realistic");
                         });

}  // namespace
}  // namespace keyproj
