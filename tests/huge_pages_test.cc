// Big arrays on transparent huge pages (include/keyproj/internal/huge_pages.h): the
// advice is taken where the kernel has huge pages, and growing keeps every element.
#include "keyproj/internal/huge_pages.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"
#include "keyproj/internal/string_pool.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace keyproj::internal {
namespace {

constexpr size_t kMiB = size_t{1} << 20;

// The VmFlags of the mapping that holds `p` (/proc/self/smaps), or "" when none does.
std::string VmFlagsAt(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  const auto at = reinterpret_cast<uintptr_t>(p);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = lo <= at && at < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

// Whether this kernel has transparent huge pages at all (madvise fails without).
bool KernelHasHugePages() { return std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled"); }

// A byte halfway through [p, p + bytes): inside the 2 MB-aligned part AdviseHugePages
// advises, for the blocks of several MB the tests make.
const char* Middle(const void* p, size_t bytes) {
  return static_cast<const char*>(p) + bytes / 2;
}

TEST(HugePages, AllocatorAdvisesWhatItGives) {
  std::vector<uint64_t, HugePageAllocator<uint64_t>> v;
  for (uint64_t i = 0; i < 4 * kMiB; ++i) v.push_back(i);  // grown by push_back alone: 32 MB
  for (uint64_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i);
#if defined(__linux__)  // advice is Linux's
  const std::string flags = VmFlagsAt(Middle(v.data(), v.size() * sizeof(uint64_t)));
  ASSERT_FALSE(flags.empty());
  if (KernelHasHugePages()) {
    EXPECT_NE(flags.find(" hg"), std::string::npos) << flags;
  } else {
    EXPECT_EQ(flags.find(" hg"), std::string::npos) << flags;
  }
#endif
}

TEST(HugePages, ReserveHugeAdvisesBeforeMovingTheElementsIn) {
  // Strings long enough to own their buffers, and move-only elements: moved, not lost.
  std::vector<std::string> strings;
  std::vector<std::unique_ptr<int>> owned;
  for (int i = 0; i < 1000; ++i) {
    strings.push_back("a text longer than the inline buffer, number " + std::to_string(i));
    owned.push_back(std::make_unique<int>(i));
  }
  ReserveHuge(strings, 1 << 20);
  ReserveHuge(owned, 1 << 20);
  ASSERT_GE(strings.capacity(), size_t{1} << 20);
  ASSERT_EQ(strings.size(), 1000u);
  ASSERT_EQ(owned.size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(strings[i], "a text longer than the inline buffer, number " + std::to_string(i));
    EXPECT_EQ(*owned[i], i);
  }
  // Asking for no more than the capacity changes nothing.
  const std::string* before = strings.data();
  ReserveHuge(strings, 10);
  EXPECT_EQ(strings.data(), before);

#if defined(__linux__)
  // A column grown by half with elements in it: the new block is advised.
  std::vector<int64_t> column(3 * kMiB, 7);
  ReserveHuge(column, column.size() + column.size() / 2);
  ASSERT_EQ(column.size(), 3 * kMiB);
  for (int64_t x : column) ASSERT_EQ(x, 7);
  const std::string flags = VmFlagsAt(Middle(column.data(), column.capacity() * sizeof(int64_t)));
  if (KernelHasHugePages()) {
    EXPECT_NE(flags.find(" hg"), std::string::npos) << flags;
  }
#endif
}

// HugeCapacity: at least n, and whole huge pages less malloc's 32 bytes from half a
// huge page of elements up; smaller arrays as asked.
TEST(HugePages, HugeCapacityFillsWholeHugePages) {
  EXPECT_EQ(HugeCapacity(1000, 8), 1000u);
  EXPECT_EQ(HugeCapacity(kHugePageBytes / 2 / 8 - 1, 8), kHugePageBytes / 2 / 8 - 1);  // under 1 MB
  EXPECT_EQ(HugeCapacity(kHugePageBytes / 2 / 8, 8), (kHugePageBytes - 32) / 8);
  EXPECT_EQ(HugeCapacity(kHugePageBytes * 2 / 8, 8), (3 * kHugePageBytes - 32) / 8);
  EXPECT_EQ(HugeCapacity(5'000'000, 1), 3 * kHugePageBytes - 32);
  EXPECT_EQ(HugeCapacity(3 * kHugePageBytes - 32, 1), 3 * kHugePageBytes - 32);
  EXPECT_EQ(HugeCapacity(3 * kHugePageBytes - 31, 1), 4 * kHugePageBytes - 32);
  EXPECT_EQ(HugeCapacity(SIZE_MAX / 4, 8), SIZE_MAX / 4);  // no overflow: as asked
}

#if defined(__linux__)
// The huge page an array starts in is advised when all of it but a malloc header is
// the array's, and not when more of it is someone else's; the same at the end.
TEST(HugePages, AdviceTakesTheEdgePagesAMallocHeaderAway) {
  // Our own region from a huge-page boundary: nine whole huge pages, none advised.
  const size_t span = 10 * kHugePageBytes;
  void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(raw, MAP_FAILED);
  char* base = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(raw) + kHugePageBytes - 1) & ~(kHugePageBytes - 1));
  auto advised = [](const char* p) { return VmFlagsAt(p).find(" hg") != std::string::npos; };
  // Starts 16 bytes into huge page 0, ends 16 bytes before the end of page 2.
  AdviseHugePages(base + 16, 3 * kHugePageBytes - 32);
  // Starts a page into huge page 4: that page is not advised; ends 4 KB into page 7.
  AdviseHugePages(base + 4 * kHugePageBytes + 4096, 3 * kHugePageBytes);
  // One huge page less malloc's 32 bytes, 16 bytes into page 8.
  AdviseHugePages(base + 8 * kHugePageBytes + 16, kHugePageBytes - 32);
  if (KernelHasHugePages()) {
    EXPECT_TRUE(advised(base + 8 * kHugePageBytes));
    EXPECT_TRUE(advised(base));
    EXPECT_TRUE(advised(base + 3 * kHugePageBytes - 1));
    EXPECT_FALSE(advised(base + 3 * kHugePageBytes));
    EXPECT_FALSE(advised(base + 4 * kHugePageBytes + 4096));
    EXPECT_TRUE(advised(base + 5 * kHugePageBytes));
    EXPECT_TRUE(advised(base + 7 * kHugePageBytes - 1));
    EXPECT_FALSE(advised(base + 7 * kHugePageBytes));
  }
  ::munmap(raw, span);
}
#endif

#if defined(__linux__)
// PrefaultForWrite faults in the whole pages inside its range, as writes would, and
// changes nothing in them; a range no longer mapped is no harm.
TEST(HugePages, PrefaultForWriteFaultsInWholePagesAndWritesNothing) {
  constexpr size_t kPage = 4096, kPages = 8;
  void* raw = ::mmap(nullptr, kPages * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(raw, MAP_FAILED);
  auto* base = static_cast<unsigned char*>(raw);
  base[3 * kPage + 5] = 0xA5;  // a page already written: its byte stays
  auto resident = [&] {
    std::vector<unsigned char> in(kPages);
    EXPECT_EQ(::mincore(raw, kPages * kPage, in.data()), 0);
    std::string map;
    for (unsigned char c : in) map += (c & 1) != 0 ? '1' : '0';
    return map;
  };
  ASSERT_EQ(resident(), "00010000");
  const auto begin = reinterpret_cast<uintptr_t>(base);
  // From 100 bytes into page 0 to 100 bytes into page 6: whole pages 1-5 only.
  const bool supported = PrefaultForWrite(begin + 100, begin + 6 * kPage + 100);
  EXPECT_EQ(resident(), supported ? "01111100" : "00010000");
  EXPECT_EQ(base[3 * kPage + 5], 0xA5);
  for (size_t i = kPage; i < 6 * kPage; ++i) {
    if (i != 3 * kPage + 5) {
      ASSERT_EQ(base[i], 0) << i;
    }
  }
  EXPECT_EQ(PrefaultForWrite(begin + 7 * kPage, begin + 7 * kPage + 100), supported);  // no whole page: nothing
  EXPECT_EQ(resident(), supported ? "01111100" : "00010000");
  ASSERT_EQ(::munmap(raw, kPages * kPage), 0);
  EXPECT_EQ(PrefaultForWrite(begin, begin + kPages * kPage), supported);  // unmapped: refused, not a crash
}
#endif

TEST(HugePages, HashIndexWithTheAllocatorFindsEveryKey) {
  absl::flat_hash_map<uint64_t, uint64_t, absl::Hash<uint64_t>, std::equal_to<>,
                      HugePageAllocator<std::pair<const uint64_t, uint64_t>>>
      index;
  for (uint64_t i = 0; i < 500'000; ++i) index.emplace(i * 7919, i);
  ASSERT_EQ(index.size(), 500'000u);
  for (uint64_t i = 0; i < 500'000; ++i) {
    const auto it = index.find(i * 7919);
    ASSERT_NE(it, index.end());
    ASSERT_EQ(it->second, i);
  }
  EXPECT_EQ(index.find(1), index.end());
}

TEST(HugePages, StringPoolGrownPastHugePagesKeepsEveryString) {
  StringPool pool;
  std::vector<uint32_t> ids;
  for (int i = 0; i < 300'000; ++i) ids.push_back(pool.Intern("项目名称-" + std::to_string(i)));
  ASSERT_EQ(pool.size(), 300'001u);  // and id 0, the empty string
  for (int i = 0; i < 300'000; ++i) {
    const std::string s = "项目名称-" + std::to_string(i);
    ASSERT_EQ(pool.Get(ids[i]), s);
    ASSERT_EQ(pool.Intern(s), ids[i]);
    ASSERT_EQ(pool.Find(s), ids[i]);
  }
  EXPECT_EQ(pool.Find("项目名称-300000"), std::nullopt);
}

}  // namespace
}  // namespace keyproj::internal
