// Properties of the engine over random generated ledgers and random queries
// (deterministic: std::mt19937_64 with fixed seeds):
//  (a) for every additive indicator, the whole-scope row is the sum of the group rows
//      (exact integer arithmetic), and the listed projects partition likewise;
//  (b) sharded evaluation (Aggregation over random splits, merged in random order)
//      and threaded evaluation (threads 1, 2, 4) equal Evaluate bit for bit;
//  (c) rates equal num / den recomputed from their additive parts, and the identities
//      between counts hold in every row.
// Plus: the whole-scope row does not depend on the group-by, and a county row equals
// the whole scope of a query filtered to that county; a tag row (a project in each of
// its tags' groups) equals the whole scope of a query filtered to that tag.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/generator.h"
#include "keyproj/indicators.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/query.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/text.h"
#include "keyproj/value.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
namespace {

constexpr Dimension kDimensions[] = {
    Dimension::kCategory,   Dimension::kLevel,    Dimension::kBuildType, Dimension::kProvince, Dimension::kCity,
    Dimension::kCounty,     Dimension::kDepartment, Dimension::kLeader,  Dimension::kAttracted, Dimension::kSector,
    Dimension::kIndustrial, Dimension::kStage,    Dimension::kSizeBand,
};

const char* const kSources[] = {"central_budget", "special_bond", "provincial", "municipal", "policy_finance"};
const char* const kKinds[] = {"land", "environment", "funds", "energy", "demolition", "approval", "other"};
// The approval items (approval.h), for the dotted approvals_* ids.
const char* const kItems[] = {"approval", "feasibility", "preliminary_design", "site_selection",
                              "land_pre_review", "land", "land_acquisition", "eia", "safety", "energy",
                              "construction_permit", "other"};
const char* const kItemSplitIds[] = {"approvals_done_ytd", "approvals_pending", "approvals_overdue"};
const char* const kSupportSplitIds[] = {"support_applied_projects", "support_requested", "support_success_rate",
                                        "support_approval_ratio", "support_arrival_ratio"};

std::string Show(const Value& v) {
  if (!v.applicable()) return "n/a";
  return Cat(Int128ToString(v.num()), "/", Int128ToString(v.den()));
}

bool Identical(const Value& a, const Value& b) { return a.num() == b.num() && a.den() == b.den(); }

// Every catalogue id and every dotted id.
std::vector<std::string> AllIndicatorIds() {
  std::vector<std::string> ids;
  for (const IndicatorDef& d : Catalogue()) ids.emplace_back(d.id);
  for (const char* s : kSources) {
    ids.push_back(Cat("support_approved.", s));
    ids.push_back(Cat("support_arrived.", s));
  }
  for (const char* k : kKinds) ids.push_back(Cat("problems_by_kind.", k));
  for (const char* id : kItemSplitIds) {
    for (const char* item : kItems) ids.push_back(Cat(id, ".", item));
  }
  for (const char* id : kSupportSplitIds) {
    for (const char* s : kSources) ids.push_back(Cat(id, ".", s));
  }
  for (const char* band : {"0_6", "6_12", "12_24", "24_"}) ids.push_back(Cat("reserve_age.", band));
  return ids;
}

int Uniform(std::mt19937_64& rng, int lo, int hi);

// This sink passes the generator's records to a builder, with
// - the 招商 funnel's dates redrawn on some projects, as stage.h allows them:
//   intended_on for attracted projects (not after signed_on), operating_on for
//   operating ones (not before started_on; before completed_on sometimes: trial
//   production), and some operating projects left without it (legacy ledgers);
// - its approvals.csv rows (realistic, and so mostly far from the figures' bounds)
//   replaced by random ones given right after each project -- items
// required or not, planned and done before, around or after the generator's as_of,
// land and construction permits near the start (so that land_to_start_ytd and
// started_without_permit have cases on both sides of their bounds).
class WithApprovals : public GeneratorSink {
 public:
  WithApprovals(LedgerBuilder& b, uint64_t seed, Date as_of) : b_(b), rng_(seed), as_of_(as_of.days()) {}
  void SetExtraHeaders(Table table, std::vector<std::string> headers) override {
    b_.SetExtraHeaders(table, std::move(headers));
  }
  void Project(ProjectRecord&& r) override {
    StageDates& d = r.dates;
    auto shifted = [](Date from, int days) { return Date::FromDays(from.days() + days); };
    const Date as_of = Date::FromDays(as_of_);
    if (r.attracted == Attracted::kYes && Uniform(rng_, 0, 1) == 1) {
      d.intended_on = d.signed_on ? shifted(*d.signed_on, -Uniform(rng_, 0, 400)) : shifted(as_of, -Uniform(rng_, -60, 500));
    }
    const bool derives_operating = r.stage == Stage::kUnknown && d.completed_on && !d.cancelled_on && !d.suspended_on;
    if (r.stage == Stage::kOperating && Uniform(rng_, 0, 9) >= 7) {
      d.operating_on.reset();  // a legacy ledger's operating project: the stage alone
    } else if (r.stage == Stage::kOperating || (derives_operating && Uniform(rng_, 0, 4) == 0)) {
      const int span = d.completed_on->days() - d.started_on->days() + 300;
      d.operating_on = shifted(*d.started_on, Uniform(rng_, 0, span));
    }
    const std::string code = r.code;
    const StageDates dates = r.dates;
    if (!b_.AddProject(std::move(r))) {
      ADD_FAILURE() << code << ": " << b_.diagnostics().back().ToString();
      return;
    }
    if (Uniform(rng_, 0, 9) < 3) return;  // no approvals rows
    const int32_t floor = dates.reserved_on ? dates.reserved_on->days() : as_of_ - 900;
    const int32_t started = dates.started_on ? dates.started_on->days() : kNoDay;
    auto day = [&](int32_t lo, int32_t hi) {
      return Date::FromDays(std::max(floor, lo + Uniform(rng_, 0, std::max(0, hi - lo))));
    };
    for (int item = 1; item <= kApprovalItemCount; ++item) {
      if (Uniform(rng_, 0, 2) == 0) continue;
      ApprovalRecord a;
      a.code = code;
      a.item = static_cast<ApprovalItem>(item);
      a.required = Uniform(rng_, 0, 4) != 0;
      if (Uniform(rng_, 0, 3) != 0) a.planned_on = day(as_of_ - 500, as_of_ + 200);
      const bool near_start = started != kNoDay && (a.item == ApprovalItem::kLand ||
                                                    a.item == ApprovalItem::kConstructionPermit);
      if (near_start && Uniform(rng_, 0, 3) != 0) {
        a.done_on = day(started - 45, started + 20);
      } else if (Uniform(rng_, 0, 9) < 6) {
        a.done_on = day(as_of_ - 700, as_of_ + 60);
      }
      EXPECT_TRUE(b_.AddApproval(std::move(a))) << code;
    }
  }
  void Monthly(const MonthlyRecord& r) override { b_.AddMonthly(r); }
  void Funding(FundingRecord&& r) override { b_.AddFunding(std::move(r)); }
  void Plan(PlanRecord&& r) override { b_.AddPlan(std::move(r)); }
  void Problem(ProblemRecord&& r) override { b_.AddProblem(std::move(r)); }
  void Baseline(BaselineRecord&& r) override { b_.AddBaseline(std::move(r)); }
  void Approval(ApprovalRecord&&) override {}  // replaced by the random rows above

 private:
  LedgerBuilder& b_;
  std::mt19937_64 rng_;
  int32_t as_of_;
};

// A generated ledger with random approvals (the seed of the approvals is the
// generator's, so a case is one number).
absl::StatusOr<Ledger> GenerateWithApprovals(const GeneratorOptions& gen) {
  LedgerBuilder b(GeneratorBuildOptions(gen));
  WithApprovals sink(b, gen.seed ^ 0xa99a0a15ULL, gen.as_of);
  if (absl::Status s = GenerateRecords(gen, sink); !s.ok()) return s;
  return std::move(b).Build();
}

int Uniform(std::mt19937_64& rng, int lo, int hi) {  // [lo, hi]
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

Date RandomAsOf(std::mt19937_64& rng) {
  const int y = Uniform(rng, 2022, 2025), m = Uniform(rng, 1, 12);
  const int last = Month::FromYm(y, m).last_day().ymd().day;
  // Often the end of a month (reports), sometimes the middle.
  const int d = Uniform(rng, 0, 2) == 0 ? Uniform(rng, 1, last) : last;
  return *Date::FromYmd(y, m, d);
}

std::vector<Dimension> RandomGroupBy(std::mt19937_64& rng) {
  std::vector<Dimension> dims(std::begin(kDimensions), std::end(kDimensions));
  std::shuffle(dims.begin(), dims.end(), rng);
  dims.resize(static_cast<size_t>(Uniform(rng, 1, 2)));
  return dims;
}

QueryOptions RandomOptions(std::mt19937_64& rng) {
  QueryOptions o;
  o.schedule = static_cast<ScheduleMode>(Uniform(rng, 0, 2));
  if (o.schedule == ScheduleMode::kCurve) {
    std::vector<int64_t> cuts(11);
    for (int64_t& c : cuts) c = Uniform(rng, 0, 1'000'000);
    std::sort(cuts.begin(), cuts.end());
    for (int i = 0; i < 11; ++i) o.curve[static_cast<size_t>(i)] = cuts[static_cast<size_t>(i)];
    o.curve[11] = 1'000'000;
  }
  o.report_deadline_day = Uniform(rng, 0, 2) == 0 ? Uniform(rng, 1, 31) : (Uniform(rng, 0, 1) ? 20 : 25);
  o.stalled_months = Uniform(rng, 1, 6);
  o.behind_centipoints = Uniform(rng, 0, 3000);
  const int64_t thresholds[] = {500, 1000, 5000, 10000, 100000};
  o.size_band_threshold = thresholds[Uniform(rng, 0, 4)] * kFenPerWan;
  o.use_baseline = Uniform(rng, 0, 1) == 1;
  o.countdown_days = Uniform(rng, 0, 1) == 0 ? 30 : Uniform(rng, 1, kMaxCountdownDays);
  o.signed_months = Uniform(rng, 0, 1) == 0 ? 6 : Uniform(rng, 1, 36);
  o.threads = 1;
  return o;
}

// One random case: a generated ledger and a query over it.
struct Case {
  uint64_t case_seed;
  GeneratorOptions gen;
  Ledger ledger;
  Query query;
};

Case MakeCase(uint64_t case_seed) {
  std::mt19937_64 rng(case_seed);
  Case c{case_seed, {}, {}, {}};
  c.gen.projects = static_cast<uint64_t>(Uniform(rng, 1, 160));
  c.gen.seed = rng();
  c.gen.as_of = RandomAsOf(rng);
  absl::StatusOr<Ledger> l = GenerateWithApprovals(c.gen);
  EXPECT_TRUE(l.ok()) << l.status();
  if (l.ok()) c.ledger = *std::move(l);
  c.query.as_of = Uniform(rng, 0, 3) == 0 ? RandomAsOf(rng) : c.gen.as_of;  // sometimes another date
  c.query.group_by = RandomGroupBy(rng);
  c.query.indicators = AllIndicatorIds();
  c.query.options = RandomOptions(rng);
  return c;
}

std::string Describe(const Case& c) {
  std::string dims;
  for (Dimension d : c.query.group_by) Append(&dims, dims.empty() ? "" : ",", DimensionId(d));
  return Cat("case seed ", c.case_seed, ": ", c.gen.projects, " projects, generator seed ", c.gen.seed,
             ", generated as of ", c.gen.as_of.ToString(), ", query as of ", c.query.as_of.ToString(),
             ", group by ", dims, ", schedule mode ", static_cast<int>(c.query.options.schedule));
}

// Results equal bit for bit: same rows, keys, every value's num and den, lists.
void ExpectIdentical(const Result& want, const Result& got, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(want.as_of, got.as_of);
  EXPECT_EQ(want.group_by, got.group_by);
  ASSERT_EQ(want.indicators.size(), got.indicators.size());
  for (size_t i = 0; i < want.indicators.size(); ++i) EXPECT_EQ(want.indicators[i].id, got.indicators[i].id);
  ASSERT_EQ(want.rows.size(), got.rows.size());
  for (size_t r = 0; r < want.rows.size(); ++r) {
    const ResultRow& a = want.rows[r];
    const ResultRow& b = got.rows[r];
    ASSERT_EQ(a.group, b.group) << "row " << r;
    ASSERT_EQ(a.values.size(), b.values.size());
    ASSERT_EQ(a.projects.size(), b.projects.size());
    for (size_t i = 0; i < a.values.size(); ++i) {
      EXPECT_TRUE(Identical(a.values[i], b.values[i]))
          << "row " << r << " " << want.indicators[i].id << ": " << Show(a.values[i]) << " vs " << Show(b.values[i]);
      EXPECT_EQ(a.projects[i], b.projects[i]) << "row " << r << " " << want.indicators[i].id;
    }
  }
}

Result MustEvaluate(const Ledger& l, const Query& q) {
  absl::StatusOr<Result> r = Evaluate(l, q);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : Result{};
}

constexpr int kCases = 50;
uint64_t CaseSeed(int i) { return 0x6b657970726f6aULL + static_cast<uint64_t>(i) * 0x9e3779b97f4a7c15ULL; }

// ---- (a) additivity ----------------------------------------------------------------

TEST(EngineProperty, AdditiveIndicatorsSumOverGroups) {
  int groups_seen = 0;
  for (int i = 0; i < kCases; ++i) {
    const Case c = MakeCase(CaseSeed(i));
    SCOPED_TRACE(Describe(c));
    const Result r = MustEvaluate(c.ledger, c.query);
    ASSERT_FALSE(r.rows.empty());
    const ResultRow& total = r.total();
    EXPECT_TRUE(total.group.empty());
    groups_seen += static_cast<int>(r.rows.size()) - 1;
    for (size_t g = 0; g + 1 < r.rows.size(); ++g) EXPECT_EQ(r.rows[g].group.size(), c.query.group_by.size());
    for (size_t k = 0; k < r.indicators.size(); ++k) {
      const IndicatorRef& ref = r.indicators[k];
      if (!ref.def->additive) continue;
      SCOPED_TRACE(ref.id);
      int128 sum = 0;
      std::vector<uint32_t> listed;
      for (size_t g = 0; g + 1 < r.rows.size(); ++g) {
        const Value& v = r.rows[g].values[k];
        ASSERT_TRUE(v.applicable());
        ASSERT_EQ(v.den(), 1);
        sum += v.num();
        listed.insert(listed.end(), r.rows[g].projects[k].begin(), r.rows[g].projects[k].end());
      }
      ASSERT_TRUE(total.values[k].applicable());
      ASSERT_EQ(total.values[k].den(), 1);
      EXPECT_EQ(Int128ToString(sum), Int128ToString(total.values[k].num()));
      // Each project is in one group, so the groups' lists partition the total's.
      std::sort(listed.begin(), listed.end());
      EXPECT_TRUE(std::adjacent_find(listed.begin(), listed.end()) == listed.end()) << "a project in two groups";
      EXPECT_EQ(listed, total.projects[k]);
    }
  }
  EXPECT_GT(groups_seen, kCases);  // the cases did group something
}

// The random cases are not vacuous: across them, every additive indicator is non-zero
// in some group row, and every rate is applicable somewhere.
TEST(EngineProperty, CasesExerciseEveryIndicator) {
  const std::vector<std::string> ids = AllIndicatorIds();
  std::vector<int> nonzero(ids.size()), applicable(ids.size());
  for (int i = 0; i < kCases; ++i) {
    const Case c = MakeCase(CaseSeed(i));
    const Result r = MustEvaluate(c.ledger, c.query);
    for (size_t g = 0; g + 1 < r.rows.size(); ++g) {
      for (size_t k = 0; k < ids.size(); ++k) {
        nonzero[k] += r.rows[g].values[k].applicable() && r.rows[g].values[k].num() != 0;
        applicable[k] += r.rows[g].values[k].applicable();
      }
    }
  }
  for (size_t k = 0; k < ids.size(); ++k) {
    EXPECT_GT(nonzero[k], 0) << ids[k] << " is zero or not applicable in every group of every case";
    EXPECT_GT(applicable[k], 0) << ids[k];
  }
}

TEST(EngineProperty, ListsMatchCounts) {
  for (int i = 0; i < kCases; ++i) {
    const Case c = MakeCase(CaseSeed(i));
    SCOPED_TRACE(Describe(c));
    const Result r = MustEvaluate(c.ledger, c.query);
    for (const ResultRow& row : r.rows) {
      for (size_t k = 0; k < r.indicators.size(); ++k) {
        const IndicatorDef& def = *r.indicators[k].def;
        const std::vector<uint32_t>& ps = row.projects[k];
        EXPECT_TRUE(std::is_sorted(ps.begin(), ps.end()));
        EXPECT_TRUE(std::adjacent_find(ps.begin(), ps.end()) == ps.end());
        for (uint32_t p : ps) EXPECT_LT(p, c.ledger.size());
        if (!def.lists_projects) {
          EXPECT_TRUE(ps.empty()) << r.indicators[k].id;
          continue;
        }
        const Value& v = row.values[k];
        if (def.split == IndicatorSplit::kAgeBand && r.indicators[k].key == 0) {
          // reserve_age counts every band and lists the oldest (its .24_).
          EXPECT_GE(v.num(), static_cast<int128>(ps.size())) << r.indicators[k].id;
        } else if (def.id == "problems_open" || def.id == "problems_overdue" || def.id == "approvals_done_ytd" ||
                   def.id == "approvals_pending" ||
            def.id == "approvals_overdue") {
          // They count problems (approval items) and list the projects that have them.
          EXPECT_GE(v.num(), static_cast<int128>(ps.size())) << r.indicators[k].id;
          EXPECT_EQ(v.num() > 0, !ps.empty()) << r.indicators[k].id;
        } else {
          EXPECT_EQ(v.num(), static_cast<int128>(ps.size())) << r.indicators[k].id;
        }
      }
    }
  }
}

// ---- (b) sharded and threaded evaluation ---------------------------------------------

TEST(EngineProperty, ShardedEqualsSinglePass) {
  for (int i = 0; i < kCases; ++i) {
    const Case c = MakeCase(CaseSeed(i));
    SCOPED_TRACE(Describe(c));
    const Result want = MustEvaluate(c.ledger, c.query);
    std::mt19937_64 rng(c.case_seed ^ 0x5a5a5a5a);
    const uint32_t n = c.ledger.size();
    for (int trial = 0; trial < 3; ++trial) {
      // Random cut points split [0, n) into 1..6 shards (some may be empty).
      const int shards = Uniform(rng, 1, 6);
      std::vector<uint32_t> cuts = {0, n};
      for (int s = 1; s < shards; ++s) cuts.push_back(static_cast<uint32_t>(Uniform(rng, 0, static_cast<int>(n))));
      std::sort(cuts.begin(), cuts.end());
      std::vector<Aggregation> parts;
      for (size_t s = 0; s + 1 < cuts.size(); ++s) {
        absl::StatusOr<Aggregation> a = Aggregation::Start(c.ledger, c.query);
        ASSERT_TRUE(a.ok()) << a.status();
        const uint32_t first = cuts[s], end = cuts[s + 1];
        if (end > first && Uniform(rng, 0, 1) == 1) {
          // The shard itself adds its projects in two calls.
          const auto mid = static_cast<uint32_t>(Uniform(rng, static_cast<int>(first), static_cast<int>(end)));
          a->AddProjects(first, mid);
          a->AddProjects(mid, end);
        } else {
          a->AddProjects(first, end);
        }
        parts.push_back(*std::move(a));
      }
      // Merge in random order, into a random one of them.
      std::vector<size_t> order(parts.size());
      for (size_t s = 0; s < order.size(); ++s) order[s] = s;
      std::shuffle(order.begin(), order.end(), rng);
      Aggregation& into = parts[order[0]];
      for (size_t s = 1; s < order.size(); ++s) into.Merge(parts[order[s]]);
      ExpectIdentical(want, into.Finish(), Cat("trial ", trial, ", ", shards, " shards"));
      // Finish does not consume the aggregation.
      ExpectIdentical(want, into.Finish(), "second Finish");
    }
    // A tree of merges: ((a + b) + (c + d)), shards of a quarter each.
    std::vector<Aggregation> q;
    for (uint32_t s = 0; s < 4; ++s) {
      absl::StatusOr<Aggregation> a = Aggregation::Start(c.ledger, c.query);
      ASSERT_TRUE(a.ok());
      a->AddProjects(n * s / 4, n * (s + 1) / 4);
      q.push_back(*std::move(a));
    }
    q[1].Merge(q[0]);
    q[3].Merge(q[2]);
    q[3].Merge(q[1]);
    ExpectIdentical(want, q[3].Finish(), "tree of merges");
  }
}

// The random ledgers are far below the projects a thread gets by default
// (QueryOptions::min_projects_per_thread); with it lowered to one they really split,
// at every chunk boundary a thread's range can have (inside a block too).
TEST(EngineProperty, ThreadsEqualSingleThread) {
  int split = 0;
  for (int i = 0; i < kCases; ++i) {
    const Case c = MakeCase(CaseSeed(i));
    SCOPED_TRACE(Describe(c));
    Query q = c.query;
    q.options.threads = 1;
    const Result want = MustEvaluate(c.ledger, q);
    EXPECT_EQ(want.threads, 1);
    q.options.min_projects_per_thread = 1;
    for (int threads : {2, 3, 4, 7}) {
      q.options.threads = threads;
      const Result got = MustEvaluate(c.ledger, q);
      // As many threads as asked for, unless the ledger has fewer projects.
      EXPECT_EQ(got.threads, std::min<int>(threads, static_cast<int>(std::max(1u, c.ledger.size()))));
      split += got.threads > 1;
      ExpectIdentical(want, got, Cat("threads ", threads));
    }
  }
  EXPECT_GT(split, kCases);  // most cases ran on several threads
}

// The default keeps a small ledger on one thread.
TEST(EngineProperty, SmallLedgersStayOnOneThreadByDefault) {
  const Case c = MakeCase(CaseSeed(0));
  Query q = c.query;
  q.options.threads = 4;
  EXPECT_EQ(MustEvaluate(c.ledger, q).threads, 1);
  q.options.min_projects_per_thread = 0;
  EXPECT_FALSE(Evaluate(c.ledger, q).ok());
}

// Small ledgers may not be worth a thread; this one is large enough that 2 and 4
// threads really split the pass.
TEST(EngineProperty, ThreadsEqualSingleThreadOnALargeLedger) {
  GeneratorOptions g;
  g.projects = 70000;
  g.seed = 20240930;
  absl::StatusOr<Ledger> l = GenerateWithApprovals(g);
  ASSERT_TRUE(l.ok()) << l.status();
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 4; ++trial) {
    Query q;
    q.as_of = trial == 0 ? g.as_of : RandomAsOf(rng);
    q.group_by = RandomGroupBy(rng);
    q.indicators = AllIndicatorIds();
    q.options = RandomOptions(rng);
    q.options.threads = 1;
    const Result want = MustEvaluate(*l, q);
    for (int threads : {2, 3, 4, 8}) {
      q.options.threads = threads;
      const Result got = MustEvaluate(*l, q);
      EXPECT_EQ(got.threads, std::min(threads, 4));  // 70000 projects: four of the default 16384
      ExpectIdentical(want, got, Cat("trial ", trial, ", threads ", threads));
    }
  }
}

// The pass adds only the totals that the requested indicators need (Need in
// src/engine/catalogue_internal.h): each indicator asked for alone must come out as
// it does among all the others, or an indicator lacks a need it has.
TEST(EngineProperty, EachIndicatorAloneEqualsItsColumnAmongAll) {
  for (int i = 0; i < 20; ++i) {
    const Case c = MakeCase(CaseSeed(i));
    SCOPED_TRACE(Describe(c));
    const Result all = MustEvaluate(c.ledger, c.query);
    for (size_t column = 0; column < c.query.indicators.size(); ++column) {
      Query q = c.query;
      q.indicators = {c.query.indicators[column]};
      const Result alone = MustEvaluate(c.ledger, q);
      ASSERT_EQ(alone.rows.size(), all.rows.size()) << q.indicators[0];
      for (size_t r = 0; r < all.rows.size(); ++r) {
        ASSERT_EQ(alone.rows[r].group, all.rows[r].group);
        EXPECT_TRUE(Identical(alone.rows[r].values[0], all.rows[r].values[column]))
            << q.indicators[0] << " row " << r << ": alone " << Show(alone.rows[r].values[0]) << ", among all "
            << Show(all.rows[r].values[column]);
        EXPECT_EQ(alone.rows[r].projects[0], all.rows[r].projects[column]) << q.indicators[0] << " row " << r;
      }
    }
  }
}

// A custom indicator's filtered term (support_approved[category=urban|infrastructure]) is a
// second scope of the same pass; in every row it must equal the same indicator of a
// query filtered that way. Covers the per-project totals and the row passes over
// plans and funding, which add each row to every scope its project is in.
TEST(EngineProperty, FilteredTermsEqualFilteredQueries) {
  const char* const kTermIds[] = {"projects", "signed", "investment_ytd", "funds_arrived_ytd", "annual_plan",
                                  "plan_next_years", "supported_projects", "support_approved",
                                  "support_arrived.central_budget", "support_growth", "stalled", "problems_open",
                                  "approvals_pending", "approvals_overdue.eia", "ready_to_start", "blocked_start",
                                  "land_to_start_ytd", "started_without_permit", "support_applied_projects",
                                  "support_requested.special_bond", "support_success_rate",
                                  "support_arrival_ratio"};
  std::vector<CustomIndicator> customs;
  std::vector<std::string> custom_ids;
  for (const char* id : kTermIds) {
    std::string name = Cat("scoped_", id);
    std::replace(name.begin(), name.end(), '.', '_');
    // In the indicator's own unit, so that money comes back in 分 (not 万) as in the query.
    const absl::StatusOr<IndicatorRef> ref = FindIndicator(id);
    ASSERT_TRUE(ref.ok()) << id;
    customs.push_back(CustomIndicator{name, "", ref->def->unit, 2, Cat(id, "[category=urban|infrastructure]")});
    custom_ids.push_back(name);
  }
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(customs);
  ASSERT_TRUE(set.ok()) << set.status();
  auto shared = std::make_shared<const CustomIndicatorSet>(*std::move(set));
  for (int i = 0; i < 20; ++i) {
    const Case c = MakeCase(CaseSeed(i));
    SCOPED_TRACE(Describe(c));
    Query with_terms = c.query;
    with_terms.custom = shared;
    with_terms.indicators = custom_ids;
    Query filtered = c.query;
    filtered.filter.categories = {Category::kUrban, Category::kInfrastructure};
    filtered.indicators.assign(std::begin(kTermIds), std::end(kTermIds));
    filtered.options.use_baseline = false;
    with_terms.options.use_baseline = false;
    const Result a = MustEvaluate(c.ledger, with_terms);
    const Result b = MustEvaluate(c.ledger, filtered);
    // b has rows only for groups with a project in the filter; a has every group.
    for (const ResultRow& row : a.rows) {
      const auto it = std::find_if(b.rows.begin(), b.rows.end(), [&](const ResultRow& r) { return r.group == row.group; });
      for (size_t k = 0; k < custom_ids.size(); ++k) {
        if (it == b.rows.end()) {
          EXPECT_TRUE(!row.values[k].applicable() || row.values[k].num() == 0) << custom_ids[k];
          continue;
        }
        // Compared as fractions (a custom value may come back unreduced).
        const Value& x = row.values[k];
        const Value& y = it->values[k];
        EXPECT_EQ(x.applicable(), y.applicable()) << custom_ids[k];
        if (x.applicable() && y.applicable()) {
          EXPECT_EQ(x.num() * y.den(), y.num() * x.den()) << custom_ids[k] << ": " << Show(x) << " vs " << Show(y);
        }
      }
    }
  }
}

// ---- (c) rates from their parts, identities --------------------------------------------

Value Sub(const Value& a, const Value& b) {  // both applicable
  return Value::Ratio(a.num() * b.den() - b.num() * a.den(), a.den() * b.den());
}
Value Div(const Value& a, const Value& b) {
  if (!a.applicable() || !b.applicable()) return Value();
  return Value::Ratio(a.num() * b.den(), a.den() * b.num());
}

TEST(EngineProperty, RatesRecomputeFromTheirParts) {
  for (int i = 0; i < kCases; ++i) {
    Case c = MakeCase(CaseSeed(i));
    SCOPED_TRACE(Describe(c));
    // Growth against investment_prev_ytd (the comparable base is checked by hand in
    // indicators_test).
    c.query.options.use_baseline = false;
    const Result r = MustEvaluate(c.ledger, c.query);
    auto col = [&](std::string_view id) {
      const int k = r.column(id);
      EXPECT_GE(k, 0) << id;
      return static_cast<size_t>(std::max(k, 0));
    };
    const Value schedule = r.total().values[col("schedule")];
    const Value total_ytd = r.total().values[col("investment_ytd")];
    for (size_t row = 0; row < r.rows.size(); ++row) {
      const std::vector<Value>& v = r.rows[row].values;
      SCOPED_TRACE(Cat("row ", row));
      auto n = [&](std::string_view id) { return v[col(id)].num(); };
      auto expect = [&](std::string_view id, const Value& want) {
        const Value& got = v[col(id)];
        EXPECT_TRUE(got == want) << id << ": " << Show(got) << ", recomputed " << Show(want);
      };
      expect("start_rate", Value::Ratio(n("started"), n("projects")));
      expect("plan_completion", Value::Ratio(n("investment_ytd"), n("annual_plan")));
      expect("share", Value::Ratio(n("investment_ytd"), total_ytd.num()));
      expect("reserve_multiple", Value::Ratio(n("reserve"), n("started_ytd")));
      expect("signed_start_rate", Value::Ratio(n("signed_started"), n("signed")));
      expect("yoy_growth", Value::Ratio(n("investment_ytd") - n("investment_prev_ytd"), n("investment_prev_ytd")));
      expect("schedule", schedule);
      const Value completion = v[col("plan_completion")];
      if (completion.applicable()) {
        const Value gap = Sub(completion, schedule);
        expect("schedule_gap_pp", Value::Ratio(gap.num() * 100, gap.den()));
      } else {
        expect("schedule_gap_pp", Value());
      }
      expect("schedule_index", schedule.num() == 0 ? Value() : Div(completion, schedule));
      // Dotted parts add up to the higher-level total.
      for (const char* which : {"support_approved", "support_arrived"}) {
        int128 parts = 0;
        for (const char* s : kSources) parts += n(Cat(which, ".", s));
        EXPECT_EQ(Int128ToString(parts), Int128ToString(n(which))) << which;
      }
      // The approvals and support parts: items partition the items; a project counts
      // once per source, so the sources' projects are at least the total's.
      for (const char* which : kItemSplitIds) {
        int128 parts = 0;
        for (const char* item : kItems) parts += n(Cat(which, ".", item));
        EXPECT_EQ(Int128ToString(parts), Int128ToString(n(which))) << which;
      }
      int128 requested = 0, applied = 0;
      for (const char* s : kSources) {
        requested += n(Cat("support_requested.", s));
        applied += n(Cat("support_applied_projects.", s));
      }
      EXPECT_EQ(Int128ToString(requested), Int128ToString(n("support_requested")));
      EXPECT_GE(applied, n("support_applied_projects"));
      EXPECT_LE(n("support_applied_projects"), n("projects"));
      EXPECT_LE(n("approvals_overdue"), n("approvals_pending"));
      EXPECT_LE(n("ready_to_start") + n("blocked_start"), n("projects") - n("started"));
      EXPECT_LE(n("land_to_start_ytd"), n("started_ytd"));
      EXPECT_LE(n("started_without_permit"), n("started"));
      for (std::string_view id : {"support_success_rate", "support_approval_ratio"}) {
        const Value& rate = v[col(id)];
        if (!rate.applicable()) continue;
        EXPECT_GE(rate.num(), 0) << id;
      }
      {
        const Value& rate = v[col("support_success_rate")];
        if (rate.applicable()) {
          EXPECT_LE(rate.num(), rate.den());
        }
      }
      int128 kinds = 0;
      for (const char* k : kKinds) {
        const int128 one = n(Cat("problems_by_kind.", k));
        EXPECT_LE(one, n("problems_by_kind")) << k;
        kinds += one;
      }
      EXPECT_GE(kinds, n("problems_by_kind"));
      // Every alive project is in reserve, started, or signed and not started.
      EXPECT_EQ(Int128ToString(n("projects")),
                Int128ToString(n("reserve") + n("started") + n("signed") - n("signed_started")));
      EXPECT_GE(n("projects"), n("projects_new") + n("projects_continuing"));
      EXPECT_LE(n("started_ytd"), n("started"));
      EXPECT_LE(n("started_month"), n("started_ytd"));
      EXPECT_LE(n("completed"), n("started"));
      EXPECT_LE(n("completed_month"), n("completed_ytd"));
      EXPECT_LE(n("completed_ytd"), n("completed"));
      EXPECT_LE(n("suspended"), n("started") - n("completed"));
      EXPECT_LE(n("signed_month"), n("signed_ytd"));
      EXPECT_LE(n("signed_ytd"), n("signed"));
      EXPECT_LE(n("signed_started"), n("signed"));
      EXPECT_LE(n("performance_due"), n("signed"));
      EXPECT_LE(n("supported_projects"), n("projects"));
      EXPECT_LE(n("size_band_count"), n("projects"));
      EXPECT_LE(n("late_reports"), n("started") - n("completed") - n("suspended"));
      EXPECT_LE(n("stalled"), n("started") - n("completed"));
      EXPECT_LE(n("behind_schedule"), n("started") - n("completed"));
      EXPECT_LE(n("unassigned_leader"), n("projects"));
      EXPECT_LE(n("problems_overdue"), n("problems_open"));
      // §2: the countdowns are among projects not started (or started and not
      // completed); reserve_age's bands partition it, and it is part of reserve.
      EXPECT_LE(n("overdue_start") + n("start_countdown"), n("projects") - n("started"));  // disjoint
      EXPECT_LE(n("signed_not_started"), n("signed") - n("signed_started"));
      EXPECT_LE(n("overdue_completion"), n("started") - n("completed"));
      int128 bands = 0;
      for (const char* band : {"0_6", "6_12", "12_24", "24_"}) bands += n(Cat("reserve_age.", band));
      EXPECT_EQ(Int128ToString(bands), Int128ToString(n("reserve_age")));
      EXPECT_LE(n("reserve_age"), n("reserve"));
      // §3: the funnel never widens downward.
      EXPECT_LE(n("signed"), n("intended"));
      EXPECT_LE(n("intended_ytd"), n("intended"));
      EXPECT_LE(n("signed_completed"), n("signed_started"));
      EXPECT_LE(n("operating_ytd"), n("operating"));
      expect("intention_signed_rate", Value::Ratio(n("signed"), n("intended")));
      const Value streak = v[col("negative_growth_streak")];
      EXPECT_EQ(streak.den(), 1);
      EXPECT_GE(streak.num(), 0);
      EXPECT_LE(streak.num(), 11);  // at most 12 months looked at, one of them a January
      for (std::string_view id : {"start_rate", "start_rate_due", "signed_start_rate", "performance_rate",
                                  "problem_resolution_rate", "intention_signed_rate", "operating_rate"}) {
        const Value& rate = v[col(id)];
        if (!rate.applicable()) continue;
        EXPECT_GE(rate.num(), 0) << id;
        EXPECT_LE(rate.num(), rate.den()) << id;  // a share of a count is at most 100%
      }
    }
  }
}

// ---- the whole-scope row, and a group against a filter ---------------------------------

TEST(EngineProperty, WholeScopeRowDoesNotDependOnGroupBy) {
  for (int i = 0; i < kCases; ++i) {
    const Case c = MakeCase(CaseSeed(i));
    SCOPED_TRACE(Describe(c));
    const Result grouped = MustEvaluate(c.ledger, c.query);
    Query flat = c.query;
    flat.group_by.clear();
    const Result whole = MustEvaluate(c.ledger, flat);
    ASSERT_EQ(whole.rows.size(), 1u);
    for (size_t k = 0; k < whole.indicators.size(); ++k) {
      EXPECT_TRUE(Identical(whole.rows[0].values[k], grouped.total().values[k]))
          << whole.indicators[k].id << ": " << Show(whole.rows[0].values[k]) << " vs "
          << Show(grouped.total().values[k]);
      EXPECT_EQ(whole.rows[0].projects[k], grouped.total().projects[k]) << whole.indicators[k].id;
    }
  }
}

TEST(EngineProperty, CountyRowEqualsQueryFilteredToThatCounty) {
  int compared = 0;
  for (int i = 0; i < kCases; i += 2) {
    Case c = MakeCase(CaseSeed(i));
    SCOPED_TRACE(Describe(c));
    c.query.group_by = {Dimension::kCounty};
    // use_baseline as the case has it: a county's row and its own report (a filter
    // that is that county) take the same region base.
    const Result grouped = MustEvaluate(c.ledger, c.query);
    for (size_t g = 0; g + 1 < grouped.rows.size(); ++g) {
      const std::string& county = grouped.rows[g].group[0];
      if (county.empty()) continue;
      Query f = c.query;
      f.group_by.clear();
      f.filter.region_prefixes = {county};
      const Result one = MustEvaluate(c.ledger, f);
      ++compared;
      for (size_t k = 0; k < one.indicators.size(); ++k) {
        if (one.indicators[k].def->id == "share") continue;  // of a different whole
        EXPECT_TRUE(one.rows[0].values[k] == grouped.rows[g].values[k])
            << county << " " << one.indicators[k].id << ": " << Show(one.rows[0].values[k]) << " vs "
            << Show(grouped.rows[g].values[k]);
        EXPECT_EQ(one.rows[0].projects[k], grouped.rows[g].projects[k]) << county << " " << one.indicators[k].id;
      }
    }
  }
  EXPECT_GT(compared, 10);
}

// ---- §5 the quarter and the rolling plan, against their definitions -------------------

// The quarter ids and plan_next_years.YYYY of the whole-scope row equal the same
// figures summed project by project from the ledger's own accessors, straight from
// docs/indicators.md ("The quarter and the rolling plan"): alive at as_of; the
// quarter's months up to as_of's and the same months a year earlier; event dates from
// the quarter's first day to as_of, and to the same day a year earlier (a month's
// last day: that month's last day).
TEST(EngineProperty, QuarterAndYearPlansEqualTheirDefinitions) {
  int nonzero = 0;
  for (int i = 0; i < kCases; ++i) {
    const Case c = MakeCase(CaseSeed(i));
    SCOPED_TRACE(Describe(c));
    const Periods per = Periods::For(c.query.as_of);
    Query q = c.query;
    q.indicators = {"investment_quarter", "investment_quarter_last_year", "started_quarter",
                    "completed_quarter",  "signed_quarter",               "started_quarter_last_year",
                    "completed_quarter_last_year", "signed_quarter_last_year", "plan_next_years"};
    for (int k = 1; k <= 10; ++k) q.indicators.push_back(Cat("plan_next_years.", per.year + k));
    const Result r = MustEvaluate(c.ledger, q);
    ASSERT_FALSE(r.rows.empty());

    const internal::ProjectColumns& pc = internal::Columns(c.ledger).projects;
    const int32_t d = c.query.as_of.days();
    const Month last_year = per.month - 12;
    const int32_t prev_d = c.query.as_of == per.month.last_day()
                               ? last_year.last_day().days()
                               : Date::FromYmd(last_year.year(), last_year.month(), c.query.as_of.ymd().day)->days();
    const int32_t q_first = per.quarter.first.first_day().days();
    const int32_t prev_q_first = (per.quarter.first - 12).first_day().days();
    auto within = [](int32_t day, int32_t lo, int32_t hi) { return day != kNoDay && day >= lo && day <= hi; };
    std::vector<int128> want(q.indicators.size(), 0);
    for (uint32_t p = 0; p < c.ledger.size(); ++p) {
      if (pc.cancelled_on[p] != kNoDay && pc.cancelled_on[p] <= d) continue;
      const bool attracted = pc.attracted[p] == Attracted::kYes;
      want[0] += c.ledger.Investment(p, {per.quarter.first, per.month});
      want[1] += c.ledger.Investment(p, {per.quarter.first - 12, last_year});
      want[2] += within(pc.started_on[p], q_first, d);
      want[3] += within(pc.completed_on[p], q_first, d);
      want[4] += attracted && within(pc.signed_on[p], q_first, d);
      want[5] += within(pc.started_on[p], prev_q_first, prev_d);
      want[6] += within(pc.completed_on[p], prev_q_first, prev_d);
      want[7] += attracted && within(pc.signed_on[p], prev_q_first, prev_d);
      const internal::PlanColumns& plans = internal::Columns(c.ledger).plans;
      for (uint32_t row = plans.row_begin[p]; row < plans.row_begin[p + 1]; ++row) {
        const int year = plans.year[row];
        if (year > per.year) want[8] += plans.planned[row];
        if (year > per.year && year <= per.year + 10) want[static_cast<size_t>(8 + year - per.year)] += plans.planned[row];
      }
    }
    for (size_t k = 0; k < want.size(); ++k) {
      const Value& got = r.total().values[k];
      EXPECT_TRUE(got == Value::Integer(want[k]))
          << q.indicators[k] << ": " << Show(got) << ", by definition " << Int128ToString(want[k]);
      nonzero += want[k] != 0;
    }
  }
  EXPECT_GT(nonzero, kCases);  // the cases have quarters with figures
}

// Group by tag, alone and with county: each row is computed as the whole scope of a
// query filtered to the row's tag (Filter::tags, an independent path through the
// scope test; the untagged row by the codes of the untagged projects) and county --
// every indicator family, lists included. The whole-scope row counts each project
// once (the same as ungrouped), and in some case a project is in two tag rows.
TEST(EngineProperty, TagRowEqualsQueryFilteredToThatTag) {
  int compared = 0, overlapping = 0;
  for (int i = 0; i < kCases; i += 2) {
    Case c = MakeCase(CaseSeed(i));
    if (i % 4 == 0) {
      c.query.group_by = {Dimension::kTag};
    } else {
      c.query.group_by = {Dimension::kTag, Dimension::kCounty};
    }
    c.query.options.use_baseline = false;  // a filtered query takes no base
    SCOPED_TRACE(Describe(c));
    const Result grouped = MustEvaluate(c.ledger, c.query);
    Query flat = c.query;
    flat.group_by.clear();
    const Result whole = MustEvaluate(c.ledger, flat);
    ASSERT_EQ(whole.rows.size(), 1u);
    for (size_t k = 0; k < whole.indicators.size(); ++k) {
      EXPECT_TRUE(Identical(whole.rows[0].values[k], grouped.total().values[k])) << whole.indicators[k].id;
      EXPECT_EQ(whole.rows[0].projects[k], grouped.total().projects[k]) << whole.indicators[k].id;
    }
    const internal::ProjectColumns& pc = internal::Columns(c.ledger).projects;
    std::vector<std::string> untagged;
    for (uint32_t p = 0; p < c.ledger.size(); ++p) {
      bool any = false;
      for (uint32_t t = pc.tag_begin[p]; t < pc.tag_begin[p + 1]; ++t) any |= !c.ledger.text(pc.tag_ids[t]).empty();
      if (!any) untagged.emplace_back(c.ledger.code(p));
    }
    // The project count of the rows exceeds the whole's when a project has two tags.
    const int proj = grouped.column("projects");
    ASSERT_GE(proj, 0);
    int128 rows_sum = 0;
    for (size_t g = 0; g + 1 < grouped.rows.size(); ++g) rows_sum += grouped.rows[g].values[static_cast<size_t>(proj)].num();
    EXPECT_GE(rows_sum, grouped.total().values[static_cast<size_t>(proj)].num());
    overlapping += rows_sum > grouped.total().values[static_cast<size_t>(proj)].num();
    for (size_t g = 0; g + 1 < grouped.rows.size(); ++g) {
      const std::vector<std::string>& key = grouped.rows[g].group;
      ASSERT_EQ(key.size(), c.query.group_by.size());
      Query f = flat;
      if (key[0].empty()) {
        if (untagged.empty()) ADD_FAILURE() << "an untagged row without untagged projects";
        f.filter.codes = untagged;
      } else {
        f.filter.tags = {key[0]};
      }
      if (key.size() > 1) {
        if (key[1].empty()) continue;  // no region: no filter selects it
        f.filter.region_prefixes = {key[1]};
      }
      const Result one = MustEvaluate(c.ledger, f);
      ++compared;
      for (size_t k = 0; k < one.indicators.size(); ++k) {
        if (one.indicators[k].def->id == "share") continue;  // of a different whole
        EXPECT_TRUE(one.rows[0].values[k] == grouped.rows[g].values[k])
            << key[0] << " " << one.indicators[k].id << ": " << Show(one.rows[0].values[k]) << " vs "
            << Show(grouped.rows[g].values[k]);
        EXPECT_EQ(one.rows[0].projects[k], grouped.rows[g].projects[k]) << key[0] << " " << one.indicators[k].id;
      }
    }
  }
  EXPECT_GT(compared, 10);
  EXPECT_GT(overlapping, 3);
}

}  // namespace
}  // namespace keyproj
