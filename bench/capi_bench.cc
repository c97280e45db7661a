// The C ABI's cost over the C++ core, and building a ledger from column arrays.
//
//   build/release/bench/capi_bench --benchmark_repetitions=3                  # 10^6 projects
//   KEYPROJ_BENCH_CAPI_PROJECTS=10000 build/release/bench/capi_bench          # a quick run
//
// Setup, once per process and not timed: the generator's records (GeneratorOptions,
// no extra column) of N projects, N = KEYPROJ_BENCH_CAPI_PROJECTS (default 10^6), held
// as column arrays the way a host holds them (bench/generated_columns.h: money as int64
// 分 with scale 6, dates as date32, years and division codes as int32, yes/no as bool,
// validity bitmaps for what is not known, text as Arrow utf8). Two sets: the realistic
// mix (about 7 monthly rows a project) for the reports, and a dense one (every project
// reports all 24 months) for the builds. Nothing is generated until the first
// benchmark runs, so `--benchmark_list_tests` (ctest bench_smoke.capi) is instant.
//
// Benchmarks:
//   Capi/Report/Cxx/<N>     keyproj::MakeReport(ledger, ReportRequest{}): the standard
//                           dashboard grouped by category, as of the default date,
//                           all hardware threads.
//   Capi/Report/C/<N>       kp_report_make of the same request (kp_report_request_new)
//                           on a kp_ledger holding an equal ledger.
//   Capi/Report/Paired/<N>  both in every iteration, in alternating order, each timed
//                           on its own: overhead_pct = 100 * (C / Cxx - 1) over the run
//                           (target <= 5%). On a shared machine the two separate
//                           benchmarks above drift apart with the load; the paired one
//                           does not.
//   Capi/Build/C/<N>        kp_ledger_builder_new, add_columns of every table (one
//                           batch a table), finish: projects_per_second (target >= 10^6)
//                           and monthly_rows_per_second; where a build's time goes:
//                           each table's add_columns (<table>_ms) and finish_ms.
//   Capi/Build/Cxx/<N>      the same through keyproj::ColumnLedgerBuilder.
//   Capi/BuildPM/C/<N>      issue 10's measure exactly: projects and monthly only (24
//   Capi/BuildPM/Cxx/<N>    months each), C and C++; the tables above stay measured
//                           by Build/*.
//   Machine/FirstTouch/1GiB the machine's rate of writing memory fresh from the kernel
//                           (first_gb_per_s) and of writing it again (again_gb_per_s);
//                           BuildPM/Cxx reports the MiB its ledger holds (ledger_mb,
//                           monthly_mb), each written fresh by the build at least once.
// Both report benchmarks build their ledgers through the column arrays (C and C++
// builder respectively), which also checks that they agree on the project count.
#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bench_support.h"
#include "benchmark/benchmark.h"
#include "generated_columns.h"
#include "keyproj.h"
#include "keyproj/column_import.h"
#include "keyproj/generator.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"

namespace keyproj::bench {
namespace {

int64_t Projects() { return EnvInt("KEYPROJ_BENCH_CAPI_PROJECTS", 1'000'000); }

struct Data {
  GeneratorOptions options;
  GeneratedColumns columns;
};

// The columns of N generated projects, made once per kind (dense or not).
const Data& Columns(bool dense) {
  static std::unique_ptr<Data> data[2];
  std::unique_ptr<Data>& d = data[dense ? 1 : 0];
  if (!d) {
    d = std::make_unique<Data>();
    d->options.projects = static_cast<uint64_t>(Projects());
    d->options.extra_columns = false;
    d->options.dense = dense;
    if (absl::Status s = GenerateRecords(d->options, d->columns); !s.ok()) Die(s, "generate");
    std::fprintf(stderr, "capi_bench: %lld projects (%s), %zu monthly rows\n", static_cast<long long>(Projects()),
                 dense ? "dense" : "realistic", d->columns.Rows(Table::kMonthly));
  }
  return *d;
}

kp_column ToC(const ColumnView& v) {
  kp_column c = KP_COLUMN_INIT;
  c.name = v.name.data();  // OwnedColumn::name: NUL-terminated
  c.type = static_cast<int32_t>(v.type);
  c.scale = v.scale;
  c.values = v.values;
  c.offsets = v.offsets;
  c.validity = v.validity;
  c.validity_bytes = v.validity_bytes;
  return c;
}

// Every table's columns as kp_column arrays, in the order they are added.
struct CBatches {
  std::vector<std::pair<int32_t, std::vector<kp_column>>> tables;
  std::vector<size_t> rows;
};
CBatches MakeCBatches(const GeneratedColumns& g, bool projects_monthly_only = false) {
  CBatches b;
  for (Table t : GeneratedColumns::kOrder) {
    if (projects_monthly_only && t != Table::kProjects && t != Table::kMonthly) continue;
    std::vector<kp_column> cols;
    for (const ColumnView& v : g.Views(t)) cols.push_back(ToC(v));
    b.tables.emplace_back(static_cast<int32_t>(t), std::move(cols));
    b.rows.push_back(g.Rows(t));
  }
  return b;
}

kp_load_options CLoadOptions(const GeneratorOptions& o) {
  static std::string fx;
  fx = "USD=" + o.usd_rate;
  kp_load_options opts = KP_LOAD_OPTIONS_INIT;
  opts.fx_rates = fx.c_str();
  return opts;
}

// Phase times of one build, for the counters: a table's add_columns, then finish.
using Clock = std::chrono::steady_clock;
struct Phases {
  std::vector<Clock::duration> add;  // per table of the batches
  Clock::duration finish{};
};

kp_ledger* BuildC(const Data& d, const CBatches& b, Phases* phases = nullptr) {
  const kp_load_options opts = CLoadOptions(d.options);
  kp_ledger_builder* builder = nullptr;
  kp_ledger* ledger = nullptr;
  if (kp_ledger_builder_new(&opts, &builder) != KP_OK) Die(absl::InternalError(kp_last_error_message()), "new");
  if (phases != nullptr) phases->add.resize(b.tables.size());
  for (size_t i = 0; i < b.tables.size(); ++i) {
    const auto& [table, cols] = b.tables[i];
    const Clock::time_point t0 = Clock::now();
    if (kp_ledger_builder_add_columns(builder, table, b.rows[i], cols.data(), cols.size()) != KP_OK) {
      Die(absl::InternalError(kp_last_error_message()), "add_columns");
    }
    if (phases != nullptr) phases->add[i] += Clock::now() - t0;
  }
  const Clock::time_point t0 = Clock::now();
  if (kp_ledger_builder_finish(builder, &ledger, nullptr) != KP_OK) {
    Die(absl::InternalError(kp_last_error_message()), "finish");
  }
  if (phases != nullptr) phases->finish += Clock::now() - t0;
  kp_ledger_builder_free(builder);
  return ledger;
}

Ledger BuildCxx(const Data& d, bool projects_monthly_only = false) {
  LoadOptions load;
  load.fx_rates = GeneratorBuildOptions(d.options).fx_rates;
  ColumnLedgerBuilder builder(load);
  for (Table t : GeneratedColumns::kOrder) {
    if (projects_monthly_only && t != Table::kProjects && t != Table::kMonthly) continue;
    const std::vector<ColumnView> views = d.columns.Views(t);
    if (absl::Status s = builder.AddColumns(t, d.columns.Rows(t), views); !s.ok()) Die(s, "AddColumns");
  }
  absl::StatusOr<Ledger> ledger = builder.Build();
  if (!ledger.ok()) Die(ledger.status(), "Build");
  return *std::move(ledger);
}

void ReportCxx(benchmark::State& state) {
  static const Ledger ledger = BuildCxx(Columns(false));
  const ReportRequest request;
  for (auto _ : state) {
    absl::StatusOr<Report> report = MakeReport(ledger, request);
    if (!report.ok()) Die(report.status(), "MakeReport");
    benchmark::DoNotOptimize(report);
  }
  state.counters["projects"] = static_cast<double>(ledger.size());
}

void ReportC(benchmark::State& state) {
  static kp_ledger* const ledger = BuildC(Columns(false), MakeCBatches(Columns(false).columns));
  kp_report_request* request = nullptr;
  if (kp_report_request_new(&request) != KP_OK) Die(absl::InternalError(kp_last_error_message()), "request");
  for (auto _ : state) {
    kp_report* report = nullptr;
    if (kp_report_make(ledger, request, &report) != KP_OK) Die(absl::InternalError(kp_last_error_message()), "make");
    benchmark::DoNotOptimize(report);
    kp_report_free(report);
  }
  kp_report_request_free(request);
  size_t n = 0;
  kp_ledger_project_count(ledger, &n);
  state.counters["projects"] = static_cast<double>(n);
}

void ReportPaired(benchmark::State& state) {
  static const Ledger cxx_ledger = BuildCxx(Columns(false));
  static kp_ledger* const c_ledger = BuildC(Columns(false), MakeCBatches(Columns(false).columns));
  const ReportRequest cxx_request;
  kp_report_request* c_request = nullptr;
  if (kp_report_request_new(&c_request) != KP_OK) Die(absl::InternalError(kp_last_error_message()), "request");
  Clock::duration c_time{}, cxx_time{};
  auto run_cxx = [&] {
    const Clock::time_point t0 = Clock::now();
    absl::StatusOr<Report> report = MakeReport(cxx_ledger, cxx_request);
    if (!report.ok()) Die(report.status(), "MakeReport");
    benchmark::DoNotOptimize(report);
    report = absl::CancelledError();  // freed inside the timing, as kp_report_free is
    cxx_time += Clock::now() - t0;
  };
  auto run_c = [&] {
    const Clock::time_point t0 = Clock::now();
    kp_report* report = nullptr;
    if (kp_report_make(c_ledger, c_request, &report) != KP_OK) {
      Die(absl::InternalError(kp_last_error_message()), "make");
    }
    benchmark::DoNotOptimize(report);
    kp_report_free(report);
    c_time += Clock::now() - t0;
  };
  bool c_first = false;
  for (auto _ : state) {
    if (c_first) {
      run_c();
      run_cxx();
    } else {
      run_cxx();
      run_c();
    }
    c_first = !c_first;
  }
  kp_report_request_free(c_request);
  const double c_ms = std::chrono::duration<double, std::milli>(c_time).count();
  const double cxx_ms = std::chrono::duration<double, std::milli>(cxx_time).count();
  const auto n = static_cast<double>(state.iterations());
  state.counters["c_ms"] = c_ms / n;
  state.counters["cxx_ms"] = cxx_ms / n;
  state.counters["overhead_pct"] = 100.0 * (c_ms / cxx_ms - 1.0);
}

void Rates(benchmark::State& state, const Data& d) {
  const double iterations = static_cast<double>(state.iterations());
  state.counters["projects_per_second"] =
      benchmark::Counter(static_cast<double>(d.options.projects) * iterations, benchmark::Counter::kIsRate);
  state.counters["monthly_rows_per_second"] = benchmark::Counter(
      static_cast<double>(d.columns.Rows(Table::kMonthly)) * iterations, benchmark::Counter::kIsRate);
}

void BuildThroughC(benchmark::State& state, bool projects_monthly_only) {
  const Data& d = Columns(true);
  const CBatches batches = MakeCBatches(d.columns, projects_monthly_only);
  Phases phases;
  for (auto _ : state) {
    kp_ledger* ledger = BuildC(d, batches, &phases);
    state.PauseTiming();
    kp_ledger_free(ledger);
    state.ResumeTiming();
  }
  Rates(state, d);
  // Where the time goes, per build: each table's add_columns (<table>_ms) and finish.
  const auto ms = [&](Clock::duration t) {
    return std::chrono::duration<double, std::milli>(t).count() / static_cast<double>(state.iterations());
  };
  for (size_t i = 0; i < batches.tables.size(); ++i) {
    state.counters[std::string(TableName(static_cast<Table>(batches.tables[i].first))) + "_ms"] = ms(phases.add[i]);
  }
  state.counters["finish_ms"] = ms(phases.finish);
}

void BuildThroughCxx(benchmark::State& state, bool projects_monthly_only) {
  const Data& d = Columns(true);
  for (auto _ : state) {
    std::unique_ptr<Ledger> ledger = std::make_unique<Ledger>(BuildCxx(d, projects_monthly_only));
    state.PauseTiming();
    // What the build wrote and keeps: on a machine where fresh memory is slow to fault
    // in (Machine/FirstTouch), a floor under the build's time.
    state.counters["ledger_mb"] = static_cast<double>(ledger->memory_bytes()) / (1 << 20);
    state.counters["monthly_mb"] = static_cast<double>(ledger->monthly_memory_bytes()) / (1 << 20);
    ledger.reset();
    state.ResumeTiming();
  }
  Rates(state, d);
}

// Writing 1 GiB of memory fresh from the kernel, the way a build's columns are first
// written (huge pages advised, as internal::ReserveHuge does), then writing it again:
// the machine's cost of first touch, which no builder change removes. On a virtual
// machine it can be many times the second write's.
void FirstTouch(benchmark::State& state) {
  constexpr size_t kBytes = size_t{1} << 30;
  double first = 0, again = 0;
  for (auto _ : state) {
    void* p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) Die(absl::ResourceExhaustedError("mmap of 1 GiB failed"), "FirstTouch");
    madvise(p, kBytes, MADV_HUGEPAGE);
    const Clock::time_point t0 = Clock::now();
    std::memset(p, 1, kBytes);
    const Clock::time_point t1 = Clock::now();
    std::memset(p, 2, kBytes);
    benchmark::DoNotOptimize(p);
    const Clock::time_point t2 = Clock::now();
    munmap(p, kBytes);
    first += std::chrono::duration<double>(t1 - t0).count();
    again += std::chrono::duration<double>(t2 - t1).count();
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["first_gb_per_s"] = n / first;
  state.counters["again_gb_per_s"] = n / again;
}

void Register() {
  benchmark::RegisterBenchmark("Machine/FirstTouch/1GiB", FirstTouch)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(1);
  const std::string n = std::to_string(Projects());
  benchmark::RegisterBenchmark(("Capi/Report/Cxx/" + n).c_str(), ReportCxx)->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark(("Capi/Report/C/" + n).c_str(), ReportC)->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark(("Capi/Report/Paired/" + n).c_str(), ReportPaired)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  for (const bool projects_monthly_only : {false, true}) {
    const std::string kind = projects_monthly_only ? "Capi/BuildPM/" : "Capi/Build/";
    benchmark::RegisterBenchmark((kind + "C/" + n).c_str(), BuildThroughC, projects_monthly_only)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
    benchmark::RegisterBenchmark((kind + "Cxx/" + n).c_str(), BuildThroughCxx, projects_monthly_only)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
  }
}

}  // namespace
}  // namespace keyproj::bench

int main(int argc, char** argv) { return keyproj::bench::BenchmarkMain(argc, argv, keyproj::bench::Register); }
