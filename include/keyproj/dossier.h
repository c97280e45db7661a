// Dossiers (专报, workflow.md §6): the report text once per group of a dimension --
// "向区级包抓领导形成专报" -- as one document with a heading per group:
//
//   一、张三（包抓项目8个）
//   张三同志包抓重点项目8个，总投资…；1-9月份完成投资12.3亿元，占年度计划的80.1%……
//
// Each group's text is the template (narrative.h; by default the leader dossier,
// examples/templates/leader.txt) evaluated on the report's scope AND the group's
// key; its lists ({项目清单}, {滞后项目}, {问题项目}) name the group's projects. The
// choices are written down in docs/report-text.md, "Dossiers".
#ifndef KEYPROJ_DOSSIER_H_
#define KEYPROJ_DOSSIER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "keyproj/ledger.h"
#include "keyproj/narrative.h"
#include "keyproj/query.h"
#include "keyproj/report.h"

namespace keyproj {

// The default dossier template (examples/templates/leader.txt is a copy of it): the
// projects a leader leads, their investment against plan and 序时进度, the lagging
// ones and those with open problems, by name. Its wording fits any dimension: the
// leader's words come from {范围} ("张三同志包抓") and the heading.
std::string_view LeaderDossierText();

// One group's part of the dossiers.
struct DossierSection {
  std::string key;      // the group's key ("张三", "610403")
  std::string name;     // as people read it ("张三", "杨陵区"): GroupKeyLabel
  std::string heading;  // "一、张三（包抓项目8个）"
  int64_t projects = 0;
  std::string text;     // the template's text for the group
};

struct Dossiers {
  Dimension by = Dimension::kLeader;
  std::string title;  // "全市重点项目包抓领导专报（截至2024年9月30日）"
  std::vector<DossierSection> sections;  // groups with projects, in ascending key order
};

// The group's name in {范围}: "张三同志包抓" for a leader, "杨陵区民政局负责" for a
// department, the region's name (regions.csv) or the label of the key otherwise;
// "未落实包抓领导" for the projects without a leader.
std::string DossierScopeName(Dimension by, std::string_view key, const RegionNames* regions);

// The dossiers of `report` (its query: as_of, scope, options) by `by`, from
// options.text_template (null: LeaderDossierText()), lists written in `style`.
// Errors: those of the template's queries.
absl::StatusOr<Dossiers> MakeDossiers(const Ledger& ledger, const Report& report, Dimension by,
                                      const RenderOptions& options, ListStyle style = ListStyle::kLines);

// The dossiers as one document: ReportFormat::kText (the title, then per group its
// heading line and text) or kMarkdown ("# title", "## heading", lists as bullets).
// What RenderReport writes when RenderOptions::dossier_by is set. Error: another
// format (InvalidArgument).
absl::StatusOr<std::string> RenderDossiers(const Ledger& ledger, const Report& report, Dimension by,
                                           ReportFormat format, const RenderOptions& options);

// The dossiers as a workbook, a sheet per group (named by the group, unique, at most
// 31 characters): the heading in bold, then a line of the text per row. Written as
// WriteXlsx writes (report_xlsx.h: whole or not at all); what it writes when
// RenderOptions::dossier_by is set. Errors: those of MakeDossiers; Unavailable /
// Internal naming the path.
absl::Status WriteDossiersXlsx(const Ledger& ledger, const Report& report, Dimension by,
                               const RenderOptions& options, const std::string& path);

}  // namespace keyproj

#endif  // KEYPROJ_DOSSIER_H_
