// The small text helpers of the base layer (include/keyproj/internal/text.h).
#include "keyproj/internal/text.h"

#include <string>

#include "gtest/gtest.h"
#include "keyproj/encoding.h"

namespace keyproj::internal {
namespace {

std::string Utf8Of(char32_t cp) {
  std::string out;
  AppendUtf8(&out, cp);
  return out;
}

TEST(AppendUtf8, EncodesEachLength) {
  EXPECT_EQ(Utf8Of(U'A'), "A");
  EXPECT_EQ(Utf8Of(0x7F), "\x7F");
  EXPECT_EQ(Utf8Of(0x80), "\xC2\x80");
  EXPECT_EQ(Utf8Of(U'é'), "é");
  EXPECT_EQ(Utf8Of(0x7FF), "\xDF\xBF");
  EXPECT_EQ(Utf8Of(0x800), "\xE0\xA0\x80");
  EXPECT_EQ(Utf8Of(U'万'), "万");
  EXPECT_EQ(Utf8Of(0x3000), "\u3000");
  EXPECT_EQ(Utf8Of(0xFFFF), "\xEF\xBF\xBF");
  EXPECT_EQ(Utf8Of(0x10000), "\xF0\x90\x80\x80");
  EXPECT_EQ(Utf8Of(U'𠀀'), "𠀀");
  EXPECT_EQ(Utf8Of(0x10FFFF), "\xF4\x8F\xBF\xBF");
}

TEST(AppendUtf8, EveryScalarValueIsValidUtf8) {
  std::string all;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    AppendUtf8(&all, cp);
  }
  EXPECT_EQ(FindInvalidUtf8(all), std::string_view::npos);
}

TEST(TrimSpaces, StripsAsciiAndIdeographicSpacesInAnyMix) {
  EXPECT_EQ(TrimSpaces("  a b\t "), "a b");
  EXPECT_EQ(TrimSpaces("\u3000 \u3000全角\u3000\r\n\u3000"), "全角");
  EXPECT_EQ(TrimSpaces("\u3000"), "");
  EXPECT_EQ(TrimSpaces(""), "");
  EXPECT_EQ(TrimSpaces("a\u3000b"), "a\u3000b");
  EXPECT_EQ(TrimSpaces("\xE3\x81\x82"), "\xE3\x81\x82");  // あ: E3 but not U+3000
  EXPECT_EQ(TrimSpaces("x\xE4\xB8\x80"), "x\xE4\xB8\x80");  // 一 ends in 80
  EXPECT_EQ(TrimSpaces("\x80\x80"), "\x80\x80");
  EXPECT_EQ(TrimSpaces("\xE3\x80"), "\xE3\x80");
}

TEST(TrimSpaces, TakesTheAsciiSetToStrip) {
  EXPECT_EQ(TrimSpaces(" a\n", " \t"), "a\n");
  EXPECT_EQ(TrimSpaces("\u3000\ta\u3000\t", " \t"), "a");
  EXPECT_EQ(TrimSpaces("-a-", "-"), "a");
  static_assert(TrimSpaces(" \u3000x ") == "x");
}

TEST(AppendCsvField, QuotesWhatNeedsIt) {
  auto q = [](std::string_view s) {
    std::string out = "x,";
    AppendCsvField(&out, s);
    return out.substr(2);
  };
  EXPECT_EQ(q("主体施工"), "主体施工");
  EXPECT_EQ(q(""), "");
  EXPECT_EQ(q("a b"), "a b");
  EXPECT_EQ(q("a,b"), "\"a,b\"");
  EXPECT_EQ(q("\""), "\"\"\"\"");
  EXPECT_EQ(q("完成\"三通一平\""), "\"完成\"\"三通一平\"\"\"");
  EXPECT_EQ(q("1号楼\n2号楼"), "\"1号楼\n2号楼\"");
  EXPECT_EQ(q("a\r\nb"), "\"a\r\nb\"");
  EXPECT_EQ(q(" lead"), "\" lead\"");
  EXPECT_EQ(q("trail\t"), "\"trail\t\"");
  EXPECT_EQ(q("\u3000全角"), "\u3000全角");  // only ASCII spaces are at risk in a reader
}

}  // namespace
}  // namespace keyproj::internal
