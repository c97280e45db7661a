#include "keyproj/project_code.h"

#include <string>

#include "gtest/gtest.h"

namespace keyproj {
namespace {

TEST(ProjectCode, UnifiedForm) {
  absl::StatusOr<ProjectCodeInfo> c = ParseProjectCode("2021-610402-04-01-38295A");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->form, ProjectCodeForm::kUnified);
  EXPECT_EQ(c->year, 2021);
  EXPECT_EQ(c->region, 610402);
  // All-digit random part after 2020 is still the unified form.
  EXPECT_EQ(ParseProjectCode("2023-330106-89-01-123456")->form, ProjectCodeForm::kUnified);
  // 2020 with a letter: unified (issued from 2020-11).
  EXPECT_EQ(ParseProjectCode("2020-110105-78-02-X1Y2Z3")->form, ProjectCodeForm::kUnified);
}

TEST(ProjectCode, OlderForm) {
  absl::StatusOr<ProjectCodeInfo> c = ParseProjectCode("2017-440305-65-03-012345");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->form, ProjectCodeForm::kLegacy);
  EXPECT_EQ(c->year, 2017);
  EXPECT_EQ(c->region, 440305);
  EXPECT_EQ(ParseProjectCode("2020-440305-65-03-012345")->form, ProjectCodeForm::kLegacy);
}

TEST(ProjectCode, LocalIdsAreNotValidated) {
  for (std::string_view id : {"XM-001", "P2024001", "县发改-2024-07", "2024", "2024-61-1", ""}) {
    absl::StatusOr<ProjectCodeInfo> c = ParseProjectCode(id);
    ASSERT_TRUE(c.ok()) << id;
    EXPECT_EQ(c->form, ProjectCodeForm::kLocal) << id;
    EXPECT_EQ(c->region, 0);
  }
}

std::string Why(std::string_view code) {
  absl::StatusOr<ProjectCodeInfo> c = ParseProjectCode(code);
  EXPECT_FALSE(c.ok()) << code;
  return std::string(c.status().message());
}

TEST(ProjectCode, NationalLookalikesWithFaultsAreErrors) {
  EXPECT_NE(Why("2021-610402-04-01-38295").find("23 characters"), std::string::npos);
  EXPECT_NE(Why("2021-610402-4-01-382951A").find("two digits"), std::string::npos);
  EXPECT_NE(Why("2021-990402-04-01-38295A").find("names no province"), std::string::npos);
  EXPECT_NE(Why("1985-610402-04-01-382951").find("not plausible"), std::string::npos);
  EXPECT_NE(Why("2017-610402-04-01-38295A").find("6-digit serial"), std::string::npos);
  EXPECT_NE(Why("2021-610402-04-01-38295a").find("capital letters"), std::string::npos);
}

TEST(ProjectCode, ProvinceCodes) {
  EXPECT_TRUE(IsProvinceCode(11));
  EXPECT_TRUE(IsProvinceCode(61));
  EXPECT_TRUE(IsProvinceCode(82));
  EXPECT_FALSE(IsProvinceCode(10));
  EXPECT_FALSE(IsProvinceCode(24));
  EXPECT_FALSE(IsProvinceCode(0));
  EXPECT_FALSE(IsProvinceCode(99));
}

}  // namespace
}  // namespace keyproj
