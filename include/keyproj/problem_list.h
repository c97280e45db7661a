// 问题清单 / 责任清单 / 时限清单: the open problems of problems.csv at a date, grouped by
// owner (责任单位), kind or project, the most overdue first, as a bureau sends them
// round (workflow.md §6 "Problem lists"; docs/report.md "Problem lists").
//
//   keyproj::ProblemListRequest request;           // as of the last month, by owner
//   request.overdue_only = true;                   // 时限清单: overdue ones only
//   absl::StatusOr<keyproj::ProblemList> list = keyproj::MakeProblemList(ledger, request);
//   std::string text = *keyproj::RenderProblemList(*list, keyproj::ReportFormat::kText, {});
#ifndef KEYPROJ_PROBLEM_LIST_H_
#define KEYPROJ_PROBLEM_LIST_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/date.h"
#include "keyproj/enum_table.h"
#include "keyproj/ledger.h"
#include "keyproj/problem_kind.h"
#include "keyproj/query.h"
#include "keyproj/report.h"

namespace keyproj {

// What a problem list is grouped by.
enum class ProblemGrouping : uint8_t {
  kOwner = 0,    // 责任单位 (problems.csv owner)
  kKind = 1,     // 问题类型
  kProject = 2,  // 项目
};

template <>
struct EnumTraits<ProblemGrouping> {
  static std::span<const EnumEntry<ProblemGrouping>> entries() {
    static constexpr EnumEntry<ProblemGrouping> kEntries[] = {
        {ProblemGrouping::kOwner, "owner", "责任单位", "责任"},
        {ProblemGrouping::kKind, "kind", "问题类型", "类型"},
        {ProblemGrouping::kProject, "project", "项目", ""},
    };
    return kEntries;
  }
};

struct ProblemListRequest {
  // The date; unset: the end of the ledger's latest month (DefaultAsOf).
  std::optional<Date> as_of;
  // Which projects (the scope, as for reports); empty: all.
  Filter filter;
  ProblemGrouping group_by = ProblemGrouping::kOwner;
  // 时限清单: overdue problems only (due before as_of, still open).
  bool overdue_only = false;
};

// One open problem.
struct ProblemEntry {
  uint32_t project = 0;          // the ledger's project number
  std::string code, name;        // the project's code and name
  std::string id;                // problems.csv id
  ProblemKind kind = ProblemKind::kUnknown;
  std::string description, owner;
  std::optional<Date> raised_on, due_on;
  // as_of - due_on when due_on < as_of (the problem is overdue), else 0.
  int64_t days_overdue = 0;
  bool overdue() const { return days_overdue > 0; }
};

struct ProblemGroup {
  std::string key;    // the owner ("" when not given), kind id, or project code
  std::string label;  // as documents show it: the owner or "（未填）", 用地, "code name"
  std::vector<ProblemEntry> problems;  // most overdue first
  size_t overdue = 0;
};

struct ProblemList {
  Date as_of;
  ProblemGrouping group_by = ProblemGrouping::kOwner;
  bool overdue_only = false;
  // Groups with the most overdue problems first, then the most problems, then by key.
  std::vector<ProblemGroup> groups;
  size_t total = 0, overdue = 0;
};

// The open problems at the date: raised by as_of (or with no raised_on), not resolved
// by then, of a project in the scope and not cancelled by then -- the rule of the
// problems_open and problems_overdue indicators, so the list's counts are theirs.
// Errors: a ledger without monthly figures and no as_of; a bad filter.
absl::StatusOr<ProblemList> MakeProblemList(const Ledger& ledger, const ProblemListRequest& request);

// The list as a document: kTable, kJson, kCsv, kMarkdown or kText (a few Chinese
// lines a bureau sends round: "一、XX局（3个问题，其中超期2个）" and a line per problem).
// kXlsx: WriteProblemListXlsx.
absl::StatusOr<std::string> RenderProblemList(const ProblemList& list, ReportFormat format);

// The list as a workbook with one sheet (问题清单), written whole or not at all.
absl::Status WriteProblemListXlsx(const ProblemList& list, const std::string& path);

}  // namespace keyproj

#endif  // KEYPROJ_PROBLEM_LIST_H_
