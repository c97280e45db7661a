// Internal: the Ledger's storage, column by column (struct of arrays). The layout
// changes between versions; it is reached through internal::Columns(ledger) by the
// engine, the CSV writer, the C shim's zero-copy readers and tests -- never by
// embedders, who read a ledger through ledger.h and results through engine.h.
//
// - one vector per project field, indexed by project number 0..size()-1, in the order
//   projects were added; text that repeats (investor, leader, department, tags,
//   progress, ...) is interned once in the ledger's string pool; dates are day
//   numbers; money is int64 分 (kNoMoney = not known).
// - monthly reports are stored per project as a dense run of months; running totals
//   month-major per block of projects (docs/ledger.md, "The Ledger in memory").
#ifndef KEYPROJ_INTERNAL_LEDGER_COLUMNS_H_
#define KEYPROJ_INTERNAL_LEDGER_COLUMNS_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "keyproj/approval.h"
#include "keyproj/classification.h"
#include "keyproj/date.h"
#include "keyproj/funding.h"
#include "keyproj/industry.h"
#include "keyproj/money.h"
#include "keyproj/problem_kind.h"
#include "keyproj/project_code.h"
#include "keyproj/stage.h"
#include "keyproj/internal/string_pool.h"

namespace keyproj::internal {

// Project fields, one vector each, indexed by project number.
struct ProjectColumns {
  std::vector<uint32_t> code;  // StringPool id in Ledger::codes() (unique)
  std::vector<uint32_t> name;  // id in Ledger::strings()
  std::vector<int32_t> region;  // 6-digit division code; 0 = not known
  std::vector<IndustryCode> industry;
  std::vector<Category> category;
  std::vector<Level> level;
  std::vector<BuildType> build_type;
  std::vector<Stage> stage;  // as written, or derived from the dates when the cell was empty
  std::vector<Attracted> attracted;
  std::vector<ProjectCodeForm> code_form;
  std::vector<int16_t> code_year;  // registration year from a national code; 0 otherwise
  std::vector<int64_t> total_investment;       // 分 or kNoMoney
  std::vector<int64_t> contracted_investment;  // 分 or kNoMoney
  // Day numbers or kNoDay.
  std::vector<int32_t> planned_start, planned_completion, reserved_on, signed_on, started_on,
      completed_on, suspended_on, cancelled_on, start_due, intended_on, operating_on;
  std::vector<uint32_t> investor, leader, department;  // ids in strings()
  // Tags of project p: tag_ids[tag_begin[p] .. tag_begin[p + 1]), ids in strings().
  std::vector<uint32_t> tag_begin;
  std::vector<uint32_t> tag_ids;
};

// Per-slot flags of a monthly slot.
enum MonthlyFlag : uint8_t {
  kHasRow = 1,           // monthly.csv has a row for this project and month
  kInvestmentKnown = 2,  // its investment cell was not empty
  kFundsKnown = 4,       // its funds_arrived cell was not empty
};

// Running totals are kept for blocks of this many consecutive projects (the last
// block may be shorter); see MonthlyColumns::total_blocks.
inline constexpr uint32_t kTotalsBlockSize = 1024;
// The number of projects in block `block` of a ledger of `projects` projects.
constexpr uint32_t TotalsBlockWidth(uint32_t projects, uint32_t block) {
  return std::min(kTotalsBlockSize, projects - block * kTotalsBlockSize);
}

// The months of one block's running totals: rows first_month .. first_month +
// months - 1, row k of the block's n projects at offset + k * n.
struct TotalsBlock {
  int32_t first_month = 0;  // Month index
  int32_t months = 0;       // 0 when no project of the block has a monthly row
  uint64_t offset = 0;      // into MonthlyColumns::cum_investment and cum_funds
};

struct MonthlyColumns {
  // Project p's slots are slot_begin[p] .. slot_begin[p + 1]; slot i holds month
  // first_month[p] + (i - slot_begin[p]).
  std::vector<uint64_t> slot_begin;  // size() + 1 entries
  std::vector<int32_t> first_month;  // Month index; meaningless for a project with no slots
  // Running totals (分) of investment and of funds arrived through each month,
  // month-major per block of kTotalsBlockSize projects: project p is entry
  // p % kTotalsBlockSize of each row of block p / kTotalsBlockSize. A block's rows
  // cover every month any of its projects reported; before them a total is 0, after
  // them it stays at the last row's. Month-major because a query needs a handful of
  // months of every project, and each is then one contiguous read instead of a walk
  // over every project's months (docs/ledger.md, "The Ledger in memory"). Read them through
  // Ledger::InvestmentThrough, FundsThrough, InvestmentRow and FundsRow.
  std::vector<TotalsBlock> total_blocks;
  std::vector<int64_t> cum_investment;
  std::vector<int64_t> cum_funds;
  // Per slot.
  std::vector<int32_t> reported_on;     // day number or kNoDay
  std::vector<uint32_t> progress;       // id in strings()
  std::vector<ProblemSet> problems;
  std::vector<uint8_t> flags;  // MonthlyFlag bits
};

// funding.csv, sorted by project then year then source. Amounts in 分 (CNY).
struct FundingColumns {
  std::vector<uint32_t> project;
  std::vector<int16_t> year;
  std::vector<FundingSource> source;
  std::vector<int64_t> requested, approved, arrived;  // 分 or kNoMoney
  std::vector<uint32_t> currency;  // id in strings(); 0 = CNY
  // Rows in another currency (currency != 0) keep the amounts as written, in 万 of
  // that currency: original_row lists those rows in ascending order, original_*
  // their amounts (kNoMoney when empty). Sparse, since most ledgers have none; read
  // them through Ledger::FundingOriginal.
  std::vector<uint32_t> original_row;
  std::vector<int64_t> original_requested, original_approved, original_arrived;
  // Project p's rows: row_begin[p] .. row_begin[p + 1].
  std::vector<uint32_t> row_begin;
};

// Planned investment by year (plans.csv, and projects.csv's annual_plan/plan_year).
struct PlanColumns {
  std::vector<uint32_t> project;
  std::vector<int16_t> year;
  std::vector<int64_t> planned;  // 分
  std::vector<uint32_t> row_begin;  // project p's rows, sorted by year
};

// problems.csv.
struct ProblemColumns {
  std::vector<uint32_t> project;
  std::vector<uint32_t> id, description, owner;  // ids in strings()
  std::vector<ProblemKind> kind;
  std::vector<int32_t> raised_on, due, resolved_on;  // day numbers or kNoDay
};

// Problem row i is open on day d: raised by then (or with no raised_on) and not
// resolved by then. The problem notes and the dossiers' problem lists ask this.
inline bool ProblemOpenOn(const ProblemColumns& q, size_t i, int32_t d) {
  return !(q.raised_on[i] != kNoDay && q.raised_on[i] > d) && !(q.resolved_on[i] != kNoDay && q.resolved_on[i] <= d);
}

// baseline.csv: comparable prior-year bases.
struct BaselineColumns {
  std::vector<int32_t> month;  // Month index: the base for the ytd through this month
  std::vector<uint32_t> dimension, key;  // ids in strings(); dimension "all" with key ""
  std::vector<int64_t> investment;  // 分
};

// approvals.csv (前期手续), sorted by project, then item, then line. One row per
// project and item (kOther may repeat).
struct ApprovalColumns {
  std::vector<uint32_t> project;
  std::vector<ApprovalItem> item;
  std::vector<uint8_t> required;  // 1: the item must be done before a start (the default)
  std::vector<int32_t> planned_on, done_on;  // day numbers or kNoDay (done_on: pending)
  std::vector<uint32_t> authority, document_no;  // ids in strings()
  std::vector<uint32_t> row_begin;  // project p's rows: row_begin[p] .. row_begin[p + 1]
};

// All of a ledger's columns: internal::Columns(ledger) (defined in ledger.h).
struct LedgerColumnsView {
  const ProjectColumns& projects;
  const MonthlyColumns& monthly;
  const FundingColumns& funding;
  const PlanColumns& plans;
  const ProblemColumns& problems;
  const BaselineColumns& baseline;
  const ApprovalColumns& approvals;
  const StringPool& strings;  // names, investors, leaders, tags, progress text, ...
};

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_LEDGER_COLUMNS_H_
