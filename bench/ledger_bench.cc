// Ledger benchmarks: synthetic generation, CSV loading, building from records, and
// the ledger's memory per project and per project-month.
//
//   build/release/bench/ledger_bench --benchmark_filter='Generate'
//   build/release/bench/ledger_bench --benchmark_filter='Load.*/100000'
//   build/release/bench/ledger_bench --benchmark_filter='LoadCsvFolder/projects:100000/dense:0/' --benchmark_repetitions=5
//     (threads:1 = the sequential load, threads:0 = all threads)
//   KEYPROJ_BENCH_LEDGER=/work/data/l1m build/release/bench/ledger_bench --benchmark_filter=LoadLedgerFolder
//     (an existing folder)
//   build/release/bench/ledger_bench --benchmark_filter='Build'
//   build/release/bench/ledger_bench --benchmark_filter='FindInvalidUtf8|SameCode'
//
// Sizes: 10^4, 10^5, 10^6 projects with 24 months of reports (as of 2024-12-31, the
// window 2023-01..2024-12). Projects that never started have no months, completed
// ones stop at completion, so a ledger holds ~10-13 slots per project on average; the
// counters say how many.
//
// Targets (docs): monthly.csv parsed at >= 250 MB/s on one core; a 10^6-project
// ledger in <= 64 bytes per project-month plus <= 400 bytes per project.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <utility>
#include <memory>
#include <string>
#include <vector>

#include "bench_support.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "keyproj/csv_loader.h"
#include "keyproj/csv_writer.h"
#include "keyproj/encoding.h"
#include "keyproj/generator.h"
#include "keyproj/internal/encoding.h"
#include "keyproj/internal/string_pool.h"
#include "keyproj/ledger_builder.h"

namespace keyproj {

using ::keyproj::internal::FundingColumns;
namespace {

using bench::Die;

namespace fs = std::filesystem;

// state.range(0) projects; state.range(1) = 1 for the dense ledger (every project
// under way all 24 months), 0 for the realistic mix.
GeneratorOptions Options(const benchmark::State& state) {
  GeneratorOptions o;
  o.projects = static_cast<uint64_t>(state.range(0));
  o.dense = state.range(1) != 0;
  o.as_of = *Date::FromYmd(2024, 12, 31);  // 24 months: 2023-01 .. 2024-12
  return o;
}

LoadOptions LoadOptionsFor(const GeneratorOptions& g) {
  LoadOptions o;
  o.encoding = Encoding::kUtf8;
  o.fx_rates.emplace_back("USD", g.usd_rate);
  return o;
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"projects", "dense"});
  b->ArgsProduct({{10'000, 100'000, 1'000'000}, {0, 1}});
}

// The load benchmarks: the sizes and shapes above, each read by one thread (the
// sequential loader, LoadOptions::threads = 1) and by every hardware thread (0).
void LoadSizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"projects", "dense", "threads"});
  b->ArgsProduct({{10'000, 100'000, 1'000'000}, {0, 1}, {1, 0}});
}

// MB/s of input (10^6 bytes a second of wall-clock time), as a counter beside
// bytes_per_second so that the figures read the same as the docs'.
void MegabytesPerSecond(benchmark::State& state, uint64_t bytes) {
  state.counters["MB_per_s"] = benchmark::Counter(
      static_cast<double>(bytes) * static_cast<double>(state.iterations()) / 1e6, benchmark::Counter::kIsRate);
}

// Ledger memory: the per-slot monthly columns per slot, everything else per project.
void MemoryCounters(benchmark::State& state, const Ledger& l) {
  const double slots = static_cast<double>(keyproj::internal::Columns(l).monthly.flags.size());
  const double projects = static_cast<double>(l.size());
  const double monthly = static_cast<double>(l.monthly_memory_bytes());
  const double total = static_cast<double>(l.memory_bytes());
  state.counters["slots_per_project"] = slots / projects;
  state.counters["bytes_per_project_month"] = slots > 0 ? monthly / slots : 0;
  state.counters["bytes_per_project"] = (total - monthly) / projects;
  // Parts of bytes_per_project that are data rather than overhead.
  auto bytes = [](const auto& v) { return static_cast<double>(v.capacity() * sizeof(v[0])); };
  const FundingColumns& f = keyproj::internal::Columns(l).funding;
  state.counters["funding_bytes_per_project"] =
      (bytes(f.project) + bytes(f.year) + bytes(f.source) + bytes(f.requested) + bytes(f.approved) +
       bytes(f.arrived) + bytes(f.currency) + bytes(f.original_row) + bytes(f.original_requested) +
       bytes(f.original_approved) + bytes(f.original_arrived) + bytes(f.row_begin)) /
      projects;
  state.counters["strings_bytes_per_project"] = static_cast<double>(keyproj::internal::Columns(l).strings.memory_bytes()) / projects;
  state.counters["ledger_MB"] = total / 1e6;
}

// ---- generation ----------------------------------------------------------------

// Counts what the generator makes, keeping nothing: the generator's own speed.
class CountingSink : public GeneratorSink {
 public:
  void SetExtraHeaders(Table, std::vector<std::string>) override {}
  void Project(ProjectRecord&& r) override { benchmark::DoNotOptimize(r.code.data()); ++projects; }
  void Monthly(const MonthlyRecord& r) override {
    benchmark::DoNotOptimize(&r);
    ++rows;
  }
  void Funding(FundingRecord&&) override {}
  void Plan(PlanRecord&&) override {}
  void Problem(ProblemRecord&&) override {}
  void Baseline(BaselineRecord&&) override {}
  void Approval(ApprovalRecord&&) override {}
  uint64_t projects = 0, rows = 0;
};

void BM_GenerateRecords(benchmark::State& state) {
  const GeneratorOptions o = Options(state);
  uint64_t rows = 0;
  for (auto _ : state) {
    CountingSink sink;
    if (absl::Status s = GenerateRecords(o, sink); !s.ok()) Die(s, "generate");
    rows = sink.rows;
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["monthly_rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GenerateRecords)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();

// GenerateLedger: the generator feeding a LedgerBuilder, and Build().
void BM_GenerateLedger(benchmark::State& state) {
  const GeneratorOptions o = Options(state);
  uint64_t slots = 0;
  for (auto _ : state) {
    absl::StatusOr<Ledger> l = GenerateLedger(o);
    if (!l.ok()) Die(l.status(), "generate");
    slots = keyproj::internal::Columns(*l).monthly.flags.size();
    state.PauseTiming();
    MemoryCounters(state, *l);
    l = Ledger();  // free outside the timing
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["slots_per_s"] =
      benchmark::Counter(static_cast<double>(slots * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GenerateLedger)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();

// ---- building from records -----------------------------------------------------

// Keeps the generated records (monthly ones compactly) to replay into a builder.
class RecordStore : public GeneratorSink {
 public:
  struct Row {
    uint32_t project;
    int32_t month;
    int64_t investment, funds;
    int32_t reported_on;
    uint8_t known;  // 1 investment, 2 funds, 4 reported_on
    ProblemSet problems;
    std::string_view progress;  // the generator's texts are static
  };
  std::vector<std::string> extra_headers;
  std::vector<ProjectRecord> projects;
  std::vector<Row> rows;
  std::vector<FundingRecord> funding;
  std::vector<PlanRecord> plans;
  std::vector<ProblemRecord> problems;
  std::vector<BaselineRecord> baseline;
  std::vector<ApprovalRecord> approvals;

  void SetExtraHeaders(Table, std::vector<std::string> h) override { extra_headers = std::move(h); }
  void Project(ProjectRecord&& r) override { projects.push_back(std::move(r)); }
  void Monthly(const MonthlyRecord& r) override {
    Row row{static_cast<uint32_t>(projects.size() - 1),
            r.month.index(),
            r.investment ? r.investment->fen() : 0,
            r.funds_arrived ? r.funds_arrived->fen() : 0,
            r.reported_on ? r.reported_on->days() : 0,
            static_cast<uint8_t>((r.investment ? 1 : 0) | (r.funds_arrived ? 2 : 0) | (r.reported_on ? 4 : 0)),
            r.problems,
            r.progress};
    rows.push_back(row);
  }
  void Funding(FundingRecord&& r) override { funding.push_back(std::move(r)); }
  void Plan(PlanRecord&& r) override { plans.push_back(std::move(r)); }
  void Problem(ProblemRecord&& r) override { problems.push_back(std::move(r)); }
  void Baseline(BaselineRecord&& r) override { baseline.push_back(std::move(r)); }
  void Approval(ApprovalRecord&& r) override { approvals.push_back(std::move(r)); }

  // Builds a ledger in the order a CSV folder is loaded: projects, then each file.
  absl::StatusOr<Ledger> Build(const BuildOptions& options) const {
    LedgerBuilder b(options);
    b.SetExtraHeaders(Table::kProjects, extra_headers);
    for (const ProjectRecord& p : projects) b.AddProject(p);  // a copy, as a loader makes
    MonthlyRecord m;
    for (const Row& r : rows) {
      m.code = projects[r.project].code;
      m.month = Month::FromIndex(r.month);
      m.investment = r.known & 1 ? std::optional(Money::FromFen(r.investment)) : std::nullopt;
      m.funds_arrived = r.known & 2 ? std::optional(Money::FromFen(r.funds)) : std::nullopt;
      m.reported_on = r.known & 4 ? std::optional(Date::FromDays(r.reported_on)) : std::nullopt;
      m.problems = r.problems;
      m.progress = r.progress;
      b.AddMonthly(m);
    }
    for (const FundingRecord& f : funding) b.AddFunding(f);
    for (const PlanRecord& p : plans) b.AddPlan(p);
    for (const ProblemRecord& p : problems) b.AddProblem(p);
    for (const ApprovalRecord& a : approvals) b.AddApproval(a);
    for (const BaselineRecord& r : baseline) b.AddBaseline(r);
    return std::move(b).Build();
  }
};

void BM_BuildFromRecords(benchmark::State& state) {
  const GeneratorOptions o = Options(state);
  RecordStore store;
  if (absl::Status s = GenerateRecords(o, store); !s.ok()) Die(s, "generate");
  const BuildOptions bo = GeneratorBuildOptions(o);
  for (auto _ : state) {
    absl::StatusOr<Ledger> l = store.Build(bo);
    if (!l.ok()) Die(l.status(), "build");
    state.PauseTiming();
    MemoryCounters(state, *l);
    l = Ledger();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(store.rows.size()));
  state.counters["projects_per_s"] = benchmark::Counter(
      static_cast<double>(store.projects.size() * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BuildFromRecords)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();

// ---- CSV loading ----------------------------------------------------------------

// Written once per size (outside any timing) under the temp folder; removed at exit.
struct Folders {
  fs::path all;            // every file
  fs::path with_monthly;   // projects.csv + monthly.csv
  fs::path projects_only;  // projects.csv
  uint64_t monthly_bytes = 0, all_bytes = 0, projects_bytes = 0;
};

class FolderCache {
 public:
  ~FolderCache() {
    std::error_code ec;
    if (!root_.empty()) fs::remove_all(root_, ec);
  }
  const Folders& Get(const benchmark::State& state) {
    const std::pair<int64_t, int64_t> key{state.range(0), state.range(1)};
    auto it = folders_.find(key);
    if (it != folders_.end()) return it->second;
    if (root_.empty()) {
      root_ = fs::temp_directory_path() / ("keyproj_ledger_bench_" + std::to_string(::getpid()));
    }
    Folders f;
    const fs::path base = root_ / (std::to_string(key.first) + (key.second ? "_dense" : ""));
    f.all = base / "all";
    f.with_monthly = base / "monthly";
    f.projects_only = base / "projects";
    absl::StatusOr<Ledger> l = GenerateLedger(Options(state));
    if (!l.ok()) Die(l.status(), "generate");
    if (absl::Status s = WriteCsvLedger(*l, f.all); !s.ok()) Die(s, "write");
    std::error_code ec;
    for (const fs::path* dir : {&f.with_monthly, &f.projects_only}) {
      fs::create_directories(*dir, ec);
      fs::create_hard_link(f.all / "projects.csv", *dir / "projects.csv", ec);
      if (ec) fs::copy_file(f.all / "projects.csv", *dir / "projects.csv", ec);
    }
    fs::create_hard_link(f.all / "monthly.csv", f.with_monthly / "monthly.csv", ec);
    if (ec) fs::copy_file(f.all / "monthly.csv", f.with_monthly / "monthly.csv", ec);
    f.monthly_bytes = fs::file_size(f.all / "monthly.csv");
    f.projects_bytes = fs::file_size(f.all / "projects.csv");
    for (const auto& e : fs::directory_iterator(f.all)) f.all_bytes += e.file_size();
    return folders_.emplace(key, std::move(f)).first->second;
  }

 private:
  fs::path root_;
  std::map<std::pair<int64_t, int64_t>, Folders> folders_;
};

FolderCache& Cache() {
  static FolderCache cache;
  return cache;
}

Ledger Load(const fs::path& dir, const LoadOptions& options) {
  Diagnostics diagnostics;
  absl::StatusOr<Ledger> l = LoadCsvLedger(dir, options, &diagnostics);
  if (!l.ok()) Die(l.status(), "load");
  return *std::move(l);
}

// The whole folder: MB/s over all its files.
void BM_LoadCsvFolder(benchmark::State& state) {
  const GeneratorOptions o = Options(state);
  const Folders& f = Cache().Get(state);
  LoadOptions lo = LoadOptionsFor(o);
  lo.threads = static_cast<int>(state.range(2));
  for (auto _ : state) {
    Ledger l = Load(f.all, lo);
    state.PauseTiming();
    MemoryCounters(state, l);
    l = Ledger();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f.all_bytes));
  state.counters["file_MB"] = static_cast<double>(f.all_bytes) / 1e6;
  MegabytesPerSecond(state, f.all_bytes);
}
BENCHMARK(BM_LoadCsvFolder)->Apply(LoadSizes)->Unit(benchmark::kMillisecond)->UseRealTime();

// monthly.csv alone: the time to load projects.csv + monthly.csv minus the time to
// load projects.csv alone, in each iteration; MB/s of monthly.csv.
void BM_LoadMonthlyCsv(benchmark::State& state) {
  const GeneratorOptions o = Options(state);
  const Folders& f = Cache().Get(state);
  LoadOptions lo = LoadOptionsFor(o);
  lo.threads = static_cast<int>(state.range(2));
  using Clock = std::chrono::steady_clock;
  for (auto _ : state) {
    auto t0 = Clock::now();
    Ledger a = Load(f.projects_only, lo);
    auto t1 = Clock::now();
    a = Ledger();
    auto t2 = Clock::now();
    Ledger b = Load(f.with_monthly, lo);
    auto t3 = Clock::now();
    b = Ledger();
    const double seconds = std::chrono::duration<double>((t3 - t2) - (t1 - t0)).count();
    state.SetIterationTime(seconds > 0 ? seconds : 1e-9);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f.monthly_bytes));
  state.counters["monthly_MB"] = static_cast<double>(f.monthly_bytes) / 1e6;
  MegabytesPerSecond(state, f.monthly_bytes);
}
BENCHMARK(BM_LoadMonthlyCsv)->Apply(LoadSizes)->Unit(benchmark::kMillisecond)->UseManualTime();

// An existing ledger folder, named by the environment variable KEYPROJ_BENCH_LEDGER
// (the realistic 10^6 ledger: KEYPROJ_BENCH_LEDGER=/work/data/l1m), loaded as
// `keyproj summary --fx USD=7.1` loads it, by one thread and by every hardware
// thread. Without the variable the benchmark says so and skips.
//   KEYPROJ_BENCH_LEDGER=/work/data/l1m build/release/bench/ledger_bench --benchmark_filter=LoadLedgerFolder
void BM_LoadLedgerFolder(benchmark::State& state) {
  const char* dir = std::getenv("KEYPROJ_BENCH_LEDGER");
  if (dir == nullptr || *dir == '\0') {
    state.SkipWithError("set KEYPROJ_BENCH_LEDGER to a ledger folder (e.g. /work/data/l1m)");
    for (auto _ : state) {
    }
    return;
  }
  uint64_t bytes = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".csv" && e.path().filename() != "regions.csv") bytes += e.file_size();
  }
  LoadOptions lo;
  lo.fx_rates.emplace_back("USD", "7.1");
  lo.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Ledger l = Load(dir, lo);
    state.PauseTiming();
    l = Ledger();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
  MegabytesPerSecond(state, bytes);
}
BENCHMARK(BM_LoadLedgerFolder)->ArgName("threads")->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

// projects.csv alone, for reference.
void BM_LoadProjectsCsv(benchmark::State& state) {
  const GeneratorOptions o = Options(state);
  const Folders& f = Cache().Get(state);
  const LoadOptions lo = LoadOptionsFor(o);
  for (auto _ : state) {
    Ledger l = Load(f.projects_only, lo);
    state.PauseTiming();
    l = Ledger();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f.projects_bytes));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LoadProjectsCsv)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();

// Writing the folder (WriteCsvLedger), MB/s of output.
void BM_WriteCsvLedger(benchmark::State& state) {
  absl::StatusOr<Ledger> l = GenerateLedger(Options(state));
  if (!l.ok()) Die(l.status(), "generate");
  const fs::path dir = fs::temp_directory_path() /
                       ("keyproj_ledger_bench_write_" + std::to_string(::getpid()));
  uint64_t bytes = 0;
  for (auto _ : state) {
    if (absl::Status s = WriteCsvLedger(*l, dir); !s.ok()) Die(s, "write");
    state.PauseTiming();
    bytes = 0;
    for (const auto& e : fs::directory_iterator(dir)) bytes += e.file_size();
    state.ResumeTiming();
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
}
BENCHMARK(BM_WriteCsvLedger)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();

// The UTF-8 check every CSV file and utf8 column goes through (FindInvalidUtf8), over
// 64 MB of a generated ledger's CSV text (codes, dates and amounts beside Chinese
// names, authorities and progress texts), in bytes a second: /check:0 one character
// at a time, /check:1 SSSE3 (16 bytes a step), /check:2 AVX2 (64 bytes a step), the
// one FindInvalidUtf8 takes where the CPU has it.
void BM_FindInvalidUtf8(benchmark::State& state) {
  const auto check = static_cast<internal::Utf8Check>(state.range(0));
  if (!internal::HasUtf8Check(check)) {
    state.SkipWithError("this CPU cannot run that check");
    return;
  }
  GeneratorOptions o;
  o.projects = 10'000;
  absl::StatusOr<Ledger> l = GenerateLedger(o);
  if (!l.ok()) Die(l.status(), "generate");
  absl::StatusOr<std::vector<CsvInput>> files = WriteCsvLedgerToMemory(*l);
  if (!files.ok()) Die(files.status(), "write");
  std::string one, text;
  for (const CsvInput& f : *files) one += f.bytes;
  while (text.size() < (size_t{64} << 20)) text += one;
  for (auto _ : state) {
    const size_t bad = internal::FindInvalidUtf8With(check, text);
    if (bad != std::string_view::npos) Die(absl::InternalError("generated text is not UTF-8"), "check");
    benchmark::DoNotOptimize(bad);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_FindInvalidUtf8)->ArgName("check")->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The compare of a row's code with the last project's (24 bytes, equal nearly always:
// a project's months come together), once per monthly row: /inline:0 std::memcmp
// behind a call, as the builder had it, /inline:1 internal::SameBytes.
__attribute__((noinline)) bool MemcmpEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}
void BM_SameCode(benchmark::State& state) {
  std::vector<std::string> codes, copies;
  for (int i = 0; i < 1000; ++i) codes.push_back(absl::StrCat("2024-610403-05-01-", 100000 + i));
  copies = codes;
  const bool inline_compare = state.range(0) != 0;
  for (auto _ : state) {
    size_t same = 0;
    for (size_t i = 0; i < codes.size(); ++i) {
      same += inline_compare ? internal::SameBytes(codes[i], copies[i]) : MemcmpEqual(codes[i], copies[i]);
    }
    benchmark::DoNotOptimize(same);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(codes.size()));
}
BENCHMARK(BM_SameCode)->ArgName("inline")->DenseRange(0, 1);

}  // namespace
}  // namespace keyproj
