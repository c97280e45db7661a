// Interned strings for the ledger's text columns. Strings live in chunks that never
// move, so a string_view handed out stays valid for the pool's lifetime; id 0 is the
// empty string ("not known").
#ifndef KEYPROJ_STRING_POOL_H_
#define KEYPROJ_STRING_POOL_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "keyproj/internal/huge_pages.h"

namespace keyproj::internal {

// a == b for the hot paths' short texts -- a row's code against the last project's, a
// text against the one a cache or the pool's index holds -- inline, 8 bytes a step:
// std::memcmp there is a call into libc and a dispatch on the length, for 24 bytes
// (a project code) in the monthly rows' loop (about 5% of adding 24 M rows by column
// arrays, in a profile). Longer texts go to memcmp.
inline bool SameBytes(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    if (n > 64) return std::memcmp(p, q, n) == 0;
    uint64_t x, y, diff = 0;
    for (size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&x, p + i, 8);
      std::memcpy(&y, q + i, 8);
      diff |= x ^ y;
    }
    std::memcpy(&x, p + n - 8, 8);  // the last 8, overlapping the step before
    std::memcpy(&y, q + n - 8, 8);
    return (diff | (x ^ y)) == 0;
  }
  if (n >= 4) {
    uint32_t x1, y1, x2, y2;
    std::memcpy(&x1, p, 4);
    std::memcpy(&y1, q, 4);
    std::memcpy(&x2, p + n - 4, 4);
    std::memcpy(&y2, q + n - 4, 4);
    return ((x1 ^ y1) | (x2 ^ y2)) == 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

// Append-only storage of strings with stable addresses.
class StringArena {
 public:
  // A string longer than this gets a chunk of its own.
  static constexpr size_t kLongString = size_t{1} << 14;

  std::string_view Store(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > kLongString) {
      chunks_.push_back(std::make_unique<char[]>(s.size()));
      bytes_ += s.size();
      std::memcpy(chunks_.back().get(), s.data(), s.size());
      return {chunks_.back().get(), s.size()};
    }
    MakeRoom(s.size());
    return StoreInRoom(s);
  }
  // Room for a string of n <= kLongString bytes in the current chunk, so that the
  // StoreInRoom after it allocates nothing (and cannot fail).
  void MakeRoom(size_t n) {
    if (used_ + n > tail_size_) {  // also the first string: no chunk yet, tail_size_ 0
      // Chunks grow with the pool (an eighth of it, up to 16 MB), so a pool of 10^6
      // projects' names is a few dozen chunks on huge pages (huge_pages.h), not
      // thousands of 64 KB ones faulted in 4 KB at a time; a small pool stays small.
      // From half a huge page up, whole huge pages (HugeCapacity), all of them advised.
      const size_t size = HugeCapacity(std::clamp<size_t>(bytes_ / 8, kChunk, kMaxChunk), 1);
      chunks_.push_back(std::make_unique_for_overwrite<char[]>(size));
      tail_ = chunks_.back().get();
      tail_size_ = size;
      AdviseHugePages(tail_, tail_size_);
      used_ = 0;
      bytes_ += tail_size_;
    }
  }
  std::string_view StoreInRoom(std::string_view s) {
    char* dst = tail_ + used_;
    std::memcpy(dst, s.data(), s.size());
    used_ += s.size();
    return {dst, s.size()};
  }
  size_t memory_bytes() const { return bytes_ + chunks_.capacity() * sizeof(chunks_[0]); }
  // The current chunk: where the next strings go, and how much of it is used.
  const char* tail() const { return tail_; }
  size_t tail_used() const { return used_; }
  size_t tail_size() const { return tail_size_; }
  size_t stored_bytes() const { return bytes_ - (tail_size_ - used_); }

 private:
  static constexpr size_t kChunk = 1 << 16;  // the first chunks
  static_assert(kLongString <= kChunk / 4);
  static constexpr size_t kMaxChunk = size_t{16} << 20;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* tail_ = nullptr;
  size_t tail_size_ = 0;
  size_t used_ = 0;
  size_t bytes_ = 0;
};

// Hashes std::string_view with Abseil's string hash. Debian's Abseil has its own
// absl::string_view, and its hash of std::string_view falls back to std::hash, which
// is markedly slower on the ledger's hot path (every monthly row's progress text).
struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return absl::Hash<absl::string_view>{}(absl::string_view(s.data(), s.size()));
  }
};
struct StringViewEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return SameBytes(a, b); }
};

// Deduplicating pool: equal strings get equal ids.
//
// A pool is either built by Intern (strings in the arena, a hash index beside them)
// or views a snapshot's form of it (include/keyproj/snapshot.h): offsets[id] ..
// offsets[id + 1] into one blob, not owned, with the index for Find built on the
// first Find (once, thread-safe) -- most reports never look a text up, and building
// it would cost ~50 ms per 10^6 strings at open. Get is the same for callers either way.
class StringPool {
 public:
  StringPool() { views_.push_back({}); }
  StringPool(StringPool&&) = default;
  StringPool& operator=(StringPool&&) = default;

  uint32_t Intern(std::string_view s) {
    if (s.empty()) return 0;
    if (offsets_ != nullptr) Materialize();
    if (s.size() > StringArena::kLongString) [[unlikely]] {
      auto it = index_.find(s);
      if (it != index_.end()) return it->second;
      return Add(arena_.Store(s));
    }
    // One probe of the index whether the string is new or known (lazy_emplace: a
    // find and an emplace hashed and probed a new string twice -- the most of
    // interning 10^6 projects' names and codes). A new string's bytes and id are
    // stored while the index holds its slot open, where nothing may fail: the room
    // for them is made first (a known string then leaves the room for the next).
    arena_.MakeRoom(s.size());
    if (views_.size() == views_.capacity()) views_.reserve(std::max<size_t>(16, views_.size() * 2));
    const auto it = index_.lazy_emplace(s, [&](const auto& construct) {
      const std::string_view stored = arena_.StoreInRoom(s);
      const auto id = static_cast<uint32_t>(views_.size());
      views_.push_back(stored);
      construct(stored, id);
    });
    return it->second;
  }
  // Room for `n` more strings without rehashing or regrowing (a builder that knows
  // how many codes are coming).
  void Reserve(size_t n) {
    if (offsets_ != nullptr) Materialize();
    ReserveHuge(views_, views_.size() + n);
    index_.reserve(index_.size() + n);
  }
  // Starts fetching the index's slots where s would be: a hint for a caller that
  // knows which strings it interns a few rows ahead (at 10^6 projects each probe is a
  // cache miss). Changes nothing.
  void Prefetch(std::string_view s) const {
    if (!s.empty() && offsets_ == nullptr) index_.prefetch(s);
  }
  std::optional<uint32_t> Find(std::string_view s) const {
    if (s.empty()) return 0;
    if (lazy_index_ != nullptr) {
      absl::call_once(lazy_index_->once, [this] {
        index_.reserve(count_);
        for (uint32_t id = 1; id < count_; ++id) index_.emplace(Get(id), id);
      });
    }
    auto it = index_.find(s);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  std::string_view Get(uint32_t id) const {
    if (offsets_ != nullptr) return {blob_ + offsets_[id], static_cast<size_t>(offsets_[id + 1] - offsets_[id])};
    return views_[id];
  }
  size_t size() const { return offsets_ != nullptr ? count_ : views_.size(); }
  // Where new strings go (a built pool): the arena's current chunk, and the views of
  // the strings by id (LedgerBuilder::ColumnsAhead).
  const StringArena& arena() const { return arena_; }
  const std::vector<std::string_view, HugePageAllocator<std::string_view>>& views() const { return views_; }
  size_t memory_bytes() const {
    return arena_.memory_bytes() + views_.capacity() * sizeof(std::string_view) +
           index_.capacity() * (sizeof(std::string_view) + sizeof(uint32_t) + 1);
  }

  // Views `count` strings (id 0 the empty one): string id is blob[offsets[id] ..
  // offsets[id + 1]). Neither is owned; the caller keeps them alive and unchanged for
  // the pool's lifetime, and has checked that offsets ascend from 0 within the blob.
  void Adopt(const uint64_t* offsets, uint32_t count, const char* blob) {
    *this = StringPool();
    offsets_ = offsets;
    count_ = count;
    blob_ = blob;
    lazy_index_ = std::make_unique<LazyIndex>();
  }

 private:
  struct LazyIndex {
    absl::once_flag once;
  };
  uint32_t Add(std::string_view stored) {
    const auto id = static_cast<uint32_t>(views_.size());
    views_.push_back(stored);
    index_.emplace(stored, id);
    return id;
  }
  // Copies a viewed pool into the arena, so that it can grow.
  void Materialize() {
    StringPool own;
    for (uint32_t id = 1; id < count_; ++id) own.Add(own.arena_.Store(Get(id)));
    *this = std::move(own);
  }

  StringArena arena_;
  // Both grow as strings come (10^6 projects intern a few million): on huge pages
  // (huge_pages.h), or every regrowth faults the new block in 4 KB at a time.
  std::vector<std::string_view, HugePageAllocator<std::string_view>> views_;
  // Built by Intern, or on the first Find of a viewed pool.
  mutable absl::flat_hash_map<std::string_view, uint32_t, StringViewHash, StringViewEq,
                              HugePageAllocator<std::pair<const std::string_view, uint32_t>>>
      index_;
  // The viewed form (offsets_ == nullptr when built by Intern).
  const uint64_t* offsets_ = nullptr;
  uint32_t count_ = 0;
  const char* blob_ = nullptr;
  std::unique_ptr<LazyIndex> lazy_index_;
};

// The strings one column interned lately, by a cheap hash of their bytes, for one
// pool. A column of few distinct values (a leader, an authority, a progress text) then
// finds its id with one compare of bytes in cache, without hashing the whole text or
// probing the pool's index -- at 10^6 projects a cache miss for the index and another
// for the stored bytes, the most of a CSV load's interning. A text that never repeats
// (a name, a document number) costs one compare more.
class RecentStrings {
 public:
  uint32_t Intern(StringPool& pool, std::string_view s) {
    if (s.empty()) return 0;
    const uint64_t key = Key(s);
    Entry& e = entries_[Slot(key)];
    if (e.Holds(s, key)) return e.id;
    const uint32_t id = pool.Intern(s);
    e = Entry{pool.Get(id), key, id};  // the pool's bytes: stable for its lifetime
    return id;
  }
  // StringPool::Prefetch for a string Intern would not find here now.
  void Prefetch(const StringPool& pool, std::string_view s) const {
    if (s.empty()) return;
    const uint64_t key = Key(s);
    if (!entries_[Slot(key)].Holds(s, key)) pool.Prefetch(s);
  }

 private:
  static constexpr int kBits = 6;
  // A mix of the text's first and last 8 bytes and its length.
  static uint64_t Key(std::string_view s) {
    uint64_t head = 0, tail = 0;
    if (s.size() >= 8) {
      std::memcpy(&head, s.data(), 8);
      std::memcpy(&tail, s.data() + s.size() - 8, 8);
    } else {
      std::memcpy(&head, s.data(), s.size());
    }
    return (head * 0x9E3779B97F4A7C15ull) ^ (tail * 0xC2B2AE3D27D4EB4Full) ^ s.size();
  }
  static size_t Slot(uint64_t key) { return static_cast<size_t>(key >> (64 - kBits)); }
  struct Entry {
    std::string_view text;
    uint64_t key = 0;
    uint32_t id = 0;
    // The whole key first: a text that never repeats (a name, a document number) is
    // then told apart without reading the stored bytes, which for such a text are
    // long out of cache (a miss per row in a 10^6-project load's profile).
    bool Holds(std::string_view s, uint64_t s_key) const { return key == s_key && SameBytes(text, s); }
  };
  std::array<Entry, size_t{1} << kBits> entries_{};
};

}  // namespace keyproj::internal

#endif  // KEYPROJ_STRING_POOL_H_
