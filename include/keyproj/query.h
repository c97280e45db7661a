// A query: the as_of date, which projects (the scope), how to group them, which
// indicators to compute, and the settings that indicators.md leaves to the bureau.
#ifndef KEYPROJ_QUERY_H_
#define KEYPROJ_QUERY_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/classification.h"
#include "keyproj/date.h"
#include "keyproj/enum_table.h"
#include "keyproj/industry.h"
#include "keyproj/money.h"
#include "keyproj/stage.h"

namespace keyproj {

class CustomIndicatorSet;  // expression.h

// What rows can be grouped by. Region may be grouped at three depths.
enum class Dimension : uint8_t {
  kCategory = 0,
  kLevel = 1,
  kBuildType = 2,
  kProvince = 3,   // first 2 digits of the region code
  kCity = 4,       // first 4 digits
  kCounty = 5,     // all 6 digits
  kDepartment = 6,
  kLeader = 7,
  kAttracted = 8,
  kSector = 9,
  kIndustrial = 10,
  kStage = 11,     // the stage column
  kSizeBand = 12,  // by total investment: <500万, 500万-1亿, 1亿-10亿, >=10亿 (QueryOptions::size_bands)
  kTag = 13,       // each of the project's tags (projects.csv `tags`): a project may be in several groups
};

template <>
struct EnumTraits<Dimension> {
  static std::span<const EnumEntry<Dimension>> entries() {
    static constexpr EnumEntry<Dimension> kEntries[] = {
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
        {Dimension::kTag, "tag", "标签", "tags"},
    };
    return kEntries;
  }
};

// "category", "region:city", "county", "区县", ... -> Dimension; error lists what is known.
absl::StatusOr<Dimension> ParseDimension(std::string_view text);
inline std::string_view DimensionId(Dimension d) { return EnumId(d); }        // "category", "city", ...
inline std::string_view DimensionLabel(Dimension d) { return EnumLabel(d); }  // "项目类别", "市", ...
// Whether a project can be in several groups of this grouping (kTag: one per tag), so
// that the group rows do not add up to the whole-scope row, which counts it once.
// Reports say so under such a table (kGroupsOverlapNote).
bool GroupsOverlap(std::span<const Dimension> group_by);
inline constexpr std::string_view kGroupsOverlapNote = "注：项目可有多个标签，各标签分组之和不等于合计。";

// The 6-digit division codes a region prefix of digits covers: "6104" -> [610400,
// 610499]. The prefix is 1-6 ASCII digits (checked by whoever parsed it).
inline std::pair<int32_t, int32_t> RegionPrefixRange(std::string_view prefix) {
  int32_t lo = 0, hi = 0;
  for (const char ch : prefix) lo = lo * 10 + (ch - '0');
  hi = lo;
  for (size_t k = prefix.size(); k < 6; ++k) {
    lo = lo * 10;
    hi = hi * 10 + 9;
  }
  return {lo, hi};
}

// Which projects are in scope. Every condition that is set must hold; an empty list
// or an unset optional is no condition.
struct Filter {
  std::vector<Category> categories;
  std::vector<Level> levels;
  std::optional<BuildType> build_type;
  std::vector<std::string> region_prefixes;  // "61", "6104", "610402"
  std::vector<std::string> departments;
  std::vector<std::string> leaders;
  std::vector<std::string> tags;             // a project with any of them
  std::optional<bool> attracted;
  std::optional<Sector> sector;
  std::optional<bool> industrial;
  std::optional<int64_t> min_total_investment;  // 分: size band, e.g. 500万 = 5e10 分
  std::optional<int64_t> max_total_investment;  // 分, exclusive
  std::vector<std::string> codes;               // an explicit list of project codes
};

// 序时进度: how much of the year should be done at as_of.
enum class ScheduleMode : uint8_t {
  kMonths = 0,  // month / 12 (end of September = 75%)
  kDays = 1,    // day of year / days in year
  kCurve = 2,   // the caller's cumulative plan by month (QueryOptions::curve)
};

template <>
struct EnumTraits<ScheduleMode> {
  static std::span<const EnumEntry<ScheduleMode>> entries() {
    static constexpr EnumEntry<ScheduleMode> kEntries[] = {
        {ScheduleMode::kMonths, "months", "按月", ""},
        {ScheduleMode::kDays, "days", "按日", ""},
        {ScheduleMode::kCurve, "curve", "按计划曲线", ""},
    };
    return kEntries;
  }
};

// 12 cumulative percents of the year's plan due by the end of each month,
// January to December ("8", "16.5%", ...), as QueryOptions::curve holds them
// (millionths). Errors name the month: not a percent, more than 4 decimals, a
// fall, or not reaching 100% in December; *bad_month (if given) receives the
// 0-based month at fault (-1 when there are too few).
absl::StatusOr<std::array<int64_t, 12>> ParseScheduleCurve(std::span<const std::string> percents,
                                                           int* bad_month = nullptr);
// The most months QueryOptions::stalled_months may be (ValidateQuery; the CLI's
// --stalled-months takes 1 to this).
inline constexpr int kMaxStalledMonths = 24;
// The most days QueryOptions::land_to_start_days may be (a year; ValidateQuery, the
// CLI's --land-start-days).
inline constexpr int kMaxLandToStartDays = 366;
// The most QueryOptions::countdown_days and signed_months may be (ValidateQuery; the
// CLI's --countdown-days and --signed-months take 1 to these).
inline constexpr int kMaxCountdownDays = 366;
inline constexpr int kMaxSignedMonths = 120;

struct QueryOptions {
  ScheduleMode schedule = ScheduleMode::kMonths;
  // kCurve: the cumulative share of the year's plan due by the end of each month,
  // in millionths (75% = 750000). Must rise (not fall) and reach 1000000 by December.
  std::array<int64_t, 12> curve{};
  // A report for month M is late when filed after this day of month M + 1.
  int report_deadline_day = 20;
  // A started project with no investment in this many months up to as_of is stalled
  // (1..kMaxStalledMonths).
  int stalled_months = 3;
  // land_to_start_ytd (拿地即开工): a start at most this many days after the land
  // item was done (0..kMaxLandToStartDays).
  int land_to_start_days = 30;
  // A project whose own plan_completion is more than this many points (in
  // hundredths of a point: 10 points = 1000) below the schedule is behind.
  int64_t behind_centipoints = 1000;
  // size_band_count counts projects with total investment >= this (分).
  int64_t size_band_threshold = int64_t{500} * kFenPerWan;
  // Bounds of the size-band dimension (分), ascending.
  std::vector<int64_t> size_bands = {int64_t{500} * kFenPerWan, int64_t{10000} * kFenPerWan,
                                     int64_t{100000} * kFenPerWan};
  // Use baseline.csv's comparable bases for yoy_growth where one exists.
  bool use_baseline = true;
  // unassigned_leader: projects at or over the threshold with no leader. By category
  // (indexed by Category), 0 = the default.
  int64_t leader_threshold = int64_t{10000} * kFenPerWan;  // 1亿
  std::array<int64_t, 9> leader_threshold_by_category{0, 0, 0, 0, 0, 0, int64_t{3000} * kFenPerWan, 0, 0};
  // start_countdown: projects planned to start within this many days after as_of
  // (1..kMaxCountdownDays).
  int countdown_days = 30;
  // signed_not_started: projects signed at least this many whole months before as_of
  // (1..kMaxSignedMonths).
  int signed_months = 6;
  // Threads for the pass over projects; 0 = all hardware threads.
  int threads = 0;
  // A thread gets at least this many projects (a smaller chunk costs more than it
  // saves), so a ledger of fewer than twice as many is one thread's pass. At least 1;
  // tests lower it to split small ledgers.
  uint32_t min_projects_per_thread = 16384;
};

struct Query {
  Date as_of;
  Filter filter;
  std::vector<Dimension> group_by;     // empty: only the whole-scope row
  std::vector<std::string> indicators;  // catalogue ids (indicators.h) or ids of `custom`
  QueryOptions options;
  // Indicators defined at run time (expression.h). Their terms, filtered ones
  // included, are computed in the same pass as the catalogue's.
  std::shared_ptr<const CustomIndicatorSet> custom;
};

// Checks a query's options (a curve that does not reach 100%, a deadline day out of
// range, ...). Evaluate runs it too.
absl::Status ValidateQuery(const Query& query);

// A grouping's own rule (part of ValidateQuery): at most four dimensions, each at
// most once -- a dimension twice adds nothing but wrong rows (county,county made each
// county a "city" whose 小计 row held one county's figures).
absl::Status ValidateGrouping(std::span<const Dimension> group_by);

}  // namespace keyproj

#endif  // KEYPROJ_QUERY_H_
