// internal::StringPool: equal strings get equal ids, ids are dense in the order of
// first appearance, and a string's bytes stay where they were stored.
#include "keyproj/internal/string_pool.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace keyproj::internal {
namespace {

// Strings of every length up to a few past the arena's long-string bound, each
// interned twice in a row and again later: the second of a pair is known, and the
// room made for it (which starts a new chunk when the current one is full) is left
// to the next new string, so known strings never move or renumber.
TEST(StringPool, IdsAreDenseInFirstAppearanceAcrossChunksAndLongStrings) {
  StringPool pool;
  std::vector<std::string> texts;
  std::vector<std::string_view> stored;
  for (size_t n = 1; n <= StringArena::kLongString + 3; n += (n < 64 ? 1 : 97)) {
    std::string s(n, static_cast<char>('a' + n % 26));
    s[0] = static_cast<char>('A' + texts.size() % 26);
    s += std::to_string(texts.size());
    const uint32_t id = pool.Intern(s);
    ASSERT_EQ(id, texts.size() + 1) << "length " << n;  // 0 is ""
    ASSERT_EQ(pool.Intern(s), id) << "length " << n;
    stored.push_back(pool.Get(id));
    texts.push_back(std::move(s));
  }
  ASSERT_EQ(pool.size(), texts.size() + 1);
  EXPECT_EQ(pool.Intern(""), 0u);
  EXPECT_EQ(pool.Get(0), "");
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto id = static_cast<uint32_t>(i + 1);
    ASSERT_EQ(pool.Get(id), texts[i]);
    ASSERT_EQ(pool.Get(id).data(), stored[i].data()) << "string " << i << " moved";
    ASSERT_EQ(pool.Intern(texts[i]), id);
    ASSERT_EQ(pool.Find(texts[i]), id);
  }
  EXPECT_EQ(pool.size(), texts.size() + 1);
  EXPECT_EQ(pool.Find("not interned"), std::nullopt);
}

// A pool viewing a snapshot's blob interns on top of it: the viewed ids stay, new
// strings number on from them.
TEST(StringPool, InternOnAnAdoptedPoolKeepsItsIds) {
  const std::string blob = "甲乙丙";
  const std::vector<uint64_t> offsets = {0, 0, 3, 6, 9};  // "", 甲, 乙, 丙
  StringPool pool;
  pool.Adopt(offsets.data(), 4, blob.data());
  EXPECT_EQ(pool.Find("乙"), 2u);
  EXPECT_EQ(pool.Intern("丙"), 3u);
  EXPECT_EQ(pool.Intern("丁"), 4u);
  EXPECT_EQ(pool.Intern("甲"), 1u);
  EXPECT_EQ(pool.Get(4), "丁");
  EXPECT_EQ(pool.size(), 5u);
}

// Prefetch is a hint: it interns nothing, renumbers nothing, and leaves an adopted
// pool viewing its blob (no copy into an arena).
TEST(StringPool, PrefetchChangesNothing) {
  StringPool pool;
  RecentStrings recent;
  EXPECT_EQ(recent.Intern(pool, "咸发改投资〔2024〕75号"), 1u);
  for (std::string_view s : {"咸发改投资〔2024〕75号", "咸发改投资〔2024〕76号", "", "x"}) {
    pool.Prefetch(s);
    recent.Prefetch(pool, s);
  }
  EXPECT_EQ(pool.size(), 2u);
  EXPECT_EQ(pool.Find("咸发改投资〔2024〕76号"), std::nullopt);
  EXPECT_EQ(recent.Intern(pool, "咸发改投资〔2024〕76号"), 2u);
  EXPECT_EQ(recent.Intern(pool, "咸发改投资〔2024〕75号"), 1u);

  const std::string blob = "甲乙";
  const std::vector<uint64_t> offsets = {0, 0, 3, 6};
  StringPool viewed;
  viewed.Adopt(offsets.data(), 3, blob.data());
  viewed.Prefetch("乙");
  viewed.Prefetch("丙");
  recent.Prefetch(viewed, "丙");
  EXPECT_EQ(viewed.size(), 3u);
  EXPECT_EQ(viewed.Get(2).data(), blob.data() + 3);
}

// SameBytes reads 8 (or 4) bytes a step with overlapping ends: every length up to past
// its memcmp cut-over, a difference at every position (and only in the last byte a
// step reads twice), and texts at odd addresses inside a bigger buffer.
TEST(SameBytes, AgreesWithEqualityForEveryLengthAndPlaceOfADifference) {
  std::string buffer(300, 'x');
  for (size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<char>('a' + (i * 7) % 26);
  int compares = 0;
  for (size_t n = 0; n <= 80; ++n) {
    for (size_t offset : {size_t{0}, size_t{1}, size_t{3}, size_t{7}}) {
      const std::string_view a(buffer.data() + offset, n);
      std::string copy(a);
      std::string other = copy + "!";
      EXPECT_TRUE(SameBytes(a, copy)) << n;
      EXPECT_FALSE(SameBytes(a, other)) << n;  // lengths differ
      for (size_t k = 0; k < n; ++k) {
        std::string changed = copy;
        changed[k] = static_cast<char>(changed[k] ^ (k % 2 == 0 ? 0x01 : 0x80));
        ASSERT_EQ(SameBytes(a, changed), a == changed) << "length " << n << " byte " << k;
        ++compares;
      }
    }
  }
  EXPECT_TRUE(SameBytes(std::string_view(), ""));
  EXPECT_GT(compares, 12000);
}

}  // namespace
}  // namespace keyproj::internal

