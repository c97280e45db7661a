// UTF-8 validation and GB18030 conversion (src/csv/encoding.cc).
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/internal/encoding.h"
#include "keyproj/internal/text.h"

namespace keyproj {
namespace {

using ::testing::HasSubstr;
constexpr size_t npos = std::string_view::npos;

TEST(FindInvalidUtf8, ValidText) {
  EXPECT_EQ(FindInvalidUtf8(""), npos);
  EXPECT_EQ(FindInvalidUtf8("plain ascii, long enough to take the 8-byte path"), npos);
  EXPECT_EQ(FindInvalidUtf8("项目代码,总投资（万元）\n"), npos);
  EXPECT_EQ(FindInvalidUtf8("\xC2\x80"), npos);              // U+0080, smallest 2-byte
  EXPECT_EQ(FindInvalidUtf8("\xE0\xA0\x80"), npos);          // U+0800, smallest 3-byte
  EXPECT_EQ(FindInvalidUtf8("\xED\x9F\xBF"), npos);          // U+D7FF, below surrogates
  EXPECT_EQ(FindInvalidUtf8("\xEE\x80\x80"), npos);          // U+E000, above surrogates
  EXPECT_EQ(FindInvalidUtf8("\xF0\x90\x80\x80"), npos);      // U+10000
  EXPECT_EQ(FindInvalidUtf8("\xF4\x8F\xBF\xBF"), npos);      // U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80 smile"), npos);  // emoji
  EXPECT_EQ(FindInvalidUtf8(std::string_view("a\0b", 3)), npos);
}

TEST(FindInvalidUtf8, OffsetOfTheFirstBadSequence) {
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);                         // lone continuation
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\xFF"), 10u);              // after the fast path
  EXPECT_EQ(FindInvalidUtf8("中\xC0\x80"), 3u);                   // overlong NUL
  EXPECT_EQ(FindInvalidUtf8("\xC1\xBF"), 0u);                     // overlong 2-byte
  EXPECT_EQ(FindInvalidUtf8("\xE0\x80\xAF"), 0u);                 // overlong 3-byte '/'
  EXPECT_EQ(FindInvalidUtf8("\xF0\x80\x80\xAF"), 0u);             // overlong 4-byte
  EXPECT_EQ(FindInvalidUtf8("ok\xED\xA0\x80"), 2u);               // U+D800 surrogate
  EXPECT_EQ(FindInvalidUtf8("\xED\xBF\xBF"), 0u);                 // U+DFFF surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);             // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(FindInvalidUtf8("xyz\xE4\xB8"), 3u);                  // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\xE4\xB8xx"), 0u);                   // truncated in the middle
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98"), 0u);                 // truncated 4-byte
  // GBK 中国 (D6 D0 B9 FA): D6 starts a 2-byte sequence but D0 is no continuation.
  EXPECT_EQ(FindInvalidUtf8("\xD6\xD0\xB9\xFA"), 0u);
  // GBK 万元 (CD F2 D4 AA) after ASCII: CD F2 fails the same way at offset 4.
  EXPECT_EQ(FindInvalidUtf8("2024\xCD\xF2\xD4\xAA"), 4u);
}

// Runs of Chinese text take a 3-byte fast path; the E0 and ED leads and anything
// unusual must still be checked in full inside such a run.
TEST(FindInvalidUtf8, InsideRunsOfChineseText) {
  const std::string run = "完成基础施工正在进行主体结构施工";  // 16 characters, 48 bytes
  EXPECT_EQ(FindInvalidUtf8(run + run), npos);
  EXPECT_EQ(FindInvalidUtf8(run + "\xE0\xA0\x80" + run), npos);           // U+0800
  EXPECT_EQ(FindInvalidUtf8(run + "\xED\x9F\xBF" + run), npos);           // U+D7FF
  EXPECT_EQ(FindInvalidUtf8(run + "\xF0\x9F\x98\x80" + run), npos);       // 4-byte
  EXPECT_EQ(FindInvalidUtf8(run + "\xC2\xA9" + run), npos);               // 2-byte
  EXPECT_EQ(FindInvalidUtf8(run + "\xE0\x9F\xBF" + run), 48u);           // overlong
  EXPECT_EQ(FindInvalidUtf8(run + "\xED\xA0\x80" + run), 48u);           // surrogate
  EXPECT_EQ(FindInvalidUtf8(run + "\xE4\xB8" + run), 48u);               // cut short
  EXPECT_EQ(FindInvalidUtf8(run + "\xE4\xB8\xC0" + run), 48u);           // bad third byte
  EXPECT_EQ(FindInvalidUtf8(run + "\xE4\x38\x80" + run), 48u);           // bad second byte
  EXPECT_EQ(FindInvalidUtf8(run + "\x80" + run), 48u);                    // stray continuation
  EXPECT_EQ(FindInvalidUtf8(run + "\xFF"), 48u);
  EXPECT_EQ(FindInvalidUtf8(run + "\xE4\xB8"), 48u);                     // cut at the very end
  // Every byte value as a lead inside a run: exactly the RFC 3629 answer.
  for (int b = 0x80; b <= 0xFF; ++b) {
    const std::string text = run + std::string(1, static_cast<char>(b)) + "\xB8\x80" + run;
    const bool valid = b >= 0xE0 && b <= 0xEF && b != 0xED;  // ED B8 80 is a surrogate
    EXPECT_EQ(FindInvalidUtf8(text) == npos, valid) << std::hex << b;
  }
}

// The answer by decoding one character at a time (RFC 3629's rules in DecodeUtf8).
size_t ReferenceFindInvalidUtf8(std::string_view s) {
  char32_t cp;
  for (size_t i = 0; i < s.size();) {
    const size_t len = internal::DecodeUtf8(s, i, &cp);
    if (len == 0) return i;
    i += len;
  }
  return npos;
}

// Long texts go through a SIMD check (16 bytes a step with SSSE3, 64 with AVX2)
// that cannot say where an error is: the offset must still be the first bad byte's,
// wherever it falls against the blocks, for every kind of error, and valid text must
// pass whole. Each check this CPU has is tried, not only the one FindInvalidUtf8 picks.
TEST(FindInvalidUtf8, LongTextsAgreeWithDecodingOneCharacterAtATime) {
  using internal::Utf8Check;
  const std::vector<std::string> pieces = {
      "a", "0123456789", ",", "\n", "\xC2\x80", "\xDF\xBF", "\xC2\xA9", "中", "项目", "\xE0\xA0\x80",
      "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF",
      "\xF0\x9F\x98\x80", std::string(1, '\0'), std::string(40, 'x')};
  const std::vector<std::string> bad = {
      "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\xAF", "\xE0\x9F\xBF", "\xED\xA0\x80",
      "\xED\xBF\xBF", "\xF0\x80\x80\xAF", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
      "\xF8\x88\x80\x80", "\xFF", "\xFE", "\xE4\xB8", "\xF0\x9F\x98", "\xC2", "\xE4", "\xF0"};
  std::vector<Utf8Check> checks;
  for (Utf8Check c : {Utf8Check::kScalar, Utf8Check::kSsse3, Utf8Check::kAvx2}) {
    if (internal::HasUtf8Check(c)) checks.push_back(c);
  }
  std::mt19937 rng(20261204);
  int errors_found = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const size_t length = 16 + rng() % 400;
    while (text.size() < length) text += pieces[rng() % pieces.size()];
    switch (rng() % 4) {
      case 0: break;  // valid
      case 1: text.insert(rng() % (text.size() + 1), bad[rng() % bad.size()]); break;  // maybe mid-character
      case 2: text[rng() % text.size()] = static_cast<char>(rng() % 256); break;
      case 3: text.resize(rng() % (text.size() + 1)); break;  // maybe cut inside a character
    }
    const size_t want = ReferenceFindInvalidUtf8(text);
    if (want != npos) ++errors_found;
    ASSERT_EQ(FindInvalidUtf8(text), want) << "round " << round;
    for (Utf8Check c : checks) {
      ASSERT_EQ(internal::FindInvalidUtf8With(c, text), want) << "round " << round << " check " << static_cast<int>(c);
    }
  }
  EXPECT_GT(errors_found, 5000);  // the rounds did test errors
}

// This test's machines (x86-64 CI) have both SIMD checks: a build or CPU that lost
// them would pass the test above with the scalar check alone.
TEST(FindInvalidUtf8, TheSimdChecksAreThereOnX86) {
#if defined(__x86_64__)
  EXPECT_TRUE(internal::HasUtf8Check(internal::Utf8Check::kSsse3));
  EXPECT_EQ(internal::HasUtf8Check(internal::Utf8Check::kAvx2), static_cast<bool>(__builtin_cpu_supports("avx2")));
#endif
  EXPECT_TRUE(internal::HasUtf8Check(internal::Utf8Check::kScalar));
}

TEST(Gb18030, RoundTripOfChineseText) {
  const std::string utf8 = "项目代码,项目名称,总投资（万元）\nP001,城南污水处理厂,12345.67\n";
  absl::StatusOr<std::string> gb = Utf8ToGb18030(utf8);
  ASSERT_TRUE(gb.ok()) << gb.status();
  EXPECT_NE(*gb, utf8);
  EXPECT_NE(FindInvalidUtf8(*gb), npos);  // GB18030 Chinese is not valid UTF-8
  // 项 is CF EE in GBK/GB18030.
  EXPECT_EQ(gb->substr(0, 2), "\xCF\xEE");
  absl::StatusOr<std::string> back = Gb18030ToUtf8(*gb);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, utf8);
}

TEST(Gb18030, KnownTwoByteCodes) {
  EXPECT_EQ(*Gb18030ToUtf8("\xD6\xD0\xB9\xFA"), "中国");
  EXPECT_EQ(*Utf8ToGb18030("万元"), "\xCD\xF2\xD4\xAA");
  EXPECT_EQ(*Gb18030ToUtf8("ascii stays"), "ascii stays");
  EXPECT_EQ(*Gb18030ToUtf8(""), "");
}

TEST(Gb18030, FourByteSequences) {
  // 81 30 81 30 is U+0080, the first four-byte code.
  EXPECT_EQ(*Gb18030ToUtf8("\x81\x30\x81\x30"), "\xC2\x80");
  // 95 32 82 36 is U+20000 (𠀀), the first supplementary-plane ideograph.
  EXPECT_EQ(*Gb18030ToUtf8("\x95\x32\x82\x36"), "\xF0\xA0\x80\x80");
  EXPECT_EQ(*Utf8ToGb18030("\xF0\xA0\x80\x80"), "\x95\x32\x82\x36");
  // € is A2 E3 in GB18030 (GBK's 0x80 is not GB18030).
  EXPECT_EQ(*Utf8ToGb18030("€"), "\xA2\xE3");
}

TEST(Gb18030, ErrorsNameTheByteOffset) {
  absl::StatusOr<std::string> bad = Gb18030ToUtf8("ab\xFF" "c");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("byte offset 2"));

  absl::StatusOr<std::string> truncated = Gb18030ToUtf8("\xD6\xD0\xB9");  // 中 then half of 国
  ASSERT_FALSE(truncated.ok());
  EXPECT_THAT(truncated.status().message(), HasSubstr("byte offset 2"));

  absl::StatusOr<std::string> truncated4 = Gb18030ToUtf8("x\x81\x30\x81");
  ASSERT_FALSE(truncated4.ok());
  EXPECT_THAT(truncated4.status().message(), HasSubstr("byte offset 1"));
}

TEST(Gb18030, InvalidUtf8CannotBeWritten) {
  absl::StatusOr<std::string> bad = Utf8ToGb18030("ok\xED\xA0\x80");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("byte offset 2"));
}

TEST(Gb18030, BomConvertsToUtf8Bom) {
  // GB18030's byte-order mark is 84 31 95 33 (U+FEFF).
  EXPECT_EQ(*Gb18030ToUtf8("\x84\x31\x95\x33" "a"), "\xEF\xBB\xBF" "a");
}

}  // namespace
}  // namespace keyproj
