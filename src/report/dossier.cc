// Dossiers (dossier.h): the report text once per group, with a heading per group.
// The figures and lists come from NarrativeTemplate::RenderGroups (one grouped pass);
// here are the names, headings and the documents. docs/report-text.md, "Dossiers".
#include "keyproj/dossier.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "keyproj/internal/no_throw.h"
#include "keyproj/internal/text.h"

namespace keyproj {

using ::keyproj::internal::Cat;

namespace {

constexpr std::string_view kLeaderText =
    "?{annual_plan}{范围}重点项目{projects}个，总投资{total_investment|金额|2}，年度计划投资{annual_plan|金额|2}；{期间}完成投资{investment_ytd|金额|2}，占年度计划的{plan_completion}，{schedule_gap_pp|超低}；已开工{started}个，开工率{start_rate}。\n"
    "?!{annual_plan}{范围}重点项目{projects}个，总投资{total_investment|金额|2}，未填报年度计划；{期间}完成投资{investment_ytd|金额|2}；已开工{started}个，开工率{start_rate}。\n"
    "\n"
    "项目推进情况：\n"
    "{项目清单|万元}\n"
    "\n"
    "?{behind_schedule}投资完成滞后于序时进度的项目{behind_schedule}个：\n"
    "?{behind_schedule}{滞后项目|万元}\n"
    "?!{behind_schedule}无投资完成明显滞后于序时进度的项目。\n"
    "\n"
    "?{problems_open}存在未解决问题{problems_open}个，涉及项目：\n"
    "?{problems_open}{问题项目}\n"
    "?!{problems_open}无未解决的问题。\n";


bool IsYesNo(Dimension by) { return by == Dimension::kAttracted || by == Dimension::kIndustrial; }

// A group with a key as a noun: a yes/no dimension's (attracted, industrial) by what
// it is, "招商引资" and "非招商引资", not 是 and 否 ("否重点项目19个" is no sentence);
// a stage as "开工阶段"; else the key's label (a region's name, an enum's label).
std::string GroupNoun(Dimension by, std::string_view key, const RegionNames* regions) {
  if (IsYesNo(by)) return Cat(key == EnumId(YesNo::kYes) ? "" : "非", DimensionLabel(by));
  if (by == Dimension::kStage) return Cat(GroupKeyLabel(by, key, regions), "阶段");
  return GroupKeyLabel(by, key, regions);
}

// The group's name in its heading: the leader's or department's name, the region's
// name, a key's label (招商引资项目 for a yes/no one); the projects without a leader
// are 未落实包抓领导.
std::string SectionName(Dimension by, std::string_view key, const RegionNames* regions) {
  if (key.empty()) return by == Dimension::kLeader ? "未落实包抓领导" : GroupKeyLabel(by, key, regions);
  return Cat(GroupNoun(by, key, regions), IsYesNo(by) ? "项目" : "");
}

// What the heading counts: 包抓项目 of a leader, 负责项目 of a department, else 项目.
std::string_view CountWord(Dimension by, std::string_view key) {
  if (by == Dimension::kLeader && !key.empty()) return "包抓项目";
  if (by == Dimension::kDepartment && !key.empty()) return "负责项目";
  return "项目";
}

}  // namespace

std::string_view LeaderDossierText() { return kLeaderText; }

std::string DossierScopeName(Dimension by, std::string_view key, const RegionNames* regions) {
  if (key.empty()) return by == Dimension::kLeader ? "未落实包抓领导的" : Cat(GroupKeyLabel(by, key, regions));
  switch (by) {
    case Dimension::kLeader: return Cat(key, "同志包抓");
    case Dimension::kDepartment: return Cat(key, "负责");
    default: return GroupNoun(by, key, regions);  // 非招商引资重点项目, 开工阶段重点项目
  }
}

absl::StatusOr<Dossiers> MakeDossiers(const Ledger& ledger, const Report& report, Dimension by,
                                      const RenderOptions& options, ListStyle style) {
  return internal::NoThrow("writing the dossiers", [&]() -> absl::StatusOr<Dossiers> {
    std::shared_ptr<const NarrativeTemplate> tmpl = options.text_template;
    if (tmpl == nullptr) {
      absl::StatusOr<NarrativeTemplate> standard = NarrativeTemplate::Parse(LeaderDossierText());
      if (!standard.ok()) return standard.status();
      tmpl = std::make_shared<const NarrativeTemplate>(*std::move(standard));
    }
    const RegionNames* regions = report.regions.get();
    absl::StatusOr<std::vector<GroupText>> groups = tmpl->RenderGroups(
        ledger, report.query, by, report, options, style,
        [&](std::string_view key) { return DossierScopeName(by, key, regions); });
    if (!groups.ok()) return groups.status();
    // The projects without a leader (department, ...) come last: a dossier is
    // addressed to someone, and the unassigned rest is a warning after them.
    std::stable_partition(groups->begin(), groups->end(), [](const GroupText& g) { return !g.key.empty(); });
    Dossiers out;
    out.by = by;
    out.title = Cat(report.scope_name, "重点项目",
                    by == Dimension::kLeader ? std::string("包抓领导专报")
                    : IsYesNo(by)            ? Cat("按是否", DimensionLabel(by), "分类专报")
                                             : Cat("分", DimensionLabel(by), "专报"),
                    "（截至", ChineseDate(report.query.as_of), "）");
    for (GroupText& g : *groups) {
      DossierSection s;
      s.name = SectionName(by, g.key, regions);
      s.heading = Cat(ChineseOrdinal(out.sections.size() + 1), "、", s.name, "（", CountWord(by, g.key), g.projects,
                      "个）");
      s.key = std::move(g.key);
      s.projects = g.projects;
      s.text = std::move(g.text);
      out.sections.push_back(std::move(s));
    }
    return out;
  });
}

absl::StatusOr<std::string> RenderDossiers(const Ledger& ledger, const Report& report, Dimension by,
                                           ReportFormat format, const RenderOptions& options) {
  return internal::NoThrow("writing the dossiers", [&]() -> absl::StatusOr<std::string> {
    if (format != ReportFormat::kText && format != ReportFormat::kMarkdown) {
      return absl::InvalidArgumentError(
          Cat("dossiers are written as text, md or xlsx, not ", EnumId(format), " (dossier_by is set)"));
    }
    const bool md = format == ReportFormat::kMarkdown;
    absl::StatusOr<Dossiers> d =
        MakeDossiers(ledger, report, by, options, md ? ListStyle::kBullets : ListStyle::kLines);
    if (!d.ok()) return d.status();
    std::string out = Cat(md ? "# " : "", d->title, "\n");
    if (d->sections.empty()) out += "\n没有符合条件的项目。\n";
    for (const DossierSection& s : d->sections) {
      internal::Append(&out, "\n", md ? "## " : "", s.heading, "\n", md ? "\n" : "", s.text);
      if (!s.text.empty() && s.text.back() != '\n') out += "\n";
    }
    return out;
  });
}

}  // namespace keyproj
