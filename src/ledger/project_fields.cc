// The project fields: each field's names, kind and place in ProjectRecord and
// ProjectColumns, side by side (internal/project_fields.h). This table is the one
// place a projects.csv column is defined; the loader, the writer, the builder and
// ledger comparison read it.
#include "keyproj/internal/project_fields.h"

#include <algorithm>

#include "keyproj/internal/text.h"

namespace keyproj::internal {

namespace {

using K = FieldKind;
using R = ProjectRecord;
using C = ProjectColumns;
constexpr bool kRequired = true;
constexpr bool kOptional = false;

// clang-format off
constexpr ProjectField kFields[] = {
  {"code", "项目代码", "项目编码|项目编号", kRequired, K::kCode, &R::code, &C::code},
  {"name", "项目名称", "", kRequired, K::kText, &R::name, &C::name},
  {"region", "行政区划代码", "行政区划|区划代码", kOptional, K::kRegion, &R::region, &C::region,
   FieldRule::kFilledFromCode},
  {"industry", "国民经济行业", "行业代码|所属行业|国民经济行业分类", kOptional, K::kIndustry,
   &R::industry, &C::industry},
  {"category", "项目类别", "类别|项目类型", kOptional, K::kEnum, &R::category, &C::category,
   FieldRule::kPlain, "category"},
  {"level", "项目级别", "级别", kOptional, K::kEnum, &R::level, &C::level, FieldRule::kPlain, "level"},
  {"build_type", "建设性质", "", kOptional, K::kEnum, &R::build_type, &C::build_type,
   FieldRule::kPlain, "build type"},
  {"total_investment", "总投资（万元）", "", kOptional, K::kMoney, &R::total_investment,
   &C::total_investment},
  {"annual_plan", "年度计划投资（万元）", "年度计划（万元）", kOptional, K::kMoney, &R::annual_plan, {},
   FieldRule::kPlanShorthand},
  {"plan_year", "计划年度", "", kOptional, K::kYear, &R::plan_year, {}, FieldRule::kPlanShorthand},
  {"planned_start", "计划开工时间", "", kOptional, K::kDate, &R::planned_start, &C::planned_start},
  {"planned_completion", "计划竣工时间", "", kOptional, K::kDate, &R::planned_completion,
   &C::planned_completion},
  {"stage", "项目阶段", "阶段", kOptional, K::kEnum, &R::stage, &C::stage,
   FieldRule::kDerivedFromDates, "stage"},
  {"reserved_on", "入库时间", "", kOptional, K::kDate, &StageDates::reserved_on, &C::reserved_on,
   FieldRule::kStageDate},
  {"started_on", "开工时间", "实际开工时间", kOptional, K::kDate, &StageDates::started_on,
   &C::started_on, FieldRule::kStageDate},
  {"completed_on", "竣工时间", "实际竣工时间", kOptional, K::kDate, &StageDates::completed_on,
   &C::completed_on, FieldRule::kStageDate},
  {"suspended_on", "停建时间", "", kOptional, K::kDate, &StageDates::suspended_on, &C::suspended_on,
   FieldRule::kStageDate},
  {"cancelled_on", "退出时间", "", kOptional, K::kDate, &StageDates::cancelled_on, &C::cancelled_on,
   FieldRule::kStageDate},
  {"attracted", "招商引资项目", "是否招商引资项目|招商引资", kOptional, K::kYesNo, &R::attracted,
   &C::attracted},
  {"investor", "投资主体", "", kOptional, K::kText, &R::investor, &C::investor},
  {"signed_on", "签约时间", "", kOptional, K::kDate, &StageDates::signed_on, &C::signed_on,
   FieldRule::kStageDate},
  {"contracted_investment", "签约投资额（万元）", "签约投资（万元）", kOptional, K::kMoney,
   &R::contracted_investment, &C::contracted_investment},
  {"start_due", "约定开工时间", "", kOptional, K::kDate, &R::start_due, &C::start_due},
  {"leader", "包抓领导", "", kOptional, K::kText, &R::leader, &C::leader},
  {"department", "责任单位", "", kOptional, K::kText, &R::department, &C::department},
  {"tags", "标签", "", kOptional, K::kTags, &R::tags, &C::tag_ids},
};
// clang-format on

// Whether a row's members are of the types its kind reads (checked at compile time).
template <typename T>
constexpr bool RecordIs(const ProjectField& f) {
  return std::holds_alternative<T R::*>(f.record);
}
template <typename T>
constexpr bool ColumnIs(const ProjectField& f) {
  return std::holds_alternative<std::vector<T> C::*>(f.column) || !f.stored();
}
constexpr bool Consistent(const ProjectField& f) {
  switch (f.kind) {
    case K::kCode: return RecordIs<std::string>(f) && ColumnIs<uint32_t>(f) && f.stored();
    case K::kText: return RecordIs<std::string>(f) && ColumnIs<uint32_t>(f);
    case K::kRegion: return RecordIs<int32_t>(f) && ColumnIs<int32_t>(f);
    case K::kIndustry: return RecordIs<IndustryCode>(f) && ColumnIs<IndustryCode>(f);
    case K::kEnum: return !f.noun.empty() && ProjectEnums::Fits(f);
    case K::kYesNo: return RecordIs<Attracted>(f) && ColumnIs<Attracted>(f);
    case K::kMoney: return RecordIs<std::optional<Money>>(f) && ColumnIs<int64_t>(f);
    case K::kYear: return RecordIs<std::optional<int>>(f) && !f.stored();  // no year column yet
    case K::kDate:
      return (RecordIs<std::optional<Date>>(f) ||
              std::holds_alternative<std::optional<Date> StageDates::*>(f.record)) &&
             ColumnIs<int32_t>(f);
    case K::kTags:
      return RecordIs<std::vector<std::string>>(f) && ColumnIs<uint32_t>(f) && f.stored();
  }
  return false;
}
static_assert(std::ranges::all_of(kFields, Consistent), "a project field's members do not fit its kind");
static_assert(std::ranges::none_of(kFields, [](const ProjectField& f) { return f.id.empty() || f.chinese.empty(); }));
static_assert(kFields[0].kind == K::kCode, "the code comes first: it names the project in messages");

int32_t DayOr(const std::optional<Date>& d) { return d ? d->days() : kNoDay; }
int64_t FenOr(const std::optional<Money>& m) { return m ? m->fen() : kNoMoney; }

}  // namespace

std::span<const ProjectField> ProjectFields() { return kFields; }

std::optional<size_t> FindProjectField(std::string_view id) {
  for (size_t i = 0; i < std::size(kFields); ++i) {
    if (kFields[i].id == id) return i;
  }
  return std::nullopt;
}

void AppendProjectFields(const ProjectRecord& r, ProjectColumns& c, StringPool& strings) {
  for (const ProjectField& f : kFields) {
    if (!f.stored()) continue;
    auto push = [&]<typename T>(T value) { (c.*ColumnMemberAs<T>(f)).push_back(value); };
    switch (f.kind) {
      case K::kCode: break;  // the builder's: the key
      case K::kText: push(strings.Intern(r.*RecordMemberAs<std::string>(f))); break;
      case K::kRegion: push(r.*RecordMemberAs<int32_t>(f)); break;
      case K::kIndustry: push(r.*RecordMemberAs<IndustryCode>(f)); break;
      case K::kEnum: ProjectEnums::Visit(f, [&](auto record, auto) { push(r.*record); }); break;
      case K::kYesNo: push(r.*RecordMemberAs<Attracted>(f)); break;
      case K::kMoney: push(FenOr(r.*RecordMemberAs<std::optional<Money>>(f))); break;
      case K::kYear: break;  // not stored (Consistent)
      case K::kDate: push(DayOr(*DateIn(f, r))); break;
      case K::kTags: {
        std::vector<uint32_t>& ids = c.*ColumnMemberAs<uint32_t>(f);
        if (c.tag_begin.empty()) c.tag_begin.push_back(0);
        for (const std::string& tag : r.*RecordMemberAs<std::vector<std::string>>(f)) {
          if (!tag.empty()) ids.push_back(strings.Intern(tag));
        }
        c.tag_begin.push_back(static_cast<uint32_t>(ids.size()));
        break;
      }
    }
  }
}

}  // namespace keyproj::internal
