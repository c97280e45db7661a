// The one list of a ledger's stored columns with their snapshot section ids:
// what WriteSnapshot writes and OpenSnapshot adopts. Ids are part of the file
// format (docs/snapshot.md): never reuse or renumber one. A new column gets a new id
// and a new minor format version (an older reader skips a section it does not know;
// a reader requires every section of this list).
#ifndef KEYPROJ_SNAPSHOT_ACCESS_H_
#define KEYPROJ_SNAPSHOT_ACCESS_H_

#include <cstdint>
#include <vector>

#include "keyproj/ledger.h"

namespace keyproj::internal {

// Sections that are not a column of ledger_columns.h.
enum SectionId : uint32_t {
  kCodesOffsets = 200,    // uint64: codes pool, offsets[id] .. offsets[id + 1] into the blob
  kCodesBlob = 201,       // bytes
  kStringsOffsets = 202,  // uint64: strings pool
  kStringsBlob = 203,     // bytes
  kCodeToProject = 204,   // uint32 per codes id
  kExtras = 250,          // bytes: the extra columns (docs/snapshot.md)
  kRegions = 251,         // bytes: the region names
  kLayouts = 252,         // bytes: the tables' bureau layouts (format 1.1; optional: absent in 1.0 files)
};

// Column ids 1 .. kLastPerProjectColumn (ForEachColumn) hold one entry per project.
inline constexpr uint32_t kLastPerProjectColumn = 27;

struct SnapshotAccess {
  // Calls f(id, name, column) for every column of `l` (a Ledger or a const one).
  template <typename L, typename F>
  static void ForEachColumn(L& l, F&& f) {
    auto& p = l.projects_;
    f(1, "projects.code", p.code);
    f(2, "projects.name", p.name);
    f(3, "projects.region", p.region);
    f(4, "projects.industry", p.industry);
    f(5, "projects.category", p.category);
    f(6, "projects.level", p.level);
    f(7, "projects.build_type", p.build_type);
    f(8, "projects.stage", p.stage);
    f(9, "projects.attracted", p.attracted);
    f(10, "projects.code_form", p.code_form);
    f(11, "projects.code_year", p.code_year);
    f(12, "projects.total_investment", p.total_investment);
    f(13, "projects.contracted_investment", p.contracted_investment);
    f(14, "projects.planned_start", p.planned_start);
    f(15, "projects.planned_completion", p.planned_completion);
    f(16, "projects.reserved_on", p.reserved_on);
    f(17, "projects.signed_on", p.signed_on);
    f(18, "projects.started_on", p.started_on);
    f(19, "projects.completed_on", p.completed_on);
    f(20, "projects.suspended_on", p.suspended_on);
    f(21, "projects.cancelled_on", p.cancelled_on);
    f(22, "projects.start_due", p.start_due);
    f(23, "projects.intended_on", p.intended_on);
    f(24, "projects.operating_on", p.operating_on);
    f(25, "projects.investor", p.investor);
    f(26, "projects.leader", p.leader);
    f(27, "projects.department", p.department);
    f(28, "projects.tag_begin", p.tag_begin);
    f(29, "projects.tag_ids", p.tag_ids);
    auto& m = l.monthly_;
    f(40, "monthly.slot_begin", m.slot_begin);
    f(41, "monthly.first_month", m.first_month);
    f(42, "monthly.total_blocks", m.total_blocks);
    f(43, "monthly.cum_investment", m.cum_investment);
    f(44, "monthly.cum_funds", m.cum_funds);
    f(45, "monthly.reported_on", m.reported_on);
    f(46, "monthly.progress", m.progress);
    f(47, "monthly.problems", m.problems);
    f(48, "monthly.flags", m.flags);
    auto& fu = l.funding_;
    f(60, "funding.project", fu.project);
    f(61, "funding.year", fu.year);
    f(62, "funding.source", fu.source);
    f(63, "funding.requested", fu.requested);
    f(64, "funding.approved", fu.approved);
    f(65, "funding.arrived", fu.arrived);
    f(66, "funding.currency", fu.currency);
    f(67, "funding.original_row", fu.original_row);
    f(68, "funding.original_requested", fu.original_requested);
    f(69, "funding.original_approved", fu.original_approved);
    f(70, "funding.original_arrived", fu.original_arrived);
    f(71, "funding.row_begin", fu.row_begin);
    auto& pl = l.plans_;
    f(80, "plans.project", pl.project);
    f(81, "plans.year", pl.year);
    f(82, "plans.planned", pl.planned);
    f(83, "plans.row_begin", pl.row_begin);
    auto& q = l.problems_;
    f(90, "problems.project", q.project);
    f(91, "problems.id", q.id);
    f(92, "problems.description", q.description);
    f(93, "problems.owner", q.owner);
    f(94, "problems.kind", q.kind);
    f(95, "problems.raised_on", q.raised_on);
    f(96, "problems.due", q.due);
    f(97, "problems.resolved_on", q.resolved_on);
    auto& b = l.baseline_;
    f(100, "baseline.month", b.month);
    f(101, "baseline.dimension", b.dimension);
    f(102, "baseline.key", b.key);
    f(103, "baseline.investment", b.investment);
    auto& a = l.approvals_;
    f(110, "approvals.project", a.project);
    f(111, "approvals.item", a.item);
    f(112, "approvals.required", a.required);
    f(113, "approvals.planned_on", a.planned_on);
    f(114, "approvals.done_on", a.done_on);
    f(115, "approvals.authority", a.authority);
    f(116, "approvals.document_no", a.document_no);
    f(117, "approvals.row_begin", a.row_begin);
    f(kCodeToProject, "code_to_project", l.code_to_project_);
  }

  template <typename L>
  static auto& codes(L& l) { return l.codes_; }
  template <typename L>
  static auto& code_to_project(L& l) { return l.code_to_project_; }
  template <typename L>
  static auto& strings(L& l) { return l.strings_; }
  template <typename L>
  static auto& extras(L& l) { return l.extras_; }
  template <typename L>
  static auto& layouts(L& l) { return l.layouts_; }
  static void KeepAlive(Ledger& l, std::shared_ptr<const void> storage) { l.storage_ = std::move(storage); }
};

}  // namespace keyproj::internal

#endif  // KEYPROJ_SNAPSHOT_ACCESS_H_
