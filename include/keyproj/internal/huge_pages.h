// Big arrays on transparent huge pages.
//
// A 10^6-project ledger is a few GB of columns written once, front to back. Where the
// kernel gives huge pages only to memory that asks for them (transparent_hugepage
// "madvise", Debian's default), every 4 KB of such a column is a page fault of its
// own, and on a virtual machine a fault is dear: perf showed building 10^6 projects
// through the column arrays (bench/capi_bench, Capi/BuildPM) spending about a quarter
// of its time in the kernel's fault handler. So the builder asks for huge pages on the
// arrays it sizes ahead of filling them (docs/ledger.md, "Loading in parallel"). Only the
// 2 MB-aligned inside of an array is advised, so nothing outside it changes; where
// huge pages are off ("never") or unknown (not Linux) this does nothing.
#ifndef KEYPROJ_INTERNAL_HUGE_PAGES_H_
#define KEYPROJ_INTERNAL_HUGE_PAGES_H_

#include <cstddef>
#include <vector>

namespace keyproj::internal {

// Asks the kernel to back [data, data + bytes) with huge pages when it is next
// touched. Below two huge pages' worth it does nothing (no aligned huge page may be inside).
void AdviseHugePages(const void* data, size_t bytes);

// v.reserve(n), and the new storage advised as above before anything is written to
// it (what reserve copied in is already faulted in, at normal pages).
template <typename T, typename A>
void ReserveHuge(std::vector<T, A>& v, size_t n) {
  if (n <= v.capacity()) return;
  v.reserve(n);
  AdviseHugePages(v.data(), v.capacity() * sizeof(T));
}

// v.assign(n, value) on advised storage: a column sized whole and filled at once.
template <typename T, typename A>
void AssignHuge(std::vector<T, A>& v, size_t n, const T& value) {
  if (n > v.capacity()) {
    v.clear();
    v.shrink_to_fit();
    ReserveHuge(v, n);
  }
  v.assign(n, value);
}

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_HUGE_PAGES_H_
