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
#include <iterator>
#include <memory>
#include <vector>

namespace keyproj::internal {

// Asks the kernel to back [data, data + bytes) with huge pages when it is next
// touched. Below two huge pages' worth it does nothing (no aligned huge page may be inside).
void AdviseHugePages(const void* data, size_t bytes);

// v.reserve(n) on storage advised as above before anything is written to it: the
// elements are moved there after the advice, so the copy, too, faults the new
// storage in at huge pages. (A plain reserve would copy first, faulting most of a
// column grown by half, 4 KB at a time, before the advice could take.)
template <typename T, typename A>
void ReserveHuge(std::vector<T, A>& v, size_t n) {
  if (n <= v.capacity()) return;
  std::vector<T, A> grown(v.get_allocator());
  grown.reserve(n);
  AdviseHugePages(grown.data(), grown.capacity() * sizeof(T));
  grown.insert(grown.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  v.swap(grown);  // std::vector's: a ledger column (Column) being built views nothing
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

// std::allocator, with what it gives advised as above before the container writes
// to it: for containers that grow by reallocating on their own (a vector's
// push_back, a hash index's rehash), whose every new block would otherwise be faulted
// in 4 KB at a time as the old one is copied into it. Small blocks are untouched.
template <typename T>
struct HugePageAllocator : std::allocator<T> {
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = HugePageAllocator<U>;
  };
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding
  T* allocate(size_t n) {
    T* p = std::allocator<T>::allocate(n);
    AdviseHugePages(p, n * sizeof(T));
    return p;
  }
  template <typename U>
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator<U>&) noexcept {
    return true;
  }
};

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_HUGE_PAGES_H_
