#include "keyproj/query.h"

#include "keyproj/internal/text.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::EqualsIgnoreAsciiCase;
using ::keyproj::internal::TrimAscii;
namespace {

struct DimensionName {
  Dimension d;
  std::string_view id;
  std::string_view label;
  std::string_view aliases;  // '|'-separated
};

constexpr DimensionName kDimensions[] = {
    {Dimension::kCategory, "category", "项目类别", "类别"},
    {Dimension::kLevel, "level", "项目级别", "级别"},
    {Dimension::kBuildType, "build_type", "建设性质", ""},
    {Dimension::kProvince, "province", "省", "region:province|省份"},
    {Dimension::kCity, "city", "市", "region:city|地市"},
    {Dimension::kCounty, "county", "县区", "region|region:county|区县|县"},
    {Dimension::kDepartment, "department", "责任单位", ""},
    {Dimension::kLeader, "leader", "包抓领导", ""},
    {Dimension::kAttracted, "attracted", "招商引资", ""},
    {Dimension::kSector, "sector", "三次产业", "产业"},
    {Dimension::kIndustrial, "industrial", "工业", ""},
    {Dimension::kStage, "stage", "项目阶段", "阶段"},
    {Dimension::kSizeBand, "size_band", "投资规模", "size"},
};

const DimensionName& NameOf(Dimension d) {
  for (const DimensionName& n : kDimensions) {
    if (n.d == d) return n;
  }
  return kDimensions[0];
}

}  // namespace

absl::StatusOr<Dimension> ParseDimension(std::string_view text) {
  text = TrimAscii(text);
  for (const DimensionName& n : kDimensions) {
    if (EqualsIgnoreAsciiCase(n.id, text) || n.label == text) return n.d;
    std::string_view aliases = n.aliases;
    while (!aliases.empty()) {
      const size_t bar = aliases.find('|');
      if (EqualsIgnoreAsciiCase(aliases.substr(0, bar), text)) return n.d;
      if (bar == std::string_view::npos) break;
      aliases.remove_prefix(bar + 1);
    }
  }
  std::string known;
  for (const DimensionName& n : kDimensions) Append(&known, known.empty() ? "" : ", ", n.id);
  return absl::InvalidArgumentError(Cat("unknown group-by dimension '", text, "' (known: ", known, ")"));
}

std::string_view DimensionId(Dimension d) { return NameOf(d).id; }
std::string_view DimensionLabel(Dimension d) { return NameOf(d).label; }

absl::Status ValidateQuery(const Query& q) {
  const QueryOptions& o = q.options;
  if (o.report_deadline_day < 1 || o.report_deadline_day > 31) {
    return absl::InvalidArgumentError(Cat("report deadline day ", o.report_deadline_day, " is not a day of a month"));
  }
  if (o.stalled_months < 1 || o.stalled_months > kMaxStalledMonths) {
    return absl::InvalidArgumentError(Cat("stalled months ", o.stalled_months, " must be 1..", kMaxStalledMonths));
  }
  if (o.behind_centipoints < 0) return absl::InvalidArgumentError("the behind-schedule threshold must not be negative");
  if (o.threads < 0) return absl::InvalidArgumentError("threads must not be negative");
  if (o.min_projects_per_thread < 1) return absl::InvalidArgumentError("min_projects_per_thread must be at least 1");
  for (size_t i = 1; i < o.size_bands.size(); ++i) {
    if (o.size_bands[i] <= o.size_bands[i - 1]) return absl::InvalidArgumentError("size bands must ascend");
  }
  if (o.schedule == ScheduleMode::kCurve) {
    int64_t prev = 0;
    for (int m = 0; m < 12; ++m) {
      if (o.curve[m] < prev) {
        return absl::InvalidArgumentError(Cat("schedule curve falls in month ", m + 1, " (", o.curve[m],
                                              " millionths after ", prev, ")"));
      }
      prev = o.curve[m];
    }
    if (o.curve[11] != 1'000'000) {
      return absl::InvalidArgumentError(
          Cat("schedule curve must reach 100% by December; it ends at ", o.curve[11] / 10000, ".",
              (o.curve[11] % 10000) / 100, "%"));
    }
  }
  if (q.group_by.size() > 4) return absl::InvalidArgumentError("group by at most four dimensions");
  if (q.indicators.empty()) return absl::InvalidArgumentError("no indicators requested");
  return absl::OkStatus();
}

}  // namespace keyproj
