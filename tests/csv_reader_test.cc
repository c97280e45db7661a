// The internal RFC 4180 tokenizer (src/csv/csv_reader.h).
#include "csv/csv_reader.h"

#include <cstdio>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "csv/cell_parse.h"
#include "csv/layout.h"

namespace keyproj::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Rec {
  int64_t line;
  std::vector<std::string> fields;
  friend bool operator==(const Rec&, const Rec&) = default;
};

std::ostream& operator<<(std::ostream& os, const Rec& r) {
  os << "line " << r.line << ":";
  for (const std::string& f : r.fields) os << " [" << f << "]";
  return os;
}

std::vector<Rec> ReadAll(std::string_view text, CsvReader* reader) {
  std::vector<Rec> out;
  while (reader->Next()) {
    Rec r{reader->line(), {}};
    for (std::string_view f : reader->fields()) r.fields.emplace_back(f);
    out.push_back(std::move(r));
  }
  (void)text;
  return out;
}

std::vector<Rec> ReadAll(std::string_view text) {
  CsvReader reader(text);
  return ReadAll(text, &reader);
}

TEST(CsvReader, PlainRecordsWithLf) {
  EXPECT_THAT(ReadAll("a,b,c\n1,2,3\n"),
              ElementsAre(Rec{1, {"a", "b", "c"}}, Rec{2, {"1", "2", "3"}}));
}

TEST(CsvReader, CrLfAndNoTrailingNewline) {
  EXPECT_THAT(ReadAll("a,b\r\n1,2\r\n3,4"),
              ElementsAre(Rec{1, {"a", "b"}}, Rec{2, {"1", "2"}}, Rec{3, {"3", "4"}}));
}

TEST(CsvReader, LoneCrIsALineBreak) {
  EXPECT_THAT(ReadAll("a,b\r1,2\r"), ElementsAre(Rec{1, {"a", "b"}}, Rec{2, {"1", "2"}}));
}

TEST(CsvReader, EmptyFieldsAndTrailingComma) {
  EXPECT_THAT(ReadAll(",a,,\n,\n"), ElementsAre(Rec{1, {"", "a", "", ""}}, Rec{2, {"", ""}}));
  EXPECT_THAT(ReadAll("x,"), ElementsAre(Rec{1, {"x", ""}}));
}

TEST(CsvReader, BlankLinesAreSkippedButCounted) {
  EXPECT_THAT(ReadAll("\n\na\n\r\n\nb\n\n"), ElementsAre(Rec{3, {"a"}}, Rec{6, {"b"}}));
}

TEST(CsvReader, EmptyInput) {
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_TRUE(ReadAll("\n\r\n\n").empty());
}

TEST(CsvReader, QuotedFieldWithCommaAndEscapedQuotes) {
  EXPECT_THAT(ReadAll("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"),
              ElementsAre(Rec{1, {"a,b", "say \"hi\"", ""}}));
}

TEST(CsvReader, OnlyEscapedQuotes) {
  // """""" is a quoted field holding two quotes.
  EXPECT_THAT(ReadAll("\"\"\"\"\"\",x\n"), ElementsAre(Rec{1, {"\"\"", "x"}}));
}

TEST(CsvReader, SeveralEscapedFieldsInOneRecordStayValid) {
  // Each unescaped field lives in the scratch buffer; later ones must not move
  // earlier ones.
  std::string text;
  std::vector<std::string> want;
  for (int i = 0; i < 50; ++i) {
    if (i) text += ',';
    text += "\"" + std::string(static_cast<size_t>(i), 'x') + "\"\"q\"";
    want.push_back(std::string(static_cast<size_t>(i), 'x') + "\"q");
  }
  text += "\nnext\n";
  std::vector<Rec> got = ReadAll(text);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].fields, want);
  EXPECT_EQ(got[1], (Rec{2, {"next"}}));
}

TEST(CsvReader, UnescapedQuotedFieldPointsIntoTheBuffer) {
  const std::string text = "\"abc\",d\n";
  CsvReader reader(text);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.fields()[0].data(), text.data() + 1);
  EXPECT_EQ(reader.fields()[1].data(), text.data() + 6);
}

TEST(CsvReader, EmbeddedNewlinesKeepLineNumbersRight) {
  const std::string text =
      "code,progress\n"
      "P1,\"line one\nline two\r\nline three\"\n"
      "P2,ok\n"
      "P3,\"x\n\ny\"\n"
      "P4,end";
  EXPECT_THAT(ReadAll(text), ElementsAre(Rec{1, {"code", "progress"}},
                                         Rec{2, {"P1", "line one\nline two\r\nline three"}},
                                         Rec{5, {"P2", "ok"}}, Rec{6, {"P3", "x\n\ny"}},
                                         Rec{9, {"P4", "end"}}));
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsLiteral) {
  EXPECT_THAT(ReadAll("12\" pipe,a\"b\"\n"), ElementsAre(Rec{1, {"12\" pipe", "a\"b\""}}));
}

TEST(CsvReader, TextAfterClosingQuoteIsARecordError) {
  CsvReader reader("a,\"b\"x,c\nnext,1\n");
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.fields().size(), 3u);
  EXPECT_EQ(reader.fields()[2], "c");
  ASSERT_EQ(reader.errors().size(), 1u);
  EXPECT_EQ(reader.errors()[0].line, 1);
  EXPECT_EQ(reader.errors()[0].field, 2);
  EXPECT_THAT(reader.errors()[0].message, HasSubstr("after the closing quote"));
  ASSERT_TRUE(reader.Next());
  EXPECT_TRUE(reader.errors().empty());
  EXPECT_EQ(reader.line(), 2);
  EXPECT_EQ(reader.fields()[0], "next");
  EXPECT_FALSE(reader.Next());
  EXPECT_FALSE(reader.fatal());
}

TEST(CsvReader, UnterminatedQuoteIsFatalWithLineAndField) {
  CsvReader reader("a,b\nx,y\n1,\"never\nends,2\n3,4\n");
  ASSERT_TRUE(reader.Next());
  ASSERT_TRUE(reader.Next());
  EXPECT_FALSE(reader.Next());
  ASSERT_TRUE(reader.fatal().has_value());
  EXPECT_EQ(reader.fatal()->line, 3);
  EXPECT_EQ(reader.fatal()->field, 2);
  EXPECT_THAT(reader.fatal()->message, HasSubstr("unterminated quoted field"));
  EXPECT_FALSE(reader.Next());  // stays stopped
}

TEST(CsvReader, QuoteAtEndOfInput) {
  CsvReader reader("\"");
  EXPECT_FALSE(reader.Next());
  ASSERT_TRUE(reader.fatal().has_value());
  EXPECT_EQ(reader.fatal()->line, 1);
  EXPECT_EQ(reader.fatal()->field, 1);
}

TEST(CsvReader, QuotedFieldClosedAtEndOfInput) {
  EXPECT_THAT(ReadAll("a,\"b\"\"\""), ElementsAre(Rec{1, {"a", "b\""}}));
}

TEST(CsvReader, LongUnquotedFieldsCrossTheVectorPath) {
  const std::string long_a(100, 'a'), long_b(37, 'b');
  EXPECT_THAT(ReadAll(long_a + "," + long_b + "\r\n" + long_b),
              ElementsAre(Rec{1, {long_a, long_b}}, Rec{2, {long_b}}));
}

TEST(CsvReader, NulBytesAreData) {
  const std::string text("a\0b,c\n", 6);
  std::vector<Rec> got = ReadAll(text);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].fields[0], std::string("a\0b", 3));
}

TEST(LocateOffset, FollowsQuotesAndLines) {
  const std::string text = "a,b,c\n1,\"x,\ny\",Z\n";
  // 'Z' is on line 3, field 3 (the quoted comma and newline do not count as such).
  const size_t z = text.find('Z');
  EXPECT_EQ(LocateOffset(text, z).line, 3);
  EXPECT_EQ(LocateOffset(text, z).field, 3);
  EXPECT_EQ(LocateOffset(text, 0).line, 1);
  EXPECT_EQ(LocateOffset(text, 0).field, 1);
  EXPECT_EQ(LocateOffset(text, 4).field, 3);  // 'c'
  EXPECT_EQ(LocateOffset(text, text.find('y')).line, 3);
  EXPECT_EQ(LocateOffset(text, text.find('y')).field, 2);
}

// The fast date path must accept exactly what Date::Parse accepts, with the same day.
TEST(CellParse, FastDateAgreesWithDateParseEverywhere) {
  int checked = 0;
  for (int y : {1899, 1900, 1901, 1970, 1999, 2000, 2023, 2024, 2100, 2400, 9999}) {
    for (int m = 0; m <= 13; ++m) {
      for (int d = 0; d <= 32; ++d) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        const std::optional<Date> fast = ParseDateFast(buf);
        const std::optional<Date> slow = Date::Parse(buf);
        ASSERT_EQ(fast.has_value(), slow.has_value()) << buf;
        if (fast) {
          ASSERT_EQ(fast->days(), slow->days()) << buf;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 7 * 365 + 3 * 366);  // ten valid years (not 1899); leap: 2000, 2024, 2400
  // Every day of 1900..2100 round-trips.
  for (int32_t day = Date::FromYmd(1900, 1, 1)->days(); day <= Date::FromYmd(2100, 12, 31)->days(); ++day) {
    const std::string text = Date::FromDays(day).ToString();
    const std::optional<Date> fast = ParseDateFast(text);
    ASSERT_TRUE(fast.has_value()) << text;
    ASSERT_EQ(fast->days(), day) << text;
  }
  // Other spellings go to the general parser.
  EXPECT_EQ(ParseDateFast("2024/3/5")->ToString(), "2024-03-05");
  EXPECT_EQ(ParseDateFast("2024年3月5日")->ToString(), "2024-03-05");
  EXPECT_FALSE(ParseDateFast("2024-03-5x").has_value());
  EXPECT_FALSE(ParseDateFast("2024-0a-05").has_value());
}

TEST(CellParse, FastMonthAgreesWithMonthParse) {
  for (int y : {1899, 1900, 2024, 9999}) {
    for (int m = 0; m <= 13; ++m) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
      const std::optional<Month> fast = ParseMonthFast(buf);
      const std::optional<Month> slow = Month::Parse(buf);
      ASSERT_EQ(fast.has_value(), slow.has_value()) << buf;
      if (fast) {
        ASSERT_EQ(fast->index(), slow->index()) << buf;
      }
    }
  }
  EXPECT_EQ(ParseMonthFast("2024年3月")->ToString(), "2024-03");
  EXPECT_EQ(ParseMonthFast("2024/3/1")->ToString(), "2024-03");
  EXPECT_FALSE(ParseMonthFast("2024-3x").has_value());
}

TEST(CellParse, TrimCell) {
  EXPECT_EQ(TrimCell("  a b\t "), "a b");
  EXPECT_EQ(TrimCell("\xE3\x80\x80" "全角\xE3\x80\x80 "), "全角");
  EXPECT_EQ(TrimCell("\xE3\x80\x80"), "");
  EXPECT_EQ(TrimCell(""), "");
  // Bytes that only look like the start or end of U+3000 stay.
  EXPECT_EQ(TrimCell("\xE3\x81\x82"), "\xE3\x81\x82");  // あ
  EXPECT_EQ(TrimCell("x\xE4\xB8\x80"), "x\xE4\xB8\x80");  // 一 ends in 80
  EXPECT_EQ(TrimCell("\x80\x80"), "\x80\x80");
  EXPECT_EQ(TrimCell("a\n"), "a\n");  // line breaks are content
}

// A number Excel shows in scientific notation is said to be one (its hidden digits are
// lost), in 万元 and in a file of 元, where "3.277E+6" read as "finer than 1 分" (a
// black-box tester's find); other amounts keep their reasons.
TEST(CellParse, ScientificNotationIsSaidToBeIt) {
  for (std::string_view s : {"1.2E+07", "3.277e6", " -5E3 ", "1e-2"}) {
    EXPECT_TRUE(LooksScientific(s)) << s;
    std::string why;
    EXPECT_FALSE(MoneyCell(s, true, &why).has_value()) << s;
    EXPECT_THAT(why, ::testing::HasSubstr("scientific notation")) << s;
    why.clear();
    EXPECT_FALSE(ScaledMoneyCell(s, 0 /* 元 */, true, &why).has_value()) << s;
    EXPECT_THAT(why, ::testing::HasSubstr("scientific notation")) << s;
  }
  for (std::string_view s : {"E5", "1.2E", "1.2E+", "12", "1,234.5", "1.2x3", ".E1"}) EXPECT_FALSE(LooksScientific(s)) << s;
  std::string why;
  EXPECT_FALSE(MoneyCell("1.2345678", true, &why).has_value());
  EXPECT_THAT(why, ::testing::HasSubstr("finer than 1 分"));
  // A sheet's mark for none is said to be one: empty or 0 is the bureau's to write.
  for (std::string_view s : {"-", " — ", "/", "无"}) {
    why.clear();
    EXPECT_FALSE(MoneyCell(s, true, &why).has_value()) << s;
    EXPECT_THAT(why, ::testing::HasSubstr("leave the cell empty when nothing is reported, or write 0")) << s;
  }
}

// Spellings a sheet may hold (docs/ledger-loading.md, "Cells"), a black-box analyst's
// finds: the same value written another way is read exactly; what would be a guess is
// not, with a reason that says what it looks like.
TEST(CellParse, SheetSpellingsAreTheSameValue) {
  const auto wan = [](std::string_view s, int unit = kWanUnit) {
    std::string why;
    std::optional<Money> m = unit == kWanUnit ? MoneyCell(s, true, &why) : ScaledMoneyCell(s, unit, true, &why);
    return m ? m->ToWanString() : "error: " + why;
  };
  EXPECT_EQ(wan("１２３４５.６"), "12345.60");           // full-width digits
  EXPECT_EQ(wan("１２，３４５．６"), "12345.60");         // and separators
  EXPECT_EQ(wan("－３"), "-3.00");
  EXPECT_EQ(wan("1.2亿"), "12000.00");
  EXPECT_EQ(wan("1.2亿元"), "12000.00");
  EXPECT_EQ(wan("350万"), "350.00");
  EXPECT_EQ(wan(" 350万元 "), "350.00");
  EXPECT_EQ(wan("4,500元"), "0.45");
  EXPECT_EQ(wan("12千元"), "1.20");
  EXPECT_EQ(wan("１２３万元"), "123.00");
  EXPECT_EQ(wan("0.0001234567亿"), "1.234567");     // exact: 10 places of 亿元 are 分
  EXPECT_EQ(wan("1.2亿", 0 /* a column of 元 */), "12000.00");  // the cell's own unit wins
  EXPECT_EQ(wan("500", 0), "0.05");                              // the column's unit
  EXPECT_THAT(wan("0.12345678901亿"), HasSubstr("error: finer than 1 分 in the unit it is written in"));
  EXPECT_THAT(wan("万"), HasSubstr("error: not a decimal number"));
  EXPECT_THAT(wan("¥1000"), HasSubstr("error: not a decimal number"));  // ¥ on a 万元 column: a guess
  EXPECT_THAT(wan("1.2亿美元"), HasSubstr("error: not a decimal number"));
  std::string why;
  EXPECT_EQ(DateCell("２０２４年３月５日", &why), Date::FromYmd(2024, 3, 5));
  EXPECT_EQ(DateCell("２０２４－０３－０５", &why), Date::FromYmd(2024, 3, 5));
  EXPECT_EQ(MonthCell("２０２４年３月", &why), Month::FromYm(2024, 3));
  EXPECT_EQ(YearCell("２０２４年", &why), 2024);
  EXPECT_EQ(RegionCell("６１０４０３", &why), 610403);
  why.clear();
  EXPECT_FALSE(RegionCell("６１０４０", &why));
  EXPECT_THAT(why, HasSubstr("'６１０４０'"));  // the cell as written
  for (std::string_view yes : {"√", "✓", "✔"}) EXPECT_EQ(AttractedCell(yes, &why), Attracted::kYes) << yes;
  for (std::string_view no : {"×", "✗", "✘"}) EXPECT_EQ(AttractedCell(no, &why), Attracted::kNo) << no;
  // The number Excel keeps a date as is named, not read.
  why.clear();
  EXPECT_FALSE(DateCell("45292", &why));
  EXPECT_THAT(why, HasSubstr("a number, not a date: Excel keeps 2024-01-01 as 45292"));
  for (std::string_view other : {"12345", "99999", "4529", "452920"}) {
    why.clear();
    EXPECT_FALSE(DateCell(other, &why));
    EXPECT_THAT(why, HasSubstr("not a date (YYYY-MM-DD")) << other;
  }
}

// CutCsv: each cut is just after a '\n', at least part_bytes after the one before,
// with an even count of '"' before it, and carries the line LocateOffset gives for it;
// on texts of random quotes, commas, LF, CR and letters, for many part sizes.
TEST(CutCsv, CutsAfterLineFeedsWithEvenQuotesAndTheirLines) {
  std::mt19937 rng(7);
  const char alphabet[] = {'a', 'b', ',', '"', '\n', '\r', 'x', 'y', 'z', '1', '2', '3'};
  int cuts_seen = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const size_t size = rng() % 3000;
    for (size_t i = 0; i < size; ++i) {
      // Mostly plain bytes, so that the sixteen-byte blocks are exercised too.
      text.push_back(rng() % 4 == 0 ? alphabet[rng() % sizeof(alphabet)] : static_cast<char>('a' + rng() % 26));
    }
    for (size_t part : {size_t{1}, size_t{2}, size_t{17}, size_t{64}, size_t{1000}}) {
      int64_t end_line = 0;
      const std::vector<CsvCut> cuts = CutCsv(text, 0, 1, part, &end_line);
      ASSERT_FALSE(cuts.empty());
      EXPECT_EQ(cuts[0].offset, 0u);
      EXPECT_EQ(cuts[0].line, 1);
      EXPECT_EQ(end_line, LocateOffset(text, text.size()).line);
      for (size_t k = 1; k < cuts.size(); ++k) {
        const size_t at = cuts[k].offset;
        ASSERT_GT(at, 0u);
        ASSERT_LT(at, text.size());
        EXPECT_EQ(text[at - 1], '\n');
        EXPECT_GE(at - cuts[k - 1].offset, part);
        EXPECT_EQ(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '"') % 2, 0);
        EXPECT_EQ(cuts[k].line, LocateOffset(text, at).line) << "cut at " << at;
        // No earlier place would have done: the first '\n' with even quotes from
        // part_bytes after the last cut.
        for (size_t j = cuts[k - 1].offset + part - 1; j + 1 < at; ++j) {
          if (text[j] == '\n') {
            EXPECT_NE(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(j + 1), '"') % 2, 0);
          }
        }
        ++cuts_seen;
      }
    }
  }
  EXPECT_GT(cuts_seen, 1000);
}

}  // namespace
}  // namespace keyproj::internal
