// The end-to-end cost of `keyproj report` on a generated ledger, split by phase: load
// the CSV folder, evaluate the standard dashboard, render the result. The figures of
// the note on report timings come from this suite.
//
//   KEYPROJ_BENCH_REPORT_PROJECTS=1000000 build/release/bench/report_bench   # the note's run
//   KEYPROJ_BENCH_REPORT_PROJECTS=10000 build/release/bench/report_bench     # a quick run
//   build/release/bench/report_bench --benchmark_filter='Render'              # one phase
//
// Setup, once per process and not timed: a realistic ledger (GeneratorOptions{}: not
// dense, so reserve projects have no months and completed ones stop) of N projects,
// N = KEYPROJ_BENCH_REPORT_PROJECTS (default 10^6), is written as a CSV folder (UTF-8,
// English headers) to a fresh folder under std::filesystem::temp_directory_path(),
// removed at exit; its size goes to stderr. Nothing is generated until the first
// benchmark runs, so `--benchmark_list_tests` (ctest bench_smoke.report) is instant.
//
// Benchmarks, in the order a report does its work:
//   Report/Load/<N>               LoadCsvLedger of the folder (strict, UTF-8, the USD
//                                 rate the generator used). read_MB (10^6 bytes/s) and
//                                 bytes_per_second (MiB/s) are the CSV read rate;
//                                 csv_MB the folder's size.
//   Report/Query/<N>/<grouping>   Evaluate of the standard dashboard (StandardDashboard(),
//                                 20 indicators) as of 2024-09-30 by category or by
//                                 county, threads = all (options.threads = 0).
//   Report/Render/<N>/<grouping>/<format>
//                                 the one-table report of that grouping's result as
//                                 `keyproj report --format F` renders it: table
//                                 (RenderTextTables + RenderProjectLists), json, csv,
//                                 md (RenderMarkdown + RenderProjectLists), xlsx
//                                 (WriteXlsx to a file in the temporary folder).
//                                 out_KB is the document's size.
//   Report/EndToEnd/<N>           load + query (category) + render json in one
//                                 iteration: `keyproj report --format json` in-process
//                                 (less process start and writing stdout).
// Load and EndToEnd hold a second ledger while they run: the one Query and Render use
// is loaded once (outside timing) and freed before EndToEnd.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "bench_support.h"
#include "benchmark/benchmark.h"
#include "keyproj/csv_loader.h"
#include "keyproj/csv_writer.h"
#include "keyproj/engine.h"
#include "keyproj/generator.h"
#include "keyproj/indicators.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"
#include "keyproj/report.h"
#include "keyproj/report_xlsx.h"
#include "keyproj/internal/text.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
namespace {

using bench::Die;
using bench::DimName;
using bench::EnvInt;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

GeneratorOptions LedgerOptions(int64_t projects) {
  GeneratorOptions o;
  o.projects = static_cast<uint64_t>(projects);  // realistic mix (dense = false)
  return o;
}

// What `keyproj report --data DIR` loads with: strict; the rate of the generator's USD rows.
LoadOptions ReportLoadOptions() {
  LoadOptions o;
  o.encoding = Encoding::kUtf8;
  o.fx_rates.emplace_back("USD", LedgerOptions(1).usd_rate);
  return o;
}

// The CLI's default as_of is the last month's end of the ledger: the generator's as_of.
Query DashboardQuery(Dimension by) {
  Query q;
  q.as_of = LedgerOptions(1).as_of;
  q.group_by = {by};
  q.indicators.assign(StandardDashboard().begin(), StandardDashboard().end());
  q.options.threads = 0;  // all
  return q;
}

// The one-table report `keyproj report --group-by <by>` builds.
Report OneTableReport(Dimension by, Result result) {
  Report r;
  r.scope_name = "全省";  // what the CLI derives for the generator's three cities
  r.tables.push_back({GroupingTitle({by}), std::move(result), {}});
  return r;
}

// ---- the data, made on first use ------------------------------------------------------

// A folder under the system's temporary directory, removed when the process ends
// (normally or through std::exit).
class TempFolder {
 public:
  TempFolder() {
    std::random_device rd;
    const fs::path base = fs::temp_directory_path();
    for (int attempt = 0; attempt < 100; ++attempt) {
      fs::path p = base / Cat("keyproj_report_bench_", static_cast<uint64_t>(rd()) << 32 | rd());
      std::error_code ec;
      if (fs::create_directory(p, ec)) {
        path_ = std::move(p);
        return;
      }
    }
    std::fprintf(stderr, "cannot create a folder under %s\n", base.string().c_str());
    std::exit(1);
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Data {
  int64_t projects = 0;
  std::unique_ptr<TempFolder> temp;
  fs::path csv_dir;     // the ledger's CSV folder
  uint64_t csv_bytes = 0;
  // The loaded ledger Query and Render use (loaded on first use), and the results
  // Render renders.
  std::optional<Ledger> ledger;
  std::optional<Result> results[2];  // by category, by county
};

int64_t Projects() { return EnvInt("KEYPROJ_BENCH_REPORT_PROJECTS", 1'000'000); }

Data& TheData() {
  static Data* data = [] {
    static Data d;
    d.projects = Projects();
    d.temp = std::make_unique<TempFolder>();
    d.csv_dir = d.temp->path() / "ledger";
    const auto t0 = Clock::now();
    double generate_s = 0;
    {
      absl::StatusOr<Ledger> l = GenerateLedger(LedgerOptions(d.projects));
      if (!l.ok()) Die(l.status(), "generate");
      generate_s = Seconds(t0);
      if (absl::Status st = WriteCsvLedger(*l, d.csv_dir); !st.ok()) Die(st, "write CSV");
    }  // the generated ledger is freed here
    const double write_s = Seconds(t0) - generate_s;
    std::string files;
    for (const fs::directory_entry& e : fs::directory_iterator(d.csv_dir)) {
      if (!e.is_regular_file()) continue;
      d.csv_bytes += e.file_size();
      char mb[32];
      std::snprintf(mb, sizeof mb, " %.1f MB", static_cast<double>(e.file_size()) / 1e6);
      Append(&files, files.empty() ? "" : ", ", e.path().filename().string(), mb);
    }
    std::fprintf(stderr,
                 "report_bench: %lld projects, CSV folder %s: %.1f MB (%s); generated in %.1f s, "
                 "written in %.1f s\n",
                 static_cast<long long>(d.projects), d.csv_dir.string().c_str(),
                 static_cast<double>(d.csv_bytes) / 1e6, files.c_str(), generate_s, write_s);
    return &d;
  }();
  return *data;
}

const Ledger& LoadedLedger() {
  Data& d = TheData();
  if (!d.ledger) {
    Diagnostics problems;
    absl::StatusOr<Ledger> l = LoadCsvLedger(d.csv_dir, ReportLoadOptions(), &problems);
    if (!l.ok()) Die(l.status(), "load");
    d.ledger = *std::move(l);
  }
  return *d.ledger;
}

const Result& ResultBy(Dimension by) {
  std::optional<Result>& r = TheData().results[by == Dimension::kCategory ? 0 : 1];
  if (!r) {
    absl::StatusOr<Result> e = Evaluate(LoadedLedger(), DashboardQuery(by));
    if (!e.ok()) Die(e.status(), "evaluate");
    r = *std::move(e);
  }
  return *r;
}

void ProjectCounters(benchmark::State& state, const Data& d) {
  state.counters["projects"] = static_cast<double>(d.projects);
}

// ---- the phases ------------------------------------------------------------------------

void BM_Load(benchmark::State& state) {
  Data& d = TheData();
  d.ledger.reset();  // one ledger at a time: Query reloads its own
  d.results[0].reset();
  d.results[1].reset();
  const LoadOptions options = ReportLoadOptions();
  uint64_t slots = 0;
  for (auto _ : state) {
    Diagnostics problems;
    absl::StatusOr<Ledger> l = LoadCsvLedger(d.csv_dir, options, &problems);
    if (!l.ok()) {
      state.SkipWithError(std::string(l.status().message()).c_str());
      return;
    }
    slots = keyproj::internal::Columns(*l).monthly.flags.size();
    benchmark::DoNotOptimize(l->size());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(d.csv_bytes));
  state.counters["read_MB"] = benchmark::Counter(static_cast<double>(d.csv_bytes) / 1e6,
                                                  benchmark::Counter::kIsIterationInvariantRate);
  state.counters["csv_MB"] = static_cast<double>(d.csv_bytes) / 1e6;
  state.counters["monthly_slots"] = static_cast<double>(slots);
  ProjectCounters(state, d);
}

void BM_Query(benchmark::State& state, Dimension by) {
  const Ledger& ledger = LoadedLedger();
  const Query q = DashboardQuery(by);
  size_t rows = 0;
  for (auto _ : state) {
    absl::StatusOr<Result> r = Evaluate(ledger, q);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    rows = r->rows.size();
    benchmark::DoNotOptimize(r->rows.data());
  }
  state.counters["groups"] = static_cast<double>(rows - 1);
  state.counters["threads"] = static_cast<double>(std::max(1u, std::thread::hardware_concurrency()));
  ProjectCounters(state, TheData());
}

enum class Format { kTable, kJson, kCsv, kMd, kXlsx };
constexpr std::pair<Format, std::string_view> kFormats[] = {
    {Format::kTable, "table"}, {Format::kJson, "json"}, {Format::kCsv, "csv"},
    {Format::kMd, "md"},       {Format::kXlsx, "xlsx"},
};

void BM_Render(benchmark::State& state, Dimension by, Format format) {
  const Ledger& ledger = LoadedLedger();
  // The report holds a copy of the result, as the CLI's does (made once, not timed).
  const Report report = OneTableReport(by, ResultBy(by));
  const RenderOptions options;
  const fs::path xlsx = TheData().temp->path() / Cat("report_", DimName(by), ".xlsx");
  uint64_t out_bytes = 0;
  for (auto _ : state) {
    std::string doc;
    switch (format) {
      case Format::kTable:
        doc = RenderTextTables(report, options);
        for (const ReportTable& t : report.tables) doc += RenderProjectLists(ledger, t);
        break;
      case Format::kJson: doc = RenderJson(ledger, report, options); break;
      case Format::kCsv: doc = RenderCsv(report, options); break;
      case Format::kMd:
        doc = RenderMarkdown(report, options);
        for (const ReportTable& t : report.tables) doc += RenderProjectLists(ledger, t);
        break;
      case Format::kXlsx:
        if (absl::Status st = WriteXlsx(ledger, report, options, xlsx.string()); !st.ok()) {
          state.SkipWithError(std::string(st.message()).c_str());
          return;
        }
        break;
    }
    benchmark::DoNotOptimize(doc.data());
    out_bytes = doc.size();
  }
  if (format == Format::kXlsx) {
    std::error_code ec;
    out_bytes = fs::file_size(xlsx, ec);
    fs::remove(xlsx, ec);
  }
  state.counters["out_KB"] = static_cast<double>(out_bytes) / 1e3;
  state.counters["rows"] = static_cast<double>(report.tables.front().result.rows.size());
}

void BM_EndToEnd(benchmark::State& state) {
  Data& d = TheData();
  d.ledger.reset();  // one ledger at a time
  d.results[0].reset();
  d.results[1].reset();
  const LoadOptions load = ReportLoadOptions();
  const Query q = DashboardQuery(Dimension::kCategory);
  const RenderOptions render;
  uint64_t out_bytes = 0;
  for (auto _ : state) {
    Diagnostics problems;
    absl::StatusOr<Ledger> l = LoadCsvLedger(d.csv_dir, load, &problems);
    if (!l.ok()) {
      state.SkipWithError(std::string(l.status().message()).c_str());
      return;
    }
    absl::StatusOr<Result> r = Evaluate(*l, q);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    const std::string doc = RenderJson(*l, OneTableReport(Dimension::kCategory, *std::move(r)), render);
    benchmark::DoNotOptimize(doc.data());
    out_bytes = doc.size();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(d.csv_bytes));
  state.counters["out_KB"] = static_cast<double>(out_bytes) / 1e3;
  ProjectCounters(state, d);
}

// Reads only the environment: nothing is generated until a benchmark runs.
void Register() {
  const int64_t n = Projects();
  // Load and EndToEnd take seconds at 10^6: three timed runs each, so a full run
  // stays within minutes. Smaller ledgers run as long as Google Benchmark likes.
  auto heavy = [n](benchmark::internal::Benchmark* b) {
    b->Unit(benchmark::kMillisecond)->UseRealTime();
    if (n >= 100'000) b->Iterations(3);
  };
  heavy(benchmark::RegisterBenchmark(Cat("Report/Load/", n).c_str(), BM_Load));
  for (Dimension by : {Dimension::kCategory, Dimension::kCounty}) {
    benchmark::RegisterBenchmark(Cat("Report/Query/", n, "/", DimName(by)).c_str(),
                                 [by](benchmark::State& s) { BM_Query(s, by); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  for (Dimension by : {Dimension::kCategory, Dimension::kCounty}) {
    for (const auto& [format, name] : kFormats) {
      benchmark::RegisterBenchmark(Cat("Report/Render/", n, "/", DimName(by), "/", name).c_str(),
                                   [by, format = format](benchmark::State& s) { BM_Render(s, by, format); })
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
    }
  }
  heavy(benchmark::RegisterBenchmark(Cat("Report/EndToEnd/", n).c_str(), BM_EndToEnd));
}

}  // namespace
}  // namespace keyproj

int main(int argc, char** argv) { return keyproj::bench::BenchmarkMain(argc, argv, keyproj::Register); }
