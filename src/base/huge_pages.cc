#include "keyproj/internal/huge_pages.h"

#include <cerrno>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace keyproj::internal {

void AdviseHugePages(const void* data, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (data == nullptr || bytes < kHugePageBytes - kMallocSlack) return;
  const auto begin = reinterpret_cast<uintptr_t>(data);
  const uintptr_t end = begin + bytes;
  const uintptr_t start_page = begin & ~(kHugePageBytes - 1);
  const uintptr_t end_page = (end + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  // The huge pages inside, and the one the array starts or ends in when all of it but
  // at most kMallocSlack bytes is the array's: those few bytes lie in the same 4 KB
  // page as the array's first or last byte, so in the same mapping (malloc's chunk
  // header, or its neighbour's last bytes on malloc's heap), and advice changes
  // nothing of theirs but how their page comes in.
  const uintptr_t first = begin - start_page <= kMallocSlack ? start_page : start_page + kHugePageBytes;
  const uintptr_t last = end_page - end <= kMallocSlack ? end_page : end_page - kHugePageBytes;
  if (last <= first) return;
  // Advice only: an error (an old kernel, huge pages off) leaves the memory as it was.
  (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

bool PrefaultForWrite(uintptr_t begin, uintptr_t end) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  constexpr uintptr_t kPage = 4096;
  const uintptr_t first = (begin + kPage - 1) & ~(kPage - 1);
  const uintptr_t last = end & ~(kPage - 1);
  if (last <= first) return true;
  // EINVAL: the kernel has no MADV_POPULATE_WRITE. Anything else (ENOMEM: a range no
  // longer mapped; EFAULT: a mapping that cannot be written) concerns this range only.
  return ::madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE) == 0 || errno != EINVAL;
#else
  (void)begin;
  (void)end;
  return false;
#endif
}

}  // namespace keyproj::internal
