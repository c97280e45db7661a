// Snapshots (keyproj/snapshot.h): opening one (map + header and table + XXH64 of
// every section + structural validation), writing one, and the first text lookup
// after opening (the string index is built lazily). Realistic generated ledgers
// of 10^5 and 10^6 projects, packed once per process into the temp folder.
//
//   build/release/bench/snapshot_bench --benchmark_filter=Open
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "bench_support.h"
#include "benchmark/benchmark.h"
#include "keyproj/generator.h"
#include "keyproj/snapshot.h"

namespace keyproj {
namespace {

namespace fs = std::filesystem;

fs::path PackedPath(int64_t projects) {
  return fs::temp_directory_path() /
         ("keyproj_snapshot_bench_" + std::to_string(::getpid()) + "_" + std::to_string(projects) + ".kpl");
}

// Generates and packs the ledger of `projects` once; returns the snapshot's path.
const fs::path& Packed(int64_t projects) {
  static std::map<int64_t, fs::path> packed;
  auto it = packed.find(projects);
  if (it != packed.end()) return it->second;
  GeneratorOptions o;
  o.projects = static_cast<uint64_t>(projects);
  absl::StatusOr<Ledger> ledger = GenerateLedger(o);
  if (!ledger.ok()) bench::Die(ledger.status(), "generate");
  const fs::path path = PackedPath(projects);
  if (absl::Status s = WriteSnapshot(*ledger, nullptr, path); !s.ok()) bench::Die(s, "pack");
  return packed.emplace(projects, path).first->second;
}

struct Cleanup {
  ~Cleanup() {
    std::error_code ec;
    for (int64_t n : {100'000, 1'000'000}) fs::remove(PackedPath(n), ec);
  }
} cleanup;

void BM_OpenSnapshot(benchmark::State& state) {
  const fs::path& path = Packed(state.range(0));
  uint32_t projects = 0;
  for (auto _ : state) {
    absl::StatusOr<Snapshot> s = OpenSnapshot(path);
    if (!s.ok()) bench::Die(s.status(), "open");
    projects = s->ledger.size();
    benchmark::DoNotOptimize(projects);
  }
  state.counters["projects"] = projects;
  state.counters["file_MB"] = static_cast<double>(fs::file_size(path)) / 1e6;
}
BENCHMARK(BM_OpenSnapshot)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Open, then one FindProject: the cost of building the code index on first use.
void BM_OpenSnapshotThenFind(benchmark::State& state) {
  const fs::path& path = Packed(state.range(0));
  for (auto _ : state) {
    absl::StatusOr<Snapshot> s = OpenSnapshot(path);
    if (!s.ok()) bench::Die(s.status(), "open");
    benchmark::DoNotOptimize(s->ledger.FindProject(s->ledger.code(s->ledger.size() / 2)));
  }
}
BENCHMARK(BM_OpenSnapshotThenFind)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// KEYPROJ_SNAPSHOT=FILE: opening that snapshot (e.g. the packed realistic 10^6
// ledger: keyproj pack --data /work/data/l1m --fx USD=7.1 --out l1m.kpl).
void BM_OpenSnapshotFile(benchmark::State& state) {
  const char* path = std::getenv("KEYPROJ_SNAPSHOT");
  if (path == nullptr || *path == '\0') {
    state.SkipWithError("set KEYPROJ_SNAPSHOT to a snapshot file");
    return;
  }
  uint32_t projects = 0;
  for (auto _ : state) {
    absl::StatusOr<Snapshot> s = OpenSnapshot(path);
    if (!s.ok()) bench::Die(s.status(), "open");
    projects = s->ledger.size();
  }
  state.counters["projects"] = projects;
  state.counters["file_MB"] = static_cast<double>(fs::file_size(path)) / 1e6;
}
BENCHMARK(BM_OpenSnapshotFile)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PackSnapshot(benchmark::State& state) {
  absl::StatusOr<Snapshot> s = OpenSnapshot(Packed(state.range(0)));
  if (!s.ok()) bench::Die(s.status(), "open");
  const fs::path out = PackedPath(state.range(0)).string() + ".copy";
  for (auto _ : state) {
    if (absl::Status w = WriteSnapshot(s->ledger, nullptr, out); !w.ok()) bench::Die(w, "pack");
  }
  state.counters["file_MB"] = static_cast<double>(fs::file_size(out)) / 1e6;
  std::error_code ec;
  fs::remove(out, ec);
}
BENCHMARK(BM_PackSnapshot)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace keyproj
