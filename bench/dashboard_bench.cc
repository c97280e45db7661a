// The standard dashboard: 20 indicators grouped by category and by county, on dense
// generated ledgers (GeneratorOptions{.dense = true}: every project under way and
// reporting every month of the generator's 24-month window from 2023-01, which the
// default as_of 2024-09-30 cuts to 21 months, 2023-01..2024-09), with
// keyproj on one thread and on all threads, next to the same dashboard as one SQL
// statement on SQLite (in-memory, the same data), so the ratio is measured in one run.
//
//   build/release/bench/dashboard_bench                                  # 10^4 .. 10^7
//   build/release/bench/dashboard_bench --benchmark_filter='/1000000/'   # one size
//   build/release/bench/dashboard_bench --benchmark_filter='keyproj'     # keyproj only
//   KEYPROJ_BENCH_MAX_PROJECTS=1000000 build/release/bench/dashboard_bench
//   KEYPROJ_BENCH_SQLITE_MAX=10000000 build/release/bench/dashboard_bench  # SQLite at 10^7 too
//
// Benchmarks are named Dashboard/<projects>/<group by>/<engine>, and for one size and
// grouping keyproj (threads:1, threads:all) and SQLite run one after the other. The
// SQLite benchmark's counters x_keyproj_1t and x_keyproj_all are its time over
// keyproj's (from the keyproj benchmarks just before it, in the same run);
// per_project is seconds per project (linearity: it should not grow with size);
// threads is the number asked for (all = the hardware's), though the engine may use
// fewer on a small ledger.
//
// Environment:
//   KEYPROJ_BENCH_MAX_PROJECTS  largest ledger (default 10^7; a dense 10^7 ledger
//                               takes a few GB and about a minute to generate)
//   KEYPROJ_BENCH_SQLITE_MAX    largest ledger for SQLite (default 10^6; the 10^7
//                               in-memory database needs ~10 GB and minutes to load)
//   KEYPROJ_BENCH_SQLITE_PLAN   set: print SQLite's query plan for each grouping
//   KEYPROJ_BENCH_SQLITE_DUMP   a path: write each size's loaded database there
//                               (VACUUM INTO), to try the SQL in the sqlite3 shell
//
// The ledger of a size is generated once and kept while that size's benchmarks run;
// the SQLite database is loaded from the same Ledger object, outside any timing. The
// loading, the SQL and the comparison are bench/sql_dashboard.h, which the ctest
// differential test (tests/sql_differential_test.cc) runs on many more ledgers.
// Before SQLite is timed its answers are compared with keyproj's for every group and
// the whole-scope row (counts and money exactly; rates as fractions, by
// cross-multiplication), and once more on a realistic 50 000-project ledger (the
// dense ones have no completed, cancelled or unstarted projects): a difference skips
// the benchmark with an error naming the indicator and group, so a ratio is only
// reported for equal answers.
//
// Targets (the issue): 10^6 projects in <= 50 ms with all threads on a 2-core
// machine; >= 20x faster than SQLite; time linear in projects.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "bench_support.h"
#include "benchmark/benchmark.h"
#include "keyproj/engine.h"
#include "keyproj/generator.h"
#include "keyproj/indicators.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"
#include "keyproj/internal/text.h"
#include "sql_dashboard.h"

namespace keyproj {

using ::keyproj::internal::Cat;
namespace {

using bench::CompareDashboard;
using bench::DashboardStatement;
using bench::Die;
using bench::DimName;
using bench::EnvInt;
using bench::SqlDb;
using bench::SqlLoaded;
using bench::SqlRow;

using Clock = std::chrono::steady_clock;

// The standard dashboard, in this order.
const std::vector<std::string>& DashboardIds() {
  static const std::vector<std::string> ids(StandardDashboard().begin(), StandardDashboard().end());
  return ids;
}

GeneratorOptions LedgerOptions(int64_t projects) {
  GeneratorOptions o;
  o.projects = static_cast<uint64_t>(projects);
  o.dense = true;  // every project reports 2023-01 .. 2024-09 (the window cut at as_of)
  return o;
}

// KEYPROJ_BENCH_INDICATORS=a,b,c replaces the dashboard in the keyproj runs (to see
// what each part of the pass costs; the SQLite comparison is skipped then).
std::vector<std::string> BenchIds() {
  const char* v = std::getenv("KEYPROJ_BENCH_INDICATORS");
  if (v == nullptr || *v == '\0') return DashboardIds();
  std::vector<std::string> ids;
  std::string_view rest = v;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    ids.emplace_back(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return ids;
}

Query DashboardQuery(Dimension by, int threads) {
  Query q;
  q.as_of = LedgerOptions(1).as_of;
  q.group_by = {by};
  q.indicators = BenchIds();
  q.options.threads = threads;
  return q;
}

// ---- SQLite (sql_dashboard.h) ------------------------------------------------------

// The same comparison, once, on a realistic ledger (not dense): the dense ones have
// every project started and none completed or cancelled, which would leave parts of
// the SQL untested. "" when equal. (tests/sql_differential_test.cc compares many
// more ledgers and dates; this keeps a ratio from being reported for unequal answers.)
const std::string& RealisticCheck() {
  static const std::string result = [] {
    GeneratorOptions o;
    o.projects = 50'000;
    absl::StatusOr<Ledger> l = GenerateLedger(o);
    if (!l.ok()) Die(l.status(), "generate");
    absl::StatusOr<std::unique_ptr<SqlDb>> db = SqlDb::OpenInMemory();
    if (!db.ok()) Die(db.status(), "sqlite");
    if (absl::StatusOr<SqlLoaded> loaded = LoadSqlite(*l, **db); !loaded.ok()) Die(loaded.status(), "sqlite load");
    for (Dimension by : {Dimension::kCategory, Dimension::kCounty}) {
      Query q = DashboardQuery(by, 0);
      q.as_of = o.as_of;
      absl::StatusOr<std::unique_ptr<DashboardStatement>> stmt = DashboardStatement::Prepare(**db, by, q.as_of);
      if (!stmt.ok()) Die(stmt.status(), "sqlite");
      std::vector<SqlRow> rows;
      if (absl::Status s = (*stmt)->Run(rows); !s.ok()) Die(s, "sqlite");
      absl::StatusOr<Result> kp = Evaluate(*l, q);
      if (!kp.ok()) Die(kp.status(), "evaluate");
      if (std::vector<std::string> diffs = CompareDashboard(*kp, rows); !diffs.empty()) {
        return Cat("on a realistic ledger of ", o.projects, " projects by ", DimName(by), ": ", diffs[0]);
      }
    }
    return std::string();
  }();
  return result;
}

// ---- the data of one size, kept while its benchmarks run ------------------------------

struct SizeData {
  int64_t projects = 0;
  Ledger ledger;
  double generate_seconds = 0;
  std::unique_ptr<SqlDb> db;
  SqlLoaded loaded;
  // Per grouping: the prepared dashboard, and the outcome of the check ("" = equal).
  std::map<Dimension, std::unique_ptr<DashboardStatement>> statements;
  std::map<Dimension, std::string> checked;
};

// Only one size is held at a time (benchmarks run size by size): a new size frees
// the previous one first.
SizeData& DataFor(int64_t projects) {
  static std::unique_ptr<SizeData> data;
  if (data && data->projects == projects) return *data;
  data.reset();
  data = std::make_unique<SizeData>();
  data->projects = projects;
  const auto t0 = Clock::now();
  absl::StatusOr<Ledger> l = GenerateLedger(LedgerOptions(projects));
  if (!l.ok()) Die(l.status(), "generate");
  data->ledger = *std::move(l);
  data->generate_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return *data;
}

// keyproj's seconds per Evaluate, by (projects, grouping, threads), for the ratios.
std::map<std::tuple<int64_t, Dimension, int>, double>& KeyprojSeconds() {
  static std::map<std::tuple<int64_t, Dimension, int>, double> m;
  return m;
}

void PerProjectCounters(benchmark::State& state, int64_t projects) {
  state.SetItemsProcessed(state.iterations() * projects);
  state.counters["projects"] = static_cast<double>(projects);
  // Seconds per project: flat across sizes when time is linear in projects.
  state.counters["per_project"] =
      benchmark::Counter(static_cast<double>(projects),
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Keyproj(benchmark::State& state, int64_t projects, Dimension by, int threads) {
  SizeData& data = DataFor(projects);
  const Query q = DashboardQuery(by, threads);
  size_t rows = 0;
  const auto t0 = Clock::now();
  for (auto _ : state) {
    absl::StatusOr<Result> r = Evaluate(data.ledger, q);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    rows = r->rows.size();
    benchmark::DoNotOptimize(r->rows.data());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  KeyprojSeconds()[{projects, by, threads}] = seconds / static_cast<double>(state.iterations());
  PerProjectCounters(state, projects);
  state.counters["groups"] = static_cast<double>(rows - 1);
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  state.counters["threads"] = threads == 0 ? hw : threads;  // asked for; see the top
}

void BM_Sqlite(benchmark::State& state, int64_t projects, Dimension by) {
  SizeData& data = DataFor(projects);
  const Query q = DashboardQuery(by, 0);
  if (!data.db) {
    absl::StatusOr<std::unique_ptr<SqlDb>> db = SqlDb::OpenInMemory();
    if (!db.ok()) Die(db.status(), "sqlite");
    data.db = *std::move(db);
    absl::StatusOr<SqlLoaded> loaded = LoadSqlite(data.ledger, *data.db);
    if (!loaded.ok()) Die(loaded.status(), "sqlite load");
    data.loaded = *loaded;
    // The plans of as_of's year, before a dump (the statement would set them at its first run).
    if (absl::Status s = data.db->SetPlanYear(Periods::For(q.as_of).year); !s.ok()) Die(s, "sqlite load");
    if (const char* dump = std::getenv("KEYPROJ_BENCH_SQLITE_DUMP")) {
      if (absl::Status s = data.db->Exec(Cat("VACUUM INTO '", dump, "'")); !s.ok()) Die(s, "sqlite dump");
    }
  }
  std::unique_ptr<DashboardStatement>& stmt = data.statements[by];
  if (!stmt) {
    absl::StatusOr<std::unique_ptr<DashboardStatement>> prepared = DashboardStatement::Prepare(*data.db, by, q.as_of);
    if (!prepared.ok()) Die(prepared.status(), "sqlite");
    stmt = *std::move(prepared);
    if (std::getenv("KEYPROJ_BENCH_SQLITE_PLAN") != nullptr) {
      absl::StatusOr<std::string> plan = stmt->QueryPlan();
      if (!plan.ok()) Die(plan.status(), "sqlite");
      std::fprintf(stderr, "SQLite plan, by %s:\n%s", std::string(DimName(by)).c_str(), plan->c_str());
    }
  }
  std::vector<SqlRow> rows;
  // The check, once per size and grouping, outside the timing.
  auto checked = data.checked.find(by);
  if (checked == data.checked.end()) {
    absl::StatusOr<Result> kp = Evaluate(data.ledger, q);
    if (!kp.ok()) Die(kp.status(), "evaluate");
    if (absl::Status s = stmt->Run(rows); !s.ok()) Die(s, "sqlite");
    const std::vector<std::string> diffs = CompareDashboard(*kp, rows);
    checked = data.checked.emplace(by, diffs.empty() ? std::string() : diffs[0]).first;
  }
  if (!checked->second.empty()) {
    state.SkipWithError(Cat("SQLite and keyproj differ: ", checked->second).c_str());
    return;
  }
  if (const std::string& diff = RealisticCheck(); !diff.empty()) {
    state.SkipWithError(Cat("SQLite and keyproj differ ", diff).c_str());
    return;
  }
  const auto t0 = Clock::now();
  for (auto _ : state) {
    if (absl::Status s = stmt->Run(rows); !s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(rows.data());
  }
  const double seconds =
      std::chrono::duration<double>(Clock::now() - t0).count() / static_cast<double>(state.iterations());
  PerProjectCounters(state, projects);
  state.counters["groups"] = static_cast<double>(rows.size() - 1);
  state.counters["monthly_rows"] = static_cast<double>(data.loaded.monthly_rows);
  state.counters["load_s"] = data.loaded.seconds;
  const auto& kp = KeyprojSeconds();
  if (auto it = kp.find({projects, by, 1}); it != kp.end()) state.counters["x_keyproj_1t"] = seconds / it->second;
  if (auto it = kp.find({projects, by, 0}); it != kp.end()) state.counters["x_keyproj_all"] = seconds / it->second;
}

void Register() {
  const int64_t max_projects = EnvInt("KEYPROJ_BENCH_MAX_PROJECTS", 10'000'000);
  const int64_t sqlite_max = EnvInt("KEYPROJ_BENCH_SQLITE_MAX", 1'000'000);
  for (int64_t n : {int64_t{10'000}, int64_t{100'000}, int64_t{1'000'000}, int64_t{10'000'000}}) {
    if (n > max_projects) continue;
    for (Dimension by : {Dimension::kCategory, Dimension::kCounty}) {
      const std::string base = Cat("Dashboard/", n, "/", DimName(by), "/");
      for (int threads : {1, 0}) {
        benchmark::RegisterBenchmark(Cat(base, "keyproj/threads:", threads == 0 ? "all" : "1").c_str(),
                                     [=](benchmark::State& s) { BM_Keyproj(s, n, by, threads); })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
      if (n <= sqlite_max && std::getenv("KEYPROJ_BENCH_INDICATORS") == nullptr) {
        benchmark::RegisterBenchmark(Cat(base, "sqlite").c_str(),
                                     [=](benchmark::State& s) { BM_Sqlite(s, n, by); })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
    }
  }
}

}  // namespace
}  // namespace keyproj

int main(int argc, char** argv) { return keyproj::bench::BenchmarkMain(argc, argv, keyproj::Register); }
