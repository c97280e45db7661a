// No exception escapes the library (internal/no_throw.h), proved by failing
// allocations one at a time: this binary replaces the global operator new, and for
// the Nth allocation of a whole job -- load the sample ledger, make a report by
// category and county with a target set and a scoring scheme, render it as JSON and
// as the Chinese text, write it as a workbook and the ledger as CSV, make and render
// the problem list -- throws std::bad_alloc. Every such run must end in a non-OK
// Status (ResourceExhausted, "... out of memory"), or, where the library recovers by
// itself (std::stable_sort falls back when its buffer cannot be had), in exactly the
// output of a run without failures. An exception reaching this test, or the process ending (std::terminate
// from a noexcept function or a worker thread), is a failure.
#include <execinfo.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/csv_writer.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/problem_list.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"
#include "keyproj/report_xlsx.h"
#include "keyproj/scoring.h"
#include "keyproj/targets.h"

namespace {

std::atomic<int64_t> g_countdown{-1};  // < 0: no failure armed
std::atomic<int64_t> g_allocations{0};
std::atomic<int64_t> g_spared{0};  // failures moved on from inside Abseil's hash tables

// Whether the allocation being made comes from inside an Abseil hash table's resize.
// Those are not failed: Abseil's raw_hash_set (Debian's 20220623) sets its new
// capacity before it allocates, so a throwing allocation leaves a table whose
// destructor frees what it does not own -- Abseil is built for code where running
// out of memory ends the process. docs/reliability.md says so.
bool InsideAbseilHashTable() {
  void* frames[64];
  const int n = ::backtrace(frames, 64);
  char** names = ::backtrace_symbols(frames, n);  // malloc, not operator new
  bool inside = false;
  for (int i = 0; names != nullptr && i < n && !inside; ++i) {
    inside = std::strstr(names[i], "raw_hash_set") != nullptr;
  }
  std::free(names);
  return inside;
}

void* Allocate(std::size_t n, std::size_t align) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (g_countdown.load(std::memory_order_relaxed) >= 0 && g_countdown.fetch_sub(1) == 0) {
    if (!InsideAbseilHashTable()) throw std::bad_alloc();
    g_countdown.store(0);  // the next allocation fails instead
    g_spared.fetch_add(1);
  }
  if (n == 0) n = 1;
  void* p = align <= alignof(std::max_align_t) ? std::malloc(n) : std::aligned_alloc(align, (n + align - 1) / align * align);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

void* operator new(std::size_t n) { return Allocate(n, 0); }
void* operator new[](std::size_t n) { return Allocate(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return Allocate(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return Allocate(n, static_cast<std::size_t>(a)); }
// The nothrow forms too (std::stable_sort's buffer): a failure is their nullptr, and
// every form must pair with the deletes below (ASan checks that).
static void* AllocateOrNull(std::size_t n, std::size_t align) noexcept {
  try {
    return Allocate(n, align);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return AllocateOrNull(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return AllocateOrNull(n, 0); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return AllocateOrNull(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return AllocateOrNull(n, static_cast<std::size_t>(a));
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace keyproj {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = KEYPROJ_SOURCE_DIR;

std::string ReadText(const fs::path& p) {
  absl::StatusOr<std::string> s = internal::ReadFile(p.string());
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : std::string();
}

// Everything the job needs, made before any failure is armed (the test's own
// allocations must not fail).
struct Job {
  ReportRequest request;
  RenderOptions render;
  RenderOptions dossiers;  // by county (dossier.h)
  fs::path out;
  fs::path data = kSource / "examples/data", ledger_out;
  std::string xlsx_out;
  std::string json, text;  // the outputs
  Job() {
    absl::StatusOr<TargetSet> targets = ParseTargetSet(ReadText(kSource / "examples/targets/1116.toml"), {});
    EXPECT_TRUE(targets.ok()) << targets.status();
    absl::StatusOr<ScoringScheme> scheme = ParseScoringScheme(ReadText(kSource / "examples/scoring/county.toml"));
    EXPECT_TRUE(scheme.ok()) << scheme.status();
    request.groupings = {{Dimension::kCategory}, {Dimension::kCounty}};
    dossiers.dossier_by = Dimension::kCounty;
    request.options.threads = 2;  // a worker thread too
    request.options.min_projects_per_thread = 1;
    if (targets.ok()) request.targets = std::make_shared<const TargetSet>(*std::move(targets));
    if (scheme.ok()) request.scheme = std::make_shared<const ScoringScheme>(*std::move(scheme));
    out = fs::temp_directory_path() / ("keyproj_no_throw_" + std::to_string(::getpid()));
    fs::create_directories(out / "ledger");
    ledger_out = out / "ledger";
    xlsx_out = (out / "report.xlsx").string();
    json.reserve(1 << 20);
    text.reserve(1 << 20);
  }
  ~Job() {
    std::error_code ec;
    fs::remove_all(out, ec);
  }

  // The job; json and text receive the renders.
  absl::Status Run() {
    Diagnostics diagnostics;
    absl::StatusOr<Ledger> ledger = LoadCsvLedger(data, LoadOptions{}, &diagnostics);
    if (!ledger.ok()) return ledger.status();
    absl::StatusOr<Report> report = MakeReport(*ledger, request);
    if (!report.ok()) return report.status();
    absl::StatusOr<std::string> j = RenderReport(*ledger, *report, ReportFormat::kJson, render);
    if (!j.ok()) return j.status();
    absl::StatusOr<std::string> t = RenderReport(*ledger, *report, ReportFormat::kText, render);
    if (!t.ok()) return t.status();
    absl::StatusOr<std::string> d = RenderReport(*ledger, *report, ReportFormat::kMarkdown, dossiers);
    if (!d.ok()) return d.status();
    absl::StatusOr<std::string> s = RenderScores(*report, ReportFormat::kJson, render);
    if (!s.ok()) return s.status();
    if (absl::Status w = WriteXlsx(*ledger, *report, render, xlsx_out); !w.ok()) return w;
    if (absl::Status w = WriteCsvLedger(*ledger, ledger_out); !w.ok()) return w;
    ProblemListRequest problems;
    problems.as_of = report->query.as_of;
    absl::StatusOr<ProblemList> list = MakeProblemList(*ledger, problems);
    if (!list.ok()) return list.status();
    absl::StatusOr<std::string> p = RenderProblemList(*list, ReportFormat::kText);
    if (!p.ok()) return p.status();
    json.assign(*j);
    json.append(*s);
    text.assign(*t);
    text.append(*p);
    text.append(*d);
    return absl::OkStatus();
  }
};

TEST(NoThrow, EveryFailedAllocationIsAStatus) {
  Job job;
  ASSERT_TRUE(job.Run().ok());  // the first run also fills the library's lazy statics
  const int64_t before = g_allocations.load();
  ASSERT_TRUE(job.Run().ok());
  const int64_t total = g_allocations.load() - before;
  const std::string json = job.json, text = job.text;
  ASSERT_GT(total, 1000);

  // The first allocations one by one, then about 600 spread over the rest.
  std::vector<int64_t> nths;
  for (int64_t n = 0; n < 200 && n < total; ++n) nths.push_back(n);
  for (int64_t n = 200; n < total; n += std::max<int64_t>(1, (total - 200) / 600)) nths.push_back(n);
  nths.push_back(total - 1);

  int failed_runs = 0, recovered_runs = 0;
  for (int64_t nth : nths) {
    absl::Status status;
    bool escaped = false;
    const int64_t spared_before = g_spared.load();
    g_countdown.store(nth);
    try {
      status = job.Run();
    } catch (...) {
      escaped = true;
    }
    const bool fired = g_countdown.load() < 0;
    g_countdown.store(-1);
    ASSERT_FALSE(escaped) << "an exception escaped the library at allocation " << nth << " of " << total;
    // Not fired: every allocation from the nth on was inside a hash table (then the
    // job ran whole), or the job made fewer allocations than before (a change).
    ASSERT_TRUE(fired || g_spared.load() > spared_before)
        << "allocation " << nth << " of " << total << " was never made: the job changed";
    if (status.ok()) {
      ++recovered_runs;
      // Recovered inside the library: the same output as without the failure.
      ASSERT_EQ(job.json, json) << "allocation " << nth << " failed, the job said OK, and its JSON differs";
      ASSERT_EQ(job.text, text) << "allocation " << nth << " failed, the job said OK, and its text differs";
    } else {
      ++failed_runs;
      ASSERT_TRUE(status.code() == absl::StatusCode::kResourceExhausted || status.code() == absl::StatusCode::kInternal)
          << "allocation " << nth << ": " << status;
      if (status.code() == absl::StatusCode::kResourceExhausted && !status.message().empty()) {
        EXPECT_NE(status.message().find("out of memory"), std::string_view::npos) << status;
      }
    }
  }
  EXPECT_GT(failed_runs, static_cast<int>(nths.size()) / 2) << "most failed allocations must fail the job";
  std::printf("%lld allocations in the job; %zu of them failed in turn: %d runs failed cleanly, %d recovered; "
              "%lld failures moved past an Abseil hash table's allocation\n",
              static_cast<long long>(total), nths.size(), failed_runs, recovered_runs,
              static_cast<long long>(g_spared.load()));
}

}  // namespace
}  // namespace keyproj
