// Small helpers every benchmark binary of bench/ shares.
#ifndef KEYPROJ_BENCH_BENCH_SUPPORT_H_
#define KEYPROJ_BENCH_BENCH_SUPPORT_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "benchmark/benchmark.h"
#include "keyproj/query.h"

namespace keyproj::bench {

// main() of a binary whose benchmarks are registered at run time by
// `register_benchmarks` (their sizes come from the environment).
inline int BenchmarkMain(int argc, char** argv, void (*register_benchmarks)()) {
  register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// Stops the run: a benchmark's setup failed.
[[noreturn]] inline void Die(const absl::Status& s, const char* what) {
  std::fprintf(stderr, "%s: %s\n", what, std::string(s.message()).c_str());
  std::exit(1);
}

// A positive number from the environment (1e6 as well as 1000000), or `fallback`.
inline int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  char* end = nullptr;
  const double d = std::strtod(v, &end);
  if (end == v || d < 1) {
    std::fprintf(stderr, "%s=%s is not a positive number\n", name, v);
    std::exit(2);
  }
  return static_cast<int64_t>(d);
}

// The two groupings the benchmarks time, by name.
inline std::string_view DimName(Dimension d) { return d == Dimension::kCategory ? "category" : "county"; }

}  // namespace keyproj::bench

#endif  // KEYPROJ_BENCH_BENCH_SUPPORT_H_
