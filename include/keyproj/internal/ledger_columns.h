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
#include <type_traits>
#include <utility>
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

// A column of a ledger: a std::vector<T> that can instead view elements it does not
// own -- a region of a mapped snapshot file (include/keyproj/snapshot.h) -- so that
// opening a snapshot costs no copy and no page fault for what a query never reads.
// It IS a std::vector<T> to every reader (operator[], data(), size(), begin/end,
// and a `const std::vector<T>&` parameter) and to the builder, which fills heap
// columns exactly as before.
//
// A viewing column is read-only: the ledger is immutable once built, and nothing
// may grow, shrink or write into it (the viewed memory belongs to the mapping, which
// the Ledger keeps alive). Copying a column always makes a heap copy; moving one
// moves the view.
//
// Why not a std::vector with a stateful allocator that "allocates" the mapped region:
// making a vector of n elements then constructs them one by one through the
// allocator (libstdc++ only memsets for std::allocator), a loop over every element of
// ~10^8 (~50 ms per 10^6 projects) that would blow the snapshot's open budget.
// Instead Adopt points libstdc++'s three vector pointers at the region: O(1). With
// another standard library Adopt copies (correct, not fast).
template <typename T>
class Column : public std::vector<T> {
  using Base = std::vector<T>;

 public:
  using Base::Base;
  Column() = default;
  Column(const Column& other) : Base(other) {}
  Column(Column&& other) noexcept : Base(std::move(other)), viewing_(std::exchange(other.viewing_, false)) {}
  Column(Base&& v) noexcept : Base(std::move(v)) {}  // NOLINT: a vector is a column
  Column& operator=(const Column& other) {
    if (this != &other) {
      Release();
      Base::operator=(other);
    }
    return *this;
  }
  Column& operator=(Column&& other) noexcept {
    if (this != &other) {
      Release();
      Base::operator=(std::move(static_cast<Base&>(other)));
      viewing_ = std::exchange(other.viewing_, false);
    }
    return *this;
  }
  Column& operator=(Base&& v) noexcept {
    Release();
    Base::operator=(std::move(v));
    return *this;
  }
  ~Column() { Release(); }
  void swap(Column& other) noexcept {
    Base::swap(other);
    std::swap(viewing_, other.viewing_);
  }

  // Views the n elements at `elements` (not owned: the caller keeps them alive and
  // unchanged for as long as the column lives) instead of what it held.
  void Adopt(const T* elements, size_t n) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    Release();
    Base().swap(*this);
    if (n == 0) return;
#if defined(__GLIBCXX__)
    T* p = const_cast<T*>(elements);  // never written through: a viewing column is read-only
    this->_M_impl._M_start = p;
    this->_M_impl._M_finish = p + n;
    this->_M_impl._M_end_of_storage = p + n;
    viewing_ = true;
#else
    Base::assign(elements, elements + n);
#endif
  }
  // True while the column views memory it does not own.
  bool viewing() const { return viewing_; }

 private:
  // Forgets a view (so that the vector frees nothing).
  void Release() noexcept {
#if defined(__GLIBCXX__)
    if (viewing_) {
      this->_M_impl._M_start = this->_M_impl._M_finish = this->_M_impl._M_end_of_storage = nullptr;
      viewing_ = false;
    }
#endif
  }

  bool viewing_ = false;
};

// Project fields, one vector each, indexed by project number.
struct ProjectColumns {
  Column<uint32_t> code;  // StringPool id in Ledger::codes() (unique)
  Column<uint32_t> name;  // id in Ledger::strings()
  Column<int32_t> region;  // 6-digit division code; 0 = not known
  Column<IndustryCode> industry;
  Column<Category> category;
  Column<Level> level;
  Column<BuildType> build_type;
  Column<Stage> stage;  // as written, or derived from the dates when the cell was empty
  Column<Attracted> attracted;
  Column<ProjectCodeForm> code_form;
  Column<int16_t> code_year;  // registration year from a national code; 0 otherwise
  Column<int64_t> total_investment;       // 分 or kNoMoney
  Column<int64_t> contracted_investment;  // 分 or kNoMoney
  // Day numbers or kNoDay.
  Column<int32_t> planned_start, planned_completion, reserved_on, signed_on, started_on,
      completed_on, suspended_on, cancelled_on, start_due, intended_on, operating_on;
  Column<uint32_t> investor, leader, department;  // ids in strings()
  // Tags of project p: tag_ids[tag_begin[p] .. tag_begin[p + 1]), ids in strings().
  Column<uint32_t> tag_begin;
  Column<uint32_t> tag_ids;
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
  Column<uint64_t> slot_begin;  // size() + 1 entries
  Column<int32_t> first_month;  // Month index; meaningless for a project with no slots
  // Running totals (分) of investment and of funds arrived through each month,
  // month-major per block of kTotalsBlockSize projects: project p is entry
  // p % kTotalsBlockSize of each row of block p / kTotalsBlockSize. A block's rows
  // cover every month any of its projects reported; before them a total is 0, after
  // them it stays at the last row's. Month-major because a query needs a handful of
  // months of every project, and each is then one contiguous read instead of a walk
  // over every project's months (docs/ledger.md, "The Ledger in memory"). Read them through
  // Ledger::InvestmentThrough, FundsThrough, InvestmentRow and FundsRow.
  Column<TotalsBlock> total_blocks;
  Column<int64_t> cum_investment;
  Column<int64_t> cum_funds;
  // Per slot.
  Column<int32_t> reported_on;     // day number or kNoDay
  Column<uint32_t> progress;       // id in strings()
  Column<ProblemSet> problems;
  Column<uint8_t> flags;  // MonthlyFlag bits
};

// funding.csv, sorted by project then year then source. Amounts in 分 (CNY).
struct FundingColumns {
  Column<uint32_t> project;
  Column<int16_t> year;
  Column<FundingSource> source;
  Column<int64_t> requested, approved, arrived;  // 分 or kNoMoney
  Column<uint32_t> currency;  // id in strings(); 0 = CNY
  // Rows in another currency (currency != 0) keep the amounts as written, in 万 of
  // that currency: original_row lists those rows in ascending order, original_*
  // their amounts (kNoMoney when empty). Sparse, since most ledgers have none; read
  // them through Ledger::FundingOriginal.
  Column<uint32_t> original_row;
  Column<int64_t> original_requested, original_approved, original_arrived;
  // Project p's rows: row_begin[p] .. row_begin[p + 1].
  Column<uint32_t> row_begin;
};

// Planned investment by year (plans.csv, and projects.csv's annual_plan/plan_year).
struct PlanColumns {
  Column<uint32_t> project;
  Column<int16_t> year;
  Column<int64_t> planned;  // 分
  Column<uint32_t> row_begin;  // project p's rows, sorted by year
};

// problems.csv.
struct ProblemColumns {
  Column<uint32_t> project;
  Column<uint32_t> id, description, owner;  // ids in strings()
  Column<ProblemKind> kind;
  Column<int32_t> raised_on, due, resolved_on;  // day numbers or kNoDay
};

// Problem row i is open on day d: raised by then (or with no raised_on) and not
// resolved by then. The problem notes and the dossiers' problem lists ask this.
inline bool ProblemOpenOn(const ProblemColumns& q, size_t i, int32_t d) {
  return !(q.raised_on[i] != kNoDay && q.raised_on[i] > d) && !(q.resolved_on[i] != kNoDay && q.resolved_on[i] <= d);
}

// baseline.csv: comparable prior-year bases.
struct BaselineColumns {
  Column<int32_t> month;  // Month index: the base for the ytd through this month
  Column<uint32_t> dimension, key;  // ids in strings(); dimension "all" with key ""
  Column<int64_t> investment;  // 分
};

// approvals.csv (前期手续), sorted by project, then item, then line. One row per
// project and item (kOther may repeat).
struct ApprovalColumns {
  Column<uint32_t> project;
  Column<ApprovalItem> item;
  Column<uint8_t> required;  // 1: the item must be done before a start (the default)
  Column<int32_t> planned_on, done_on;  // day numbers or kNoDay (done_on: pending)
  Column<uint32_t> authority, document_no;  // ids in strings()
  Column<uint32_t> row_begin;  // project p's rows: row_begin[p] .. row_begin[p + 1]
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
