// regions.csv: names of divisions for reports (regions.h).
#include "keyproj/regions.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/report.h"

namespace keyproj {
namespace {

std::string Where(const Diagnostics& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += d.ToString() + "\n";
  return out;
}

TEST(RegionNames, EnglishHeadersAndEveryDepth) {
  Diagnostics diags;
  RegionNames r = ParseRegionNames("region,name\n61,陕西省\n6104,咸阳市\n610403,杨陵区\n", "regions.csv",
                                   Encoding::kAuto, &diags);
  EXPECT_TRUE(diags.empty()) << Where(diags);
  EXPECT_EQ(r.size(), 3u);
  EXPECT_EQ(r.Find(61), "陕西省");
  EXPECT_EQ(r.Find("6104"), "咸阳市");
  EXPECT_EQ(r.Find(610403), "杨陵区");
  EXPECT_EQ(r.Find(610404), "");
  EXPECT_EQ(r.Find("61040"), "");  // not a division code
}

TEST(RegionNames, ChineseHeadersOtherColumnsBomAndCrlf) {
  Diagnostics diags;
  RegionNames r = ParseRegionNames("\xEF\xBB\xBF备注,名称,行政区划代码\r\n市辖,\"宝鸡市\",6103\r\n", "regions.csv",
                                   Encoding::kAuto, &diags);
  EXPECT_TRUE(diags.empty()) << Where(diags);
  EXPECT_EQ(r.Find(6103), "宝鸡市");
}

TEST(RegionNames, Gb18030IsDetected) {
  absl::StatusOr<std::string> gb = Utf8ToGb18030("行政区划代码,名称\n610302,渭滨区\n");
  ASSERT_TRUE(gb.ok());
  Diagnostics diags;
  RegionNames r = ParseRegionNames(*gb, "regions.csv", Encoding::kAuto, &diags);
  EXPECT_TRUE(diags.empty()) << Where(diags);
  EXPECT_EQ(r.Find(610302), "渭滨区");
  // Named as UTF-8, it is an error for the whole file.
  diags.clear();
  r = ParseRegionNames(*gb, "regions.csv", Encoding::kUtf8, &diags);
  EXPECT_TRUE(r.empty());
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_NE(diags[0].reason.find("not valid UTF-8"), std::string::npos);
}

TEST(RegionNames, EveryBadRowWithLineAndColumnTheGoodRowsKept) {
  Diagnostics diags;
  RegionNames r = ParseRegionNames(
      "region,name\n"
      "61040,咸阳市\n"      // 5 digits
      "6104,\n"             // no name
      "610403,杨陵区\n"     // good
      "610403,杨凌区\n"     // named twice
      "abc,某地\n"          // not digits
      "610404\n",           // one field
      "regions.csv", Encoding::kAuto, &diags);
  EXPECT_EQ(Where(diags),
            "regions.csv:2:1: region: not a division code (2 digits for a province, 4 for a city, 6 for a "
            "county): '61040'\n"
            "regions.csv:3:2: name: empty name\n"
            "regions.csv:5:1: region: region 610403 is named twice\n"
            "regions.csv:6:1: region: not a division code (2 digits for a province, 4 for a city, 6 for a "
            "county): 'abc'\n"
            "regions.csv:7:2: row has 1 fields; the region and its name are needed\n");
  EXPECT_EQ(r.size(), 1u);
  EXPECT_EQ(r.Find(610403), "杨陵区");
}

TEST(RegionNames, MissingColumnsIsOneProblem) {
  Diagnostics diags;
  RegionNames r = ParseRegionNames("code,county\n610403,杨陵区\n", "regions.csv", Encoding::kAuto, &diags);
  EXPECT_TRUE(r.empty());
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].line, 1);
  EXPECT_NE(diags[0].reason.find("needs the columns region"), std::string::npos);
}

TEST(RegionNames, FolderWithoutTheFileIsEmpty) {
  const std::filesystem::path dir = std::filesystem::path(KEYPROJ_TESTDATA_DIR) / "report_city";
  Diagnostics diags;
  absl::StatusOr<RegionNames> r = LoadRegionNames(dir, Encoding::kAuto, &diags);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->empty());
  EXPECT_TRUE(diags.empty());
  EXPECT_FALSE(LoadRegionNames(dir / "no-such-regions.csv", Encoding::kAuto, &diags).ok());
}

TEST(RegionNames, GroupLabels) {
  RegionNames r;
  ASSERT_TRUE(r.Add(6104, "咸阳市"));
  EXPECT_FALSE(r.Add(6104, "又一个"));
  EXPECT_EQ(GroupKeyLabel(Dimension::kCity, "6104", &r), "咸阳市");
  EXPECT_EQ(GroupKeyLabel(Dimension::kCity, "6105", &r), "6105");  // unknown: the code
  EXPECT_EQ(GroupKeyLabel(Dimension::kCity, "6104"), "6104");       // no names at all
  EXPECT_EQ(GroupKeyLabel(Dimension::kCounty, "", &r), "（未填）");
}

}  // namespace
}  // namespace keyproj
