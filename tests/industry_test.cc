#include "keyproj/industry.h"

#include "gtest/gtest.h"

namespace keyproj {
namespace {

IndustryCode Code(std::string_view s) {
  std::optional<IndustryCode> c = ParseIndustryCode(s);
  EXPECT_TRUE(c) << s;
  return c.value_or(IndustryCode{});
}

TEST(Industry, ParsesSectionsDivisionsAndDetail) {
  EXPECT_EQ(Code("C36").section, 'C');
  EXPECT_EQ(Code("C36").division, 36);
  EXPECT_EQ(Code("R").division, 0);
  EXPECT_EQ(Code("e47").section, 'E');
  EXPECT_EQ(Code("36").section, 'C');  // bare division implies its section
  EXPECT_EQ(Code("C3611").detail, 11);
  EXPECT_EQ(Code("C3601").ToString(), "C3601");
  EXPECT_EQ(Code("C36").ToString(), "C36");
  EXPECT_EQ(Code("R").ToString(), "R");
  for (std::string_view bad : {"", "U", "A36", "C99", "C3", "CC", "3", "C36111", "中"}) {
    EXPECT_FALSE(ParseIndustryCode(bad)) << bad;
  }
}

TEST(Industry, SectorsFollowTheThreeSectorRules) {
  EXPECT_EQ(SectorOf(Code("A01")), Sector::kPrimary);
  EXPECT_EQ(SectorOf(Code("A")), Sector::kPrimary);
  EXPECT_EQ(SectorOf(Code("A05")), Sector::kTertiary);  // services to agriculture
  EXPECT_EQ(SectorOf(Code("B06")), Sector::kSecondary);
  EXPECT_EQ(SectorOf(Code("B11")), Sector::kTertiary);  // mining support services
  EXPECT_EQ(SectorOf(Code("C36")), Sector::kSecondary);
  EXPECT_EQ(SectorOf(Code("C43")), Sector::kTertiary);  // repair of machinery
  EXPECT_EQ(SectorOf(Code("D44")), Sector::kSecondary);
  EXPECT_EQ(SectorOf(Code("E47")), Sector::kSecondary);  // construction
  EXPECT_EQ(SectorOf(Code("F51")), Sector::kTertiary);
  EXPECT_EQ(SectorOf(Code("R")), Sector::kTertiary);
  EXPECT_EQ(SectorOf(IndustryCode{}), Sector::kUnknown);
}

TEST(Industry, IndustrialIsMiningManufacturingAndUtilities) {
  EXPECT_TRUE(IsIndustrial(Code("B06")));
  EXPECT_TRUE(IsIndustrial(Code("C43")));  // industrial, though tertiary as a sector
  EXPECT_TRUE(IsIndustrial(Code("D45")));
  EXPECT_FALSE(IsIndustrial(Code("E47")));
  EXPECT_FALSE(IsIndustrial(Code("A01")));
  EXPECT_FALSE(IsIndustrial(Code("K70")));
}

TEST(Industry, EveryDivisionHasOneSection) {
  int covered = 0;
  for (int d = 1; d <= 97; ++d) covered += SectionOfDivision(d) != 0;
  EXPECT_EQ(covered, 97);
  EXPECT_EQ(SectionOfDivision(0), 0);
  EXPECT_EQ(SectionOfDivision(98), 0);
}

}  // namespace
}  // namespace keyproj
