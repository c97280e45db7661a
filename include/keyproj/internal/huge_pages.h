// Big arrays on transparent huge pages.
//
// A 10^6-project ledger is a few GB of columns written once, front to back. Where the
// kernel gives huge pages only to memory that asks for them (transparent_hugepage
// "madvise", Debian's default), every 4 KB of such a column is a page fault of its
// own, and on a virtual machine a fault is dear: perf showed building 10^6 projects
// through the column arrays (bench/capi_bench, Capi/BuildPM) spending about a quarter
// of its time in the kernel's fault handler. So the builder asks for huge pages on the
// arrays it sizes ahead of filling them (docs/ledger.md, "Loading in parallel"). Only
// huge pages that are the array's, but for malloc's few bytes of bookkeeping beside
// it, are advised (AdviseHugePages), so nothing else changes; where huge pages are off
// ("never") or unknown (not Linux) this does nothing.
#ifndef KEYPROJ_INTERNAL_HUGE_PAGES_H_
#define KEYPROJ_INTERNAL_HUGE_PAGES_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <vector>

namespace keyproj::internal {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Asks the kernel to back [data, data + bytes) with huge pages when it is next
// touched: the huge pages wholly inside, and a huge page the array fills but for at
// most a malloc header's worth (kMallocSlack) at its start or end. An array sized by
// HugeCapacity that malloc maps on its own starts 16 bytes into a huge page and ends
// 16 bytes before one, and without those two pages its first and last 2 MB would come
// in 4 KB at a time (a quarter of a CSV load's page faults, each dear on a virtual
// machine). Nothing for an array with no such page.
void AdviseHugePages(const void* data, size_t bytes);
inline constexpr size_t kMallocSlack = 64;

// The capacity, at least n, to allocate for n elements of `element_bytes` of a big
// array: k huge pages less glibc's 32 bytes of chunk overhead, so that a block malloc
// maps on its own is exactly k huge pages long, which Linux (6.7 and later) places on
// a huge-page boundary. Arrays under half a huge page are left as they are.
constexpr size_t HugeCapacity(size_t n, size_t element_bytes) {
  constexpr size_t kChunkOverhead = 32;
  if (element_bytes == 0 || n > (SIZE_MAX - kHugePageBytes) / element_bytes) return n;
  const size_t bytes = n * element_bytes;
  if (bytes < kHugePageBytes / 2) return n;
  const size_t pages = (bytes + kChunkOverhead + kHugePageBytes - 1) / kHugePageBytes;
  return std::max(n, (pages * kHugePageBytes - kChunkOverhead) / element_bytes);
}

// v.reserve(n) on storage advised as above before anything is written to it: the
// elements are moved there after the advice, so the copy, too, faults the new
// storage in at huge pages. (A plain reserve would copy first, faulting most of a
// column grown by half, 4 KB at a time, before the advice could take.)
template <typename T, typename A>
void ReserveHuge(std::vector<T, A>& v, size_t n) {
  if (n <= v.capacity()) return;
  std::vector<T, A> grown(v.get_allocator());
  grown.reserve(HugeCapacity(n, sizeof(T)));
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

// Faults in the pages of [begin, end) as a first write would, writing nothing: the
// cost of fresh memory (the kernel zeroing each page, and on a virtual machine the
// host's share), paid ahead by a thread that has the time, so that the thread
// writing the memory later does not (LedgerBuilder::ColumnsAhead). The range is
// addresses, not objects: nothing in it is read or changed, so it may be memory that
// another thread is writing, or has freed since (the kernel then faults in pages
// nobody is waiting for, or refuses an unmapped range; nothing is harmed). Only
// whole 4 KB pages inside the range. False when the kernel cannot (before Linux
// 5.14, or not Linux): there is no point in asking again.
bool PrefaultForWrite(uintptr_t begin, uintptr_t end);

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
    const size_t capacity = HugeCapacity(n, sizeof(T));
    T* p = std::allocator<T>::allocate(capacity);
    AdviseHugePages(p, capacity * sizeof(T));
    return p;
  }
  void deallocate(T* p, size_t n) { std::allocator<T>::deallocate(p, HugeCapacity(n, sizeof(T))); }
  template <typename U>
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator<U>&) noexcept {
    return true;
  }
};

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_HUGE_PAGES_H_
