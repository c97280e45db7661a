// The synthetic ledger generator, the CSV writer and ledger comparison: determinism,
// realism (every indicator has data to count), and the round trip
// generate -> WriteCsvLedger -> LoadCsvLedger -> the same ledger.
#include "keyproj/generator.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "keyproj/internal/civil_days.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/csv_writer.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/internal/ledger_compare.h"
#include "keyproj/internal/project_fields.h"

namespace keyproj {

using ::keyproj::internal::kHasRow;
using ::keyproj::internal::kInvestmentKnown;
using ::keyproj::internal::kFundsKnown;
using ::keyproj::internal::DescribeLedgerDifference;
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

// The default 1500-project ledger, generated once for the realism checks.
const Ledger& Sample() {
  static const Ledger* ledger = [] {
    absl::StatusOr<Ledger> l = GenerateLedger(GeneratorOptions{});
    if (!l.ok()) {
      ADD_FAILURE() << l.status();
      return new Ledger();
    }
    return new Ledger(*std::move(l));
  }();
  return *ledger;
}

// A fresh temporary folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            (std::string("keyproj_gen_") + info->test_suite_name() + "_" + info->name() + "_" +
             std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

LoadOptions LoadOptionsFor(const GeneratorOptions& g) {
  LoadOptions o;
  o.encoding = Encoding::kAuto;
  if (!g.usd_rate.empty()) o.fx_rates.emplace_back("USD", g.usd_rate);
  return o;
}

std::string Dump(const Diagnostics& ds, size_t max = 20) {
  std::string out;
  for (size_t i = 0; i < ds.size() && i < max; ++i) out += ds[i].ToString() + "\n";
  return out;
}

// ---- determinism -------------------------------------------------------------

TEST(Generator, SameSeedSameLedger) {
  GeneratorOptions o;
  o.projects = 600;
  o.seed = 42;
  absl::StatusOr<Ledger> a = GenerateLedger(o);
  absl::StatusOr<Ledger> b = GenerateLedger(o);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->size(), 600u);
  EXPECT_EQ(DescribeLedgerDifference(*a, *b), "");
}

TEST(Generator, DifferentSeedsDiffer) {
  GeneratorOptions o;
  o.projects = 200;
  absl::StatusOr<Ledger> a = GenerateLedger(o);
  o.seed = 2;
  absl::StatusOr<Ledger> b = GenerateLedger(o);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string diff = DescribeLedgerDifference(*a, *b);
  EXPECT_THAT(diff, HasSubstr("project "));
  EXPECT_THAT(diff, HasSubstr("more differences"));
}

// Each project has its own random stream: more projects leave the first ones as
// they were.
TEST(Generator, ProjectsDoNotDependOnLaterOnes) {
  GeneratorOptions o;
  o.projects = 100;
  absl::StatusOr<Ledger> small = GenerateLedger(o);
  o.projects = 300;
  absl::StatusOr<Ledger> big = GenerateLedger(o);
  ASSERT_TRUE(small.ok() && big.ok());
  for (uint32_t p = 0; p < 100; ++p) {
    ASSERT_EQ(small->code(p), big->code(p));
    ASSERT_EQ(small->name(p), big->name(p));
    ASSERT_EQ(keyproj::internal::Columns(*small).projects.stage[p], keyproj::internal::Columns(*big).projects.stage[p]);
    ASSERT_EQ(small->InvestmentThrough(p, Month::FromYm(2024, 9)),
              big->InvestmentThrough(p, Month::FromYm(2024, 9)));
  }
}

// Golden values pin the PRNG and the arithmetic: a change here changes every
// generated ledger (sample data, benchmarks), so it must be deliberate.
TEST(Generator, GoldenFingerprint) {
  const Ledger& l = Sample();
  ASSERT_EQ(l.size(), 1500u);
  MoneySum total;
  for (uint32_t p = 0; p < l.size(); ++p) total += l.InvestmentThrough(p, Month::FromYm(2024, 9));
  // Printed so that a deliberate change can update the expectations below.
  std::printf("fingerprint: code[0]=%s slots=%zu investment=%s funding=%zu plans=%zu problems=%zu\n",
              std::string(l.code(0)).c_str(), keyproj::internal::Columns(l).monthly.flags.size(), total.ToWanString().c_str(),
              keyproj::internal::Columns(l).funding.project.size(), keyproj::internal::Columns(l).plans.project.size(), keyproj::internal::Columns(l).problems.project.size());
  EXPECT_EQ(l.code(0), "2024-610403-05-01-5YC1JU");
  EXPECT_EQ(keyproj::internal::Columns(l).monthly.flags.size(), 10401u);
  EXPECT_EQ(total.ToWanString(), "28310084.410217");
  EXPECT_EQ(keyproj::internal::Columns(l).funding.project.size(), 1672u);
  EXPECT_EQ(keyproj::internal::Columns(l).plans.project.size(), 2848u);
  EXPECT_EQ(keyproj::internal::Columns(l).problems.project.size(), 215u);
  // What came later (a stream of its own per project, so the values above stayed).
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;
  const auto known = [](const std::vector<int32_t>& days) {
    return std::count_if(days.begin(), days.end(), [](int32_t d) { return d != kNoDay; });
  };
  std::printf("fingerprint: approvals=%zu intended=%td operating=%td\n",
              keyproj::internal::Columns(l).approvals.project.size(), known(c.intended_on), known(c.operating_on));
  EXPECT_EQ(keyproj::internal::Columns(l).approvals.project.size(), 7240u);
  EXPECT_EQ(known(c.intended_on), 446);
  EXPECT_EQ(known(c.operating_on), 110);
}

TEST(Generator, DenseReportsEveryMonth) {
  GeneratorOptions o;
  o.projects = 300;
  o.dense = true;
  absl::StatusOr<Ledger> l = GenerateLedger(o);
  ASSERT_TRUE(l.ok()) << l.status();
  // 21 months (2023-01..2024-09) per project, less the odd missing report.
  EXPECT_GT(keyproj::internal::Columns(*l).monthly.flags.size(), 300u * 20);
  for (uint32_t p = 0; p < l->size(); ++p) EXPECT_EQ(keyproj::internal::Columns(*l).projects.stage[p], Stage::kStarted);
  EXPECT_GT(keyproj::internal::Columns(*l).approvals.project.size(), 300u * 2);  // started: most have approvals
}

TEST(Generator, RejectsBadOptions) {
  GeneratorOptions o;
  o.months = 0;
  EXPECT_EQ(GenerateLedger(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = {};
  o.first_year = 2030;
  EXPECT_EQ(GenerateLedger(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = {};
  o.usd_rate = "seven";
  EXPECT_EQ(GenerateLedger(o).status().code(), absl::StatusCode::kInvalidArgument);
  // The rate is read as the builder reads --fx (CheckFxRate): up to 12 places.
  for (const char* rate : {"7.1", "0.92", "7.123456789012", "7.1234567890123", "0", "-7", "7,1", " 7.1"}) {
    o = {};
    o.projects = 3;
    o.usd_rate = rate;
    EXPECT_EQ(ValidateGeneratorOptions(o).ok(), CheckFxRate("USD", rate).ok()) << rate;
  }
  o = {};
  o.projects = 0;
  absl::StatusOr<Ledger> empty = GenerateLedger(o);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->size(), 0u);
}

TEST(Generator, WindowFollowsOptions) {
  GeneratorOptions o;
  o.projects = 300;
  o.as_of = D(2024, 12, 31);
  absl::StatusOr<Ledger> l = GenerateLedger(o);
  ASSERT_TRUE(l.ok()) << l.status();
  Month lo = Month::FromYm(9999, 1), hi = Month::FromYm(1900, 1);
  for (uint32_t p = 0; p < l->size(); ++p) {
    if (auto r = l->months(p)) {
      lo = std::min(lo, r->first);
      hi = std::max(hi, r->last);
    }
  }
  EXPECT_EQ(lo, Month::FromYm(2023, 1));
  EXPECT_EQ(hi, Month::FromYm(2024, 12));  // 24 months

  o.first_year = 2024;
  o.months = 6;
  l = GenerateLedger(o);
  ASSERT_TRUE(l.ok()) << l.status();
  for (uint32_t p = 0; p < l->size(); ++p) {
    if (auto r = l->months(p)) {
      EXPECT_GE(r->first, Month::FromYm(2024, 1));
      EXPECT_LE(r->last, Month::FromYm(2024, 6));
    }
  }
}

// ---- realism: every indicator has something to count --------------------------

TEST(GeneratorRealism, RegionsAndClassification) {
  const Ledger& l = Sample();
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;
  std::set<int32_t> counties, cities;
  std::set<Category> categories;
  std::set<Level> levels;
  std::set<BuildType> build_types;
  std::set<char> sections;
  std::set<Sector> sectors;
  int industrial = 0, unknown_industry = 0, empty_region = 0;
  for (uint32_t p = 0; p < l.size(); ++p) {
    ASSERT_EQ(c.region[p] / 10000, 61) << l.code(p);
    counties.insert(c.region[p]);
    cities.insert(c.region[p] / 100);
    categories.insert(c.category[p]);
    levels.insert(c.level[p]);
    build_types.insert(c.build_type[p]);
    if (c.industry[p].known()) {
      sections.insert(c.industry[p].section);
      sectors.insert(SectorOf(c.industry[p]));
      industrial += IsIndustrial(c.industry[p]);
    } else {
      ++unknown_industry;
    }
  }
  EXPECT_EQ(counties.size(), 24u);
  EXPECT_EQ(cities.size(), 3u);
  EXPECT_EQ(categories.size(), 8u);
  EXPECT_FALSE(categories.contains(Category::kUnknown));
  EXPECT_EQ(levels.size(), 4u);
  EXPECT_FALSE(levels.contains(Level::kUnknown));
  EXPECT_EQ(build_types.size(), 2u);
  EXPECT_GE(sections.size(), 14u);
  EXPECT_EQ(sectors.size(), 3u);
  EXPECT_GT(industrial, 200);
  EXPECT_GT(unknown_industry, 0);
  (void)empty_region;
}

TEST(GeneratorRealism, ProjectCodes) {
  const Ledger& l = Sample();
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;
  int forms[3] = {0, 0, 0};
  for (uint32_t p = 0; p < l.size(); ++p) {
    ++forms[static_cast<int>(c.code_form[p])];
    absl::StatusOr<ProjectCodeInfo> info = ParseProjectCode(l.code(p));
    ASSERT_TRUE(info.ok()) << info.status();
    if (c.code_form[p] == ProjectCodeForm::kLegacy) {
      EXPECT_LE(c.code_year[p], 2019);
    }
    if (c.code_form[p] == ProjectCodeForm::kUnified) {
      EXPECT_GE(c.code_year[p], 2020);
    }
    if (c.code_form[p] != ProjectCodeForm::kLocal) {
      EXPECT_EQ(info->region, c.region[p]);
    }
  }
  EXPECT_GT(forms[0], 30);   // local ids
  EXPECT_GT(forms[1], 30);   // older form
  EXPECT_GT(forms[2], 500);  // GB/T 40058
}

TEST(GeneratorRealism, StagesAndDates) {
  const Ledger& l = Sample();
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;
  const int32_t as_of = D(2024, 9, 30).days();
  const int32_t jan = D(2024, 1, 1).days();
  std::set<Stage> stages;
  int reserved_ytd = 0, started_ytd = 0, completed_ytd = 0, signed_ytd = 0, reserve = 0;
  int performed = 0, late = 0, due_unstarted = 0, planned_due_unstarted = 0;
  for (uint32_t p = 0; p < l.size(); ++p) {
    const Stage s = c.stage[p];
    stages.insert(s);
    const StageDates d = internal::StageDatesOf(c, p, [](int32_t) { return true; });
    const bool attracted = c.attracted[p] == Attracted::kYes;
    EXPECT_THAT(CheckStageDates(s, d, attracted), IsEmpty()) << l.code(p);
    for (int32_t v : {c.reserved_on[p], c.signed_on[p], c.started_on[p], c.completed_on[p],
                      c.suspended_on[p], c.cancelled_on[p], c.intended_on[p], c.operating_on[p]}) {
      if (v != kNoDay) {
        EXPECT_LE(v, as_of) << l.code(p);
      }
    }
    reserved_ytd += c.reserved_on[p] != kNoDay && c.reserved_on[p] >= jan;
    started_ytd += c.started_on[p] != kNoDay && c.started_on[p] >= jan;
    completed_ytd += c.completed_on[p] != kNoDay && c.completed_on[p] >= jan;
    signed_ytd += c.signed_on[p] != kNoDay && c.signed_on[p] >= jan;
    reserve += s == Stage::kConceived || s == Stage::kReserved || s == Stage::kPreliminary;
    if (s == Stage::kSigned) {
      EXPECT_NE(c.signed_on[p], kNoDay);
    }
    if (attracted && c.started_on[p] != kNoDay) {
      EXPECT_NE(c.signed_on[p], kNoDay) << l.code(p);
      EXPECT_NE(c.contracted_investment[p], kNoMoney) << l.code(p);
      EXPECT_NE(c.investor[p], 0u) << l.code(p);
    }
    if (c.start_due[p] != kNoDay && c.start_due[p] <= as_of) {
      if (c.started_on[p] == kNoDay) ++due_unstarted;
      else if (c.started_on[p] <= c.start_due[p]) ++performed;
      else ++late;
    }
    if (c.planned_start[p] != kNoDay && c.planned_start[p] <= as_of && c.started_on[p] == kNoDay) {
      ++planned_due_unstarted;
    }
  }
  for (Stage s : {Stage::kConceived, Stage::kReserved, Stage::kPreliminary, Stage::kSigned,
                  Stage::kStarted, Stage::kCompleted, Stage::kOperating, Stage::kSuspended,
                  Stage::kCancelled}) {
    EXPECT_TRUE(stages.contains(s)) << EnumId(s);
  }
  EXPECT_GT(reserved_ytd, 50);
  EXPECT_GT(started_ytd, 100);
  EXPECT_GT(completed_ytd, 20);
  EXPECT_GT(signed_ytd, 30);
  EXPECT_GT(reserve, 150);
  // 履约: most attracted projects started by their due date, some late, some not yet.
  EXPECT_GT(performed, 4 * late);
  EXPECT_GT(late, 5);
  EXPECT_GT(due_unstarted, 3);
  EXPECT_GT(planned_due_unstarted, 20);
}

// 招商 dates: most attracted projects had an intention before signing, some signed
// with none on record, some intentions not signed (yet); part of the operating
// projects say when production began, mostly after completion, a few before it
// (trial production), after the start always.
TEST(GeneratorRealism, FunnelDates) {
  const Ledger& l = Sample();
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;
  int signed_intended = 0, signed_without = 0, intended_unsigned = 0;
  int operating = 0, operating_dated = 0, after_completion = 0, trial = 0;
  for (uint32_t p = 0; p < l.size(); ++p) {
    if (c.attracted[p] != Attracted::kYes) {
      EXPECT_EQ(c.intended_on[p], kNoDay) << l.code(p);
    } else if (c.signed_on[p] != kNoDay) {
      if (c.intended_on[p] != kNoDay) {
        ++signed_intended;
        EXPECT_LT(c.intended_on[p], c.signed_on[p]) << l.code(p);
      } else {
        ++signed_without;
      }
    } else {
      intended_unsigned += c.intended_on[p] != kNoDay;
    }
    if (c.stage[p] != Stage::kOperating) {
      EXPECT_EQ(c.operating_on[p], kNoDay) << l.code(p);
      continue;
    }
    ++operating;
    if (c.operating_on[p] == kNoDay) continue;
    ++operating_dated;
    EXPECT_GT(c.operating_on[p], c.started_on[p]) << l.code(p);
    if (c.operating_on[p] >= c.completed_on[p]) ++after_completion;
    else ++trial;
  }
  EXPECT_GT(signed_intended, 4 * signed_without);
  EXPECT_GT(signed_without, 10);
  EXPECT_GT(intended_unsigned, 10);
  EXPECT_GT(operating_dated, operating / 2);
  EXPECT_LT(operating_dated, operating);  // some say nothing (legacy ledgers)
  EXPECT_GT(after_completion, 3 * trial);
  EXPECT_GT(trial, 3);
}

// approvals.csv has each case the figures count: started projects with every
// item done before the start, with an item done after it (late), with one missing,
// with no construction permit by the start; projects not started with items done and
// items pending (some of those overdue); items not required; authorities and document
// numbers on the done items; no project in the conceived stage.
TEST(GeneratorRealism, Approvals) {
  const Ledger& l = Sample();
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;
  const internal::ApprovalColumns& a = keyproj::internal::Columns(l).approvals;
  const int32_t as_of = D(2024, 9, 30).days();
  ASSERT_EQ(a.row_begin.size(), l.size() + 1u);
  std::set<ApprovalItem> items;
  int all_before = 0, late = 0, missing = 0, no_permit = 0, started_with_rows = 0, started = 0;
  int unstarted_done = 0, unstarted_pending = 0, overdue = 0, not_required = 0, with_doc = 0, done_rows = 0;
  int industrial_energy = 0, other_energy = 0;
  for (uint32_t p = 0; p < l.size(); ++p) {
    const uint32_t b = a.row_begin[p], e = a.row_begin[p + 1];
    started += c.started_on[p] != kNoDay;
    if (b == e) continue;
    EXPECT_NE(c.stage[p], Stage::kConceived) << l.code(p);
    bool any_late = false, any_pending = false, any_done = false, permit_ok = true, has_permit = false;
    for (uint32_t i = b; i < e; ++i) {
      EXPECT_EQ(a.project[i], p);
      if (i > b) {
        EXPECT_LT(a.item[i - 1], a.item[i]) << l.code(p);  // sorted, one row an item here
      }
      items.insert(a.item[i]);
      not_required += a.required[i] == 0;
      if (a.item[i] == ApprovalItem::kEnergy) {
        (c.category[p] == Category::kIndustry ? industrial_energy : other_energy)++;
      }
      const int32_t done = a.done_on[i];
      if (done != kNoDay) {
        ++done_rows;
        any_done = true;
        EXPECT_LE(done, as_of) << l.code(p);
        if (c.reserved_on[p] != kNoDay) {
          EXPECT_GE(done, c.reserved_on[p]) << l.code(p);
        }
        EXPECT_NE(a.authority[i], 0u) << l.code(p);
        with_doc += a.document_no[i] != 0;
      } else {
        any_pending = true;
        EXPECT_EQ(a.document_no[i], 0u) << l.code(p);
        if (a.planned_on[i] != kNoDay && a.planned_on[i] < as_of && c.started_on[p] == kNoDay) ++overdue;
      }
      if (c.started_on[p] != kNoDay && done != kNoDay && done > c.started_on[p]) any_late = true;
      if (a.item[i] == ApprovalItem::kConstructionPermit) {
        has_permit = true;
        permit_ok = done != kNoDay && done <= c.started_on[p];
      }
    }
    if (c.started_on[p] != kNoDay) {
      ++started_with_rows;
      all_before += !any_late && !any_pending;
      late += any_late;
      missing += any_pending;
      no_permit += has_permit && !permit_ok;
    } else {
      unstarted_done += any_done;
      unstarted_pending += any_pending;
    }
  }
  EXPECT_EQ(items.size(), static_cast<size_t>(kApprovalItemCount));  // every item, other too
  EXPECT_GT(started_with_rows, started * 3 / 4);                      // most started projects
  EXPECT_GT(all_before, 2 * (late + missing));  // most got every item in time
  EXPECT_GT(late, 30);
  EXPECT_GT(missing, 30);
  EXPECT_GT(no_permit, 30);
  EXPECT_GT(unstarted_done, 100);
  EXPECT_GT(unstarted_pending, 100);
  EXPECT_GT(overdue, 50);
  EXPECT_GT(not_required, 50);
  EXPECT_GT(with_doc, done_rows * 8 / 10);
  EXPECT_GT(industrial_energy, 4 * other_energy / 3);
}

TEST(GeneratorRealism, MonthlyReports) {
  const Ledger& l = Sample();
  const internal::MonthlyColumns& m = keyproj::internal::Columns(l).monthly;
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;
  const Month as_of = Month::FromYm(2024, 9);
  int negative = 0, zero = 0, missing = 0, unknown = 0, late = 0, fine_decimals = 0;
  int with_problems = 0, stalled = 0, no_report_this_month = 0, funds = 0;
  int quoted_text = 0;
  for (uint32_t p = 0; p < l.size(); ++p) {
    const uint64_t b = m.slot_begin[p], e = m.slot_begin[p + 1];
    if (b == e) continue;
    EXPECT_NE(c.started_on[p], kNoDay) << l.code(p);
    const Month first = Month::FromIndex(m.first_month[p]);
    EXPECT_GE(first, Month::FromYm(2023, 1));
    EXPECT_GE(first, Month::Of(Date::FromDays(c.started_on[p])));
    EXPECT_LE(first + static_cast<int>(e - b - 1), as_of);
    for (uint64_t i = b; i < e; ++i) {
      if (!(m.flags[i] & kHasRow)) {
        ++missing;
        continue;
      }
      const int64_t inv = l.InvestmentIn(p, first + static_cast<int>(i - b));
      if (!(m.flags[i] & kInvestmentKnown)) ++unknown;
      else if (inv < 0) ++negative;
      else if (inv == 0) ++zero;
      if (inv % 10000 != 0) ++fine_decimals;
      if (m.flags[i] & kFundsKnown) ++funds;
      const Month month = first + static_cast<int>(i - b);
      if (m.reported_on[i] != kNoDay) {
        EXPECT_GE(m.reported_on[i], (month + 1).first_day().days());
        if (Date::FromDays(m.reported_on[i]) > *Date::FromYmd((month + 1).year(), (month + 1).month(), 20)) {
          ++late;
        }
      }
      with_problems += m.problems[i] != 0;
      const std::string_view text = l.text(m.progress[i]);
      quoted_text += text.find_first_of(",\"\n") != std::string_view::npos;
    }
    // Under way at as_of: zero investment in the last three months, or no report.
    const bool under_way = c.stage[p] == Stage::kStarted;
    if (under_way) {
      if (auto s = l.slot(p, as_of); !s || !(m.flags[*s] & kHasRow)) ++no_report_this_month;
      if (l.Investment(p, {as_of - 2, as_of}) == 0 && l.months(p)->last == as_of) ++stalled;
    }
  }
  EXPECT_GT(negative, 5);
  EXPECT_GT(zero, 50);
  EXPECT_GT(missing, 20);
  EXPECT_GT(unknown, 5);
  EXPECT_GT(late, 100);
  EXPECT_GT(fine_decimals, 10);
  EXPECT_GT(with_problems, 200);
  EXPECT_GT(stalled, 10);
  EXPECT_GT(no_report_this_month, 5);
  EXPECT_GT(funds, 1000);
  EXPECT_GT(quoted_text, 100);
}

TEST(GeneratorRealism, InvestmentGrowsAndFollowsPlans) {
  const Ledger& l = Sample();
  MoneySum ytd, prev_ytd, plan;
  int behind = 0, with_plan = 0;
  for (uint32_t p = 0; p < l.size(); ++p) {
    const int64_t y = l.Investment(p, {Month::FromYm(2024, 1), Month::FromYm(2024, 9)});
    ytd += y;
    prev_ytd += l.Investment(p, {Month::FromYm(2023, 1), Month::FromYm(2023, 9)});
    const int64_t pl = l.Plan(p, 2024);
    if (pl != kNoMoney) {
      plan += pl;
      ++with_plan;
      // More than 10 points behind a 75% schedule.
      if (keyproj::internal::Columns(l).projects.stage[p] == Stage::kStarted && static_cast<int128>(y) * 100 < static_cast<int128>(pl) * 65) {
        ++behind;
      }
    }
  }
  EXPECT_GT(ytd.fen(), 0);
  EXPECT_GT(prev_ytd.fen(), 0);
  EXPECT_GT(with_plan, 700);
  EXPECT_GT(behind, 20);
  // Plan completion of a realistic ledger: somewhere between 40% and 110% at September.
  EXPECT_GT(ytd.fen() * 100, plan.fen() * 40);
  EXPECT_LT(ytd.fen() * 100, plan.fen() * 110);
  // 三年滚动: plans for the next two years.
  std::set<int> years(keyproj::internal::Columns(l).plans.year.begin(), keyproj::internal::Columns(l).plans.year.end());
  EXPECT_TRUE(years.contains(2023));
  EXPECT_TRUE(years.contains(2025));
  EXPECT_TRUE(years.contains(2026));
}

TEST(GeneratorRealism, FundingProblemsBaseline) {
  const Ledger& l = Sample();
  const internal::FundingColumns& f = keyproj::internal::Columns(l).funding;
  std::set<FundingSource> sources;
  int usd = 0, higher_approved_this_year = 0, higher_approved_last_year = 0;
  for (size_t i = 0; i < f.project.size(); ++i) {
    sources.insert(f.source[i]);
    if (f.approved[i] != kNoMoney && f.requested[i] != kNoMoney) {
      EXPECT_LE(f.approved[i], f.requested[i]);
    }
    if (f.arrived[i] != kNoMoney) {
      ASSERT_NE(f.approved[i], kNoMoney);
      EXPECT_LE(f.arrived[i], f.approved[i]);
    }
    if (f.currency[i] != 0) {
      ++usd;
      EXPECT_EQ(l.text(f.currency[i]), "USD");
      ASSERT_TRUE(l.FundingOriginal(static_cast<uint32_t>(i)));
      EXPECT_NE(l.FundingOriginal(static_cast<uint32_t>(i))->requested, kNoMoney);
    }
    if (IsHigherLevel(f.source[i]) && f.approved[i] != kNoMoney && f.approved[i] > 0) {
      higher_approved_this_year += f.year[i] == 2024;
      higher_approved_last_year += f.year[i] == 2023;
    }
  }
  EXPECT_GE(sources.size(), 11u);
  EXPECT_GT(usd, 0);
  EXPECT_GT(higher_approved_this_year, 100);
  EXPECT_GT(higher_approved_last_year, 100);

  const internal::ProblemColumns& q = keyproj::internal::Columns(l).problems;
  const int32_t as_of = D(2024, 9, 30).days();
  int resolved = 0, overdue = 0, open = 0;
  for (size_t i = 0; i < q.project.size(); ++i) {
    if (q.resolved_on[i] != kNoDay) ++resolved;
    else if (q.due[i] < as_of) ++overdue;
    else ++open;
  }
  EXPECT_GT(resolved, 20);
  EXPECT_GT(overdue, 10);
  EXPECT_GT(open, 0);

  const internal::BaselineColumns& b = keyproj::internal::Columns(l).baseline;
  std::set<std::string_view> dims;
  for (size_t i = 0; i < b.month.size(); ++i) dims.insert(l.text(b.dimension[i]));
  EXPECT_TRUE(dims.contains("all"));
  EXPECT_TRUE(dims.contains("region"));
}

TEST(GeneratorRealism, TextColumns) {
  const Ledger& l = Sample();
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;
  int leaders = 0, tags = 0, extras = 0, quoted_names = 0;
  for (uint32_t p = 0; p < l.size(); ++p) {
    EXPECT_FALSE(l.name(p).empty());
    leaders += c.leader[p] != 0;
    tags += c.tag_begin[p + 1] > c.tag_begin[p];
    quoted_names += l.name(p).find_first_of(",\"") != std::string_view::npos;
  }
  ASSERT_EQ(l.extras(Table::kProjects).size(), 1u);
  for (uint32_t v : l.extras(Table::kProjects)[0].values) extras += v != 0;
  EXPECT_GT(leaders, 1200);
  EXPECT_LT(leaders, 1500);  // some over the threshold have no leader (未落实包抓领导)
  EXPECT_GT(tags, 400);
  EXPECT_GT(extras, 800);
  EXPECT_GT(quoted_names, 0);
}

// ---- the CSV writer ------------------------------------------------------------

TEST(CsvWriter, MoneyTextMatchesMoney) {
  const int64_t samples[] = {0, 1, -1, 10000, 1000000, -1000000, 123456789, -123450000,
                             999999, 100, 4200000000000, INT64_MAX, INT64_MIN + 1};
  for (int64_t v : samples) {
    std::string s;
    AppendWan(&s, v);
    EXPECT_EQ(s, Money::FromFen(v).ToWanString()) << v;
    Money back;
    ASSERT_EQ(Money::ParseWan(s, &back), MoneyParseError::kOk) << s;
    EXPECT_EQ(back.fen(), v);
  }
  uint64_t x = 12345;
  for (int i = 0; i < 100000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const int64_t v = static_cast<int64_t>(x) >> (x % 50);
    std::string s;
    AppendWan(&s, v);
    ASSERT_EQ(s, Money::FromFen(v).ToWanString()) << v;
  }
}

TEST(CsvWriter, CivilDaysMatchDate) {
  for (int32_t d = D(1900, 1, 1).days(); d < D(2101, 1, 1).days(); d += 1) {
    const YearMonthDay a = internal::civil::CivilFromDays(d);
    const YearMonthDay b = Date::FromDays(d).ymd();
    ASSERT_TRUE(a.year == b.year && a.month == b.month && a.day == b.day) << d;
    ASSERT_EQ(internal::civil::DaysFromCivil(a.year, a.month, a.day), d);
    char buf[16];
    ASSERT_EQ(std::string(buf, internal::civil::FormatDay(d, buf)), Date::FromDays(d).ToString());
  }
  EXPECT_EQ(internal::civil::AddMonths(D(2024, 1, 31).days(), 1), D(2024, 2, 29).days());
  EXPECT_EQ(internal::civil::AddMonths(D(2024, 3, 31).days(), -13), D(2023, 2, 28).days());
  EXPECT_EQ(internal::civil::FirstDayOfMonth(Month::FromYm(2024, 9).index()), D(2024, 9, 1).days());
  char buf[8];
  EXPECT_EQ(std::string(buf, internal::civil::FormatMonth(Month::FromYm(2024, 9).index(), buf)), "2024-09");
}

TEST(CsvWriter, QuotesWhatNeedsIt) {
  auto q = [](std::string_view s) {
    std::string out;
    AppendCsvField(&out, s);
    return out;
  };
  EXPECT_EQ(q("主体施工"), "主体施工");
  EXPECT_EQ(q(""), "");
  EXPECT_EQ(q("a,b"), "\"a,b\"");
  EXPECT_EQ(q("完成\"三通一平\""), "\"完成\"\"三通一平\"\"\"");
  EXPECT_EQ(q("1号楼\n2号楼"), "\"1号楼\n2号楼\"");
  EXPECT_EQ(q("a\r\nb"), "\"a\r\nb\"");
  EXPECT_EQ(q(" lead"), "\" lead\"");
}

// A small hand-made ledger for the writer's edge cases.
absl::StatusOr<Ledger> TinyLedger(std::vector<std::string> tags = {}) {
  LedgerBuilder b;
  ProjectRecord r;
  r.line = 2;
  r.code = "2024-610402-04-01-ABCDE1";
  r.name = "秦都区\"智慧城市\",一期";
  r.category = Category::kUrban;
  r.stage = Stage::kStarted;
  r.dates.started_on = D(2024, 3, 1);
  r.total_investment = Money::FromWan(5000);
  r.tags = std::move(tags);
  b.AddProject(std::move(r));
  MonthlyRecord m;
  m.line = 2;
  m.code = "2024-610402-04-01-ABCDE1";
  m.month = Month::FromYm(2024, 3);
  m.investment = *Money::ParseWan("12.345678");
  m.progress = "开工";
  b.AddMonthly(m);
  m.month = Month::FromYm(2024, 5);
  m.investment = *Money::ParseWan("-1.5");
  m.progress = "";
  b.AddMonthly(m);
  return std::move(b).Build();
}

TEST(CsvWriter, WritesOnlyTablesWithRows) {
  absl::StatusOr<Ledger> l = TinyLedger();
  ASSERT_TRUE(l.ok()) << l.status();
  absl::StatusOr<std::vector<CsvInput>> files = WriteCsvLedgerToMemory(*l);
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].name, "projects.csv");
  EXPECT_EQ((*files)[1].name, "monthly.csv");
  EXPECT_THAT((*files)[0].bytes, HasSubstr("\"秦都区\"\"智慧城市\"\",一期\""));
  EXPECT_THAT((*files)[0].bytes, HasSubstr(",610402,"));  // filled from the code
  EXPECT_THAT((*files)[0].bytes, Not(HasSubstr("annual_plan")));
  // Months with rows only; the gap month (April) has none. Exact money.
  EXPECT_EQ((*files)[1].bytes,
            "code,month,investment,funds_arrived,progress,problems,reported_on\n"
            "2024-610402-04-01-ABCDE1,2024-03,12.345678,,开工,,\n"
            "2024-610402-04-01-ABCDE1,2024-05,-1.50,,,,\n");
}

TEST(CsvWriter, ReplacesFilesAndRemovesStaleOnes) {
  TempDir dir;
  std::ofstream(dir.path() / "funding.csv") << "stale\n";
  std::ofstream(dir.path() / "notes.txt") << "mine\n";
  absl::StatusOr<Ledger> l = TinyLedger();
  ASSERT_TRUE(l.ok());
  ASSERT_TRUE(WriteCsvLedger(*l, dir.path()).ok());
  EXPECT_TRUE(fs::exists(dir.path() / "projects.csv"));
  EXPECT_TRUE(fs::exists(dir.path() / "monthly.csv"));
  EXPECT_FALSE(fs::exists(dir.path() / "funding.csv"));
  EXPECT_TRUE(fs::exists(dir.path() / "notes.txt"));  // not a ledger file: untouched
  for (const auto& e : fs::directory_iterator(dir.path())) {
    EXPECT_THAT(e.path().filename().string(), Not(HasSubstr(".tmp")));
  }
}

// Each file's temporary is created exclusively beside it (internal/file_io.h), so a
// file another writer is filling (here the name the writer itself once used) is
// never shared nor removed.
TEST(CsvWriter, TemporariesAreItsOwn) {
  TempDir dir;
  std::ofstream(dir.path() / ".projects.csv.tmp") << "another writer's\n";
  absl::StatusOr<Ledger> l = TinyLedger();
  ASSERT_TRUE(l.ok());
  ASSERT_TRUE(WriteCsvLedger(*l, dir.path()).ok());
  std::ifstream other(dir.path() / ".projects.csv.tmp");
  std::string line;
  ASSERT_TRUE(std::getline(other, line));
  EXPECT_EQ(line, "another writer's");
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 3u);  // projects.csv, monthly.csv and the other writer's file
}

TEST(CsvWriter, ErrorLeavesNoPartialFile) {
  absl::StatusOr<Ledger> l = TinyLedger({"新动能", "a;b"});
  ASSERT_TRUE(l.ok()) << l.status();
  TempDir dir;
  absl::Status s = WriteCsvLedger(*l, dir.path());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("a;b"));
  EXPECT_TRUE(fs::is_empty(dir.path()));

  // A folder that cannot be created.
  std::ofstream(dir.path() / "file") << "x";
  absl::Status s2 = WriteCsvLedger(*l, dir.path() / "file" / "sub");
  EXPECT_FALSE(s2.ok());
}

TEST(CsvWriter, ChineseHeadersAndGb18030) {
  absl::StatusOr<Ledger> l = TinyLedger();
  ASSERT_TRUE(l.ok());
  WriteOptions o;
  o.chinese_headers = true;
  o.encoding = Encoding::kGb18030;
  absl::StatusOr<std::vector<CsvInput>> files = WriteCsvLedgerToMemory(*l, o);
  ASSERT_TRUE(files.ok()) << files.status();
  const std::string& bytes = (*files)[0].bytes;
  EXPECT_NE(FindInvalidUtf8(bytes), std::string::npos);  // not UTF-8 any more
  absl::StatusOr<std::string> utf8 = Gb18030ToUtf8(bytes);
  ASSERT_TRUE(utf8.ok());
  EXPECT_THAT(*utf8, HasSubstr("项目代码,项目名称,"));
  EXPECT_THAT(*utf8, HasSubstr("总投资（万元）"));

  o = {};
  o.bom = true;
  o.crlf = true;
  files = WriteCsvLedgerToMemory(*l, o);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ((*files)[1].bytes.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_THAT((*files)[1].bytes, HasSubstr("reported_on\r\n"));
}

// ---- ledger comparison ---------------------------------------------------------

TEST(LedgerCompare, NamesFieldAndBothValues) {
  absl::StatusOr<Ledger> a = TinyLedger();
  absl::StatusOr<Ledger> b = TinyLedger({"新动能"});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(DescribeLedgerDifference(*a, *a), "");
  const std::string diff = DescribeLedgerDifference(*a, *b);
  EXPECT_THAT(diff, HasSubstr("project 2024-610402-04-01-ABCDE1: tags: '' vs '新动能;'"));
}

// approvals.csv is compared column by column: a round trip that lost or changed an
// approvals cell (or an extra of approvals.csv) is a difference.
TEST(LedgerCompare, ApprovalDifferences) {
  auto build = [](std::string_view authority, std::optional<Date> done, bool required, std::string extra,
                  bool second_row) {
    LedgerBuilder b;
    b.SetExtraHeaders(Table::kApprovals, {"经办人"});
    ProjectRecord r;
    r.line = 2;
    r.code = "A1";
    r.name = "甲";
    EXPECT_TRUE(b.AddProject(std::move(r)));
    ApprovalRecord a;
    a.line = 2;
    a.code = "A1";
    a.item = ApprovalItem::kLand;
    a.done_on = done;
    a.required = required;
    a.authority = std::string(authority);
    a.extras = {std::move(extra)};
    EXPECT_TRUE(b.AddApproval(a));
    if (second_row) {
      a.line = 3;
      a.item = ApprovalItem::kEia;
      EXPECT_TRUE(b.AddApproval(a));
    }
    absl::StatusOr<Ledger> l = std::move(b).Build();
    EXPECT_TRUE(l.ok()) << l.status();
    return *std::move(l);
  };
  const Ledger base = build("市自然资源和规划局", D(2024, 3, 1), true, "张三", false);
  EXPECT_EQ(DescribeLedgerDifference(base, build("市自然资源和规划局", D(2024, 3, 1), true, "张三", false)), "");
  EXPECT_EQ(DescribeLedgerDifference(base, build("市自然资源局", D(2024, 3, 1), true, "张三", false)),
            "approvals row 1 (A1 land): authority: '市自然资源和规划局' vs '市自然资源局'\n");
  EXPECT_EQ(DescribeLedgerDifference(base, build("市自然资源和规划局", std::nullopt, true, "张三", false)),
            "approvals row 1 (A1 land): done_on: 2024-03-01 vs (empty)\n");
  EXPECT_EQ(DescribeLedgerDifference(base, build("市自然资源和规划局", D(2024, 3, 1), false, "张三", false)),
            "approvals row 1 (A1 land): required: 1 vs 0\n");
  EXPECT_EQ(DescribeLedgerDifference(base, build("市自然资源和规划局", D(2024, 3, 1), true, "李四", false)),
            "approvals row 1: extra column '经办人': '张三' vs '李四'\n");
  EXPECT_THAT(DescribeLedgerDifference(base, build("市自然资源和规划局", D(2024, 3, 1), true, "张三", true)),
              HasSubstr("approvals rows: 1 vs 2"));
}

TEST(LedgerCompare, MonthlyDifferences) {
  GeneratorOptions o;
  o.projects = 50;
  absl::StatusOr<Ledger> a = GenerateLedger(o);
  o.as_of = D(2024, 8, 31);
  absl::StatusOr<Ledger> b = GenerateLedger(o);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string diff = DescribeLedgerDifference(*a, *b, 3);
  EXPECT_THAT(diff, Not(IsEmpty()));
  EXPECT_THAT(diff, HasSubstr("more differences"));
}

// ---- the round trip ------------------------------------------------------------

void RoundTrip(const GeneratorOptions& g, const WriteOptions& w) {
  absl::StatusOr<Ledger> generated = GenerateLedger(g);
  ASSERT_TRUE(generated.ok()) << generated.status();
  TempDir dir;
  absl::Status written = WriteCsvLedger(*generated, dir.path(), w);
  ASSERT_TRUE(written.ok()) << written;
  for (std::string_view name : {"projects.csv", "monthly.csv", "funding.csv", "plans.csv",
                                "problems.csv", "baseline.csv", "approvals.csv"}) {
    EXPECT_TRUE(fs::exists(dir.path() / std::string(name))) << name;
  }
  LoadOptions lo = LoadOptionsFor(g);
  lo.encoding = w.encoding == Encoding::kGb18030 ? Encoding::kGb18030 : Encoding::kUtf8;
  Diagnostics diagnostics;
  absl::StatusOr<Ledger> loaded = LoadCsvLedger(dir.path(), lo, &diagnostics);
  ASSERT_TRUE(loaded.ok()) << loaded.status() << "\n" << Dump(diagnostics);
  EXPECT_EQ(DescribeLedgerDifference(*generated, *loaded), "");

  // Auto-detected encoding too.
  lo.encoding = Encoding::kAuto;
  diagnostics.clear();
  loaded = LoadCsvLedger(dir.path(), lo, &diagnostics);
  ASSERT_TRUE(loaded.ok()) << loaded.status() << "\n" << Dump(diagnostics);
  EXPECT_EQ(DescribeLedgerDifference(*generated, *loaded), "");
}

TEST(RoundTrip, Utf8EnglishHeaders) {
  GeneratorOptions g;
  g.projects = 2000;
  g.seed = 7;
  RoundTrip(g, {});
}

TEST(RoundTrip, Gb18030ChineseHeaders) {
  GeneratorOptions g;
  g.projects = 2000;
  g.seed = 8;
  WriteOptions w;
  w.chinese_headers = true;
  w.encoding = Encoding::kGb18030;
  RoundTrip(g, w);
}

TEST(RoundTrip, Utf8BomChineseHeadersCrlf) {
  GeneratorOptions g;
  g.projects = 500;
  g.seed = 9;
  WriteOptions w;
  w.chinese_headers = true;
  w.bom = true;
  w.crlf = true;
  RoundTrip(g, w);
}

// Files of a MB and more are mapped, not read, and their pages brought in by the
// thread that decodes each (FileBytes::Populate): the ledger is the same on one
// thread and on several.
TEST(RoundTrip, MappedFilesOnOneThreadAndSeveral) {
  GeneratorOptions g;
  g.projects = 6000;
  g.seed = 10;
  absl::StatusOr<Ledger> generated = GenerateLedger(g);
  ASSERT_TRUE(generated.ok()) << generated.status();
  TempDir dir;
  ASSERT_TRUE(WriteCsvLedger(*generated, dir.path(), {}).ok());
  for (std::string_view name : {"projects.csv", "monthly.csv", "approvals.csv"}) {
    ASSERT_GE(fs::file_size(dir.path() / std::string(name)), size_t{1} << 20) << name << " would not be mapped";
  }
  for (const int threads : {1, 2, 4}) {
    SCOPED_TRACE(threads);
    LoadOptions lo = LoadOptionsFor(g);
    lo.threads = threads;
    Diagnostics diagnostics;
    absl::StatusOr<Ledger> loaded = LoadCsvLedger(dir.path(), lo, &diagnostics);
    ASSERT_TRUE(loaded.ok()) << loaded.status() << "\n" << Dump(diagnostics);
    EXPECT_EQ(DescribeLedgerDifference(*generated, *loaded), "");
  }
}

TEST(RoundTrip, InMemory) {
  GeneratorOptions g;
  g.projects = 300;
  g.extra_columns = false;
  g.usd_rate = "";
  absl::StatusOr<Ledger> generated = GenerateLedger(g);
  ASSERT_TRUE(generated.ok()) << generated.status();
  absl::StatusOr<std::vector<CsvInput>> files = WriteCsvLedgerToMemory(*generated);
  ASSERT_TRUE(files.ok()) << files.status();
  Diagnostics diagnostics;
  absl::StatusOr<Ledger> loaded = LoadCsvLedger(*files, LoadOptions{}, &diagnostics);
  ASSERT_TRUE(loaded.ok()) << loaded.status() << "\n" << Dump(diagnostics);
  EXPECT_EQ(DescribeLedgerDifference(*generated, *loaded), "");
}

// The sample data in examples/data is what the generator makes with the defaults
// less the US-dollar rows (`keyproj generate --usd-rate none --out examples/data`
// writes it); it loads with no options and gives the generated ledger.
TEST(SampleData, MatchesGenerator) {
  const fs::path dir = fs::path(KEYPROJ_SOURCE_DIR) / "examples" / "data";
  ASSERT_TRUE(fs::exists(dir / "projects.csv")) << "no sample data in " << dir;
  GeneratorOptions g;
  g.usd_rate = "";
  absl::StatusOr<Ledger> generated = GenerateLedger(g);
  ASSERT_TRUE(generated.ok()) << generated.status();
  Diagnostics diagnostics;
  absl::StatusOr<Ledger> loaded = LoadCsvLedger(dir, LoadOptions{}, &diagnostics);
  ASSERT_TRUE(loaded.ok()) << loaded.status() << "\n" << Dump(diagnostics);
  EXPECT_EQ(DescribeLedgerDifference(*generated, *loaded), "")
      << "regenerate the sample: build/dev/src/keyproj generate --usd-rate none --out examples/data";
}

}  // namespace
}  // namespace keyproj
