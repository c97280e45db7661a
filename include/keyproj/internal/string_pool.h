// Interned strings for the ledger's text columns. Strings live in chunks that never
// move, so a string_view handed out stays valid for the pool's lifetime; id 0 is the
// empty string ("not known").
#ifndef KEYPROJ_STRING_POOL_H_
#define KEYPROJ_STRING_POOL_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace keyproj::internal {

// Append-only storage of strings with stable addresses.
class StringArena {
 public:
  std::string_view Store(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > kChunk / 4) {  // a long string gets a chunk of its own
      chunks_.push_back(std::make_unique<char[]>(s.size()));
      bytes_ += s.size();
      std::memcpy(chunks_.back().get(), s.data(), s.size());
      return {chunks_.back().get(), s.size()};
    }
    if (chunks_.empty() || used_ + s.size() > kChunk || tail_ == nullptr) {
      chunks_.push_back(std::make_unique<char[]>(kChunk));
      tail_ = chunks_.back().get();
      used_ = 0;
      bytes_ += kChunk;
    }
    char* dst = tail_ + used_;
    std::memcpy(dst, s.data(), s.size());
    used_ += s.size();
    return {dst, s.size()};
  }
  size_t memory_bytes() const { return bytes_ + chunks_.capacity() * sizeof(chunks_[0]); }

 private:
  static constexpr size_t kChunk = 1 << 16;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* tail_ = nullptr;
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

// Deduplicating pool: equal strings get equal ids.
class StringPool {
 public:
  StringPool() { views_.push_back({}); }
  StringPool(StringPool&&) = default;
  StringPool& operator=(StringPool&&) = default;

  uint32_t Intern(std::string_view s) {
    if (s.empty()) return 0;
    auto it = index_.find(s);
    if (it != index_.end()) return it->second;
    std::string_view stored = arena_.Store(s);
    const auto id = static_cast<uint32_t>(views_.size());
    views_.push_back(stored);
    index_.emplace(stored, id);
    return id;
  }
  std::optional<uint32_t> Find(std::string_view s) const {
    if (s.empty()) return 0;
    auto it = index_.find(s);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  std::string_view Get(uint32_t id) const { return views_[id]; }
  size_t size() const { return views_.size(); }
  size_t memory_bytes() const {
    return arena_.memory_bytes() + views_.capacity() * sizeof(std::string_view) +
           index_.capacity() * (sizeof(std::string_view) + sizeof(uint32_t) + 1);
  }

 private:
  StringArena arena_;
  std::vector<std::string_view> views_;
  absl::flat_hash_map<std::string_view, uint32_t, StringViewHash> index_;
};

}  // namespace keyproj::internal

#endif  // KEYPROJ_STRING_POOL_H_
