#include "keyproj/ledger_builder.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <numeric>
#include <system_error>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "keyproj/classification.h"
#include "keyproj/enum_table.h"
#include "keyproj/industry.h"
#include "keyproj/internal/civil_days.h"
#include "keyproj/internal/huge_pages.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/second_thread.h"
#include "keyproj/internal/project_fields.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using ::keyproj::internal::TotalsBlockWidth;
using ::keyproj::internal::TotalsBlock;
using ::keyproj::internal::kTotalsBlockSize;
using ::keyproj::internal::kHasRow;
using ::keyproj::internal::kInvestmentKnown;
using ::keyproj::internal::kFundsKnown;
using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::FieldKind;
using ::keyproj::internal::ProjectField;
using ::keyproj::internal::ProjectFields;
using ::keyproj::internal::RecordMemberAs;
using ::keyproj::internal::SameBytes;
namespace {

static_assert(kLastMonthlyYear <= 2100, "monthly months beyond civil_days.h's month table take the slow route");

// Room for `more` values after each column's: exact for the first reserve (a whole
// file's rows), by half again after that, so that a host's many small batches, each
// reserving its rows, still grow a column geometrically instead of copying it every
// time.
template <typename... V>
void ReserveMore(size_t more, V&... columns) {
  auto one = [more](auto& v) {
    const size_t want = v.size() + more;
    if (want <= v.capacity()) return;
    internal::ReserveHuge(v, v.capacity() == 0 ? want : std::max(want, v.capacity() + v.capacity() / 2));
  };
  (one(columns), ...);
}

// Whether a column built by growing holds more spare room than is worth a copy to
// shed: more than an eighth of its size beyond the whole huge pages ReserveHuge
// rounds an allocation up to (HugeCapacity), whose pages, never written, are not in
// memory anyway.
template <typename V>
bool MuchSpare(const V& v) {
  return v.capacity() > internal::HugeCapacity(v.size() + v.size() / 8, sizeof(v[0]));
}

// 0, 1, ..., n - 1 on advised storage: the order a table's rows are sorted into.
std::vector<uint32_t> Identity(size_t n) {
  std::vector<uint32_t> order;
  internal::ReserveHuge(order, n);
  order.resize(n);
  std::iota(order.begin(), order.end(), 0);
  return order;
}

// Room for n values in each column, advised for huge pages: the columns Build fills
// from a sorted order of known size.
template <typename... V>
void ReserveEach(size_t n, V&... columns) {
  (internal::ReserveHuge(columns, n), ...);
}

int32_t DayOr(const std::optional<Date>& d) { return d ? d->days() : kNoDay; }
int64_t FenOr(const std::optional<Money>& m) { return m ? m->fen() : kNoMoney; }

// An exchange rate as an exact decimal: value = numerator / 10^scale.
struct FxRate {
  int64_t numerator = 0;
  int scale = 0;
};

std::optional<FxRate> ParseFxRate(std::string_view text) {
  FxRate r;
  bool dot = false, any = false;
  for (char c : text) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (c >= '0' && c <= '9') {
      if (r.numerator > (int64_t{1} << 50) || r.scale >= 12) return std::nullopt;
      r.numerator = r.numerator * 10 + (c - '0');
      if (dot) ++r.scale;
      any = true;
    } else {
      return std::nullopt;
    }
  }
  if (!any || r.numerator == 0) return std::nullopt;
  return r;
}

// fen * rate, rounded half-up (away from zero) to whole 分; nullopt on overflow.
std::optional<int64_t> Convert(int64_t fen, FxRate rate) {
  int128 pow10 = 1;
  for (int i = 0; i < rate.scale; ++i) pow10 *= 10;
  const int128 product = static_cast<int128>(fen) * rate.numerator;
  const int128 abs = product < 0 ? -product : product;
  int128 q = abs / pow10;
  if ((abs % pow10) * 2 >= pow10) ++q;
  if (q > std::numeric_limits<int64_t>::max()) return std::nullopt;
  return static_cast<int64_t>(product < 0 ? -q : q);
}

// "line 7", "lines 5-9, 14": the lines of the rows one diagnostic stands for, so
// that each of them can be found (runs of consecutive lines as ranges).
std::string LineList(std::vector<int64_t> lines) {
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  std::string out = lines.size() == 1 ? "line " : "lines ";
  for (size_t i = 0; i < lines.size();) {
    size_t j = i;
    while (j + 1 < lines.size() && lines[j + 1] == lines[j] + 1) ++j;
    Append(&out, i == 0 ? "" : ", ", lines[i]);
    if (j > i) Append(&out, "-", lines[j]);
    i = j + 1;
  }
  return out;
}

// Dimensions a comparable base (baseline.csv) may be given for: those a query can
// group by.
constexpr std::string_view kBaselineDimensions[] = {
    "all", "region", "category", "level", "build_type", "department", "leader",
    "tag", "sector", "industrial", "attracted", "size_band", "stage"};

// The key a report gives the group that a base's key names, in an enumerated
// dimension -- category "industry", attracted "1" -- from any spelling a ledger's
// cells take ("产业", "Industry", "是"): a base under another spelling would never
// meet its group. nullopt (and `why` set) when it names no value of the dimension;
// the key itself for the dimensions whose keys are the ledger's own text or codes.
template <typename E>
std::optional<std::string> EnumGroupKey(std::string_view key, std::string_view what, std::string* why) {
  if (const std::optional<E> v = ParseEnum<E>(key)) {
    if constexpr (std::is_same_v<E, YesNo>) return std::string(*v == YesNo::kYes ? "1" : "0");  // as groups write it
    return std::string(EnumId(*v));
  }
  *why = UnknownEnumValue<E>(what, key);
  return std::nullopt;
}
std::optional<std::string> BaselineGroupKey(std::string_view dimension, std::string_view key, std::string* why) {
  if (dimension == "category") return EnumGroupKey<Category>(key, "category", why);
  if (dimension == "level") return EnumGroupKey<Level>(key, "level", why);
  if (dimension == "build_type") return EnumGroupKey<BuildType>(key, "build type", why);
  if (dimension == "stage") return EnumGroupKey<Stage>(key, "stage", why);
  if (dimension == "sector") return EnumGroupKey<Sector>(key, "sector", why);
  if (dimension == "attracted" || dimension == "industrial") return EnumGroupKey<YesNo>(key, "yes/no key", why);
  // A county's group key is its 6-digit code, a city's the first 4 digits, a
  // province's the first 2 (as --group-by city keys them).
  if (dimension == "region" && ((key.size() != 2 && key.size() != 4 && key.size() != 6) ||
                                !std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
    *why = Cat("region key '", key, "' is not a division code as groups are keyed (county 610402, city 6104, province 61)");
    return std::nullopt;
  }
  return std::string(key);
}

// Sorts `order` (the rows' indexes, ascending) stably by `less`, whose first key is
// the row's project (`project`, indexed by row). Rows usually come grouped by project
// (as files and hosts' tables are written), each project's few rows in any order: then
// sorting each project's run alone gives the same order, at a small cost per row.
template <typename Less>
void StableSortOrder(std::vector<uint32_t>& order, const std::vector<uint32_t>& project, Less less) {
  if (!std::is_sorted(order.begin(), order.end(),
                      [&](uint32_t a, uint32_t b) { return project[a] < project[b]; })) {
    std::stable_sort(order.begin(), order.end(), less);
    return;
  }
  for (auto run = order.begin(); run != order.end();) {
    auto end = run + 1;
    while (end != order.end() && project[*end] == project[*run]) ++end;
    if (end - run > 1 && !std::is_sorted(run, end, less)) std::stable_sort(run, end, less);
    run = end;
  }
}

// std::stable_sort of `order` by `less`, in one linear merge when the rows came in
// two ascending runs: plans are projects.csv's annual_plan shorthand rows, in project
// order, then plans.csv's, usually in project order too.
template <typename Less>
void StableSortTwoRuns(std::vector<uint32_t>& order, Less less) {
  const auto second = std::is_sorted_until(order.begin(), order.end(), less);
  if (second == order.end()) return;
  if (std::is_sorted(second, order.end(), less)) {
    std::inplace_merge(order.begin(), second, order.end(), less);  // the first run's first among equals
  } else {
    std::stable_sort(order.begin(), order.end(), less);
  }
}

// Runs a() on a new thread and b() on this one and waits for both, or one after the
// other when `together` is false or no thread can be had. An exception of either is
// rethrown here once both are done.
template <typename A, typename B>
void RunTogether(bool together, A&& a, B&& b) {
  std::exception_ptr a_failure;
  std::thread thread;
  if (together) {
    try {
      thread = std::thread([&] {
        try {
          a();
        } catch (...) {
          a_failure = std::current_exception();
        }
      });
    } catch (const std::system_error&) {
      together = false;
    }
  }
  if (!together) {
    a();
    b();
    return;
  }
  std::exception_ptr b_failure;
  try {
    b();
  } catch (...) {
    b_failure = std::current_exception();
  }
  thread.join();
  if (a_failure) std::rethrow_exception(a_failure);
  if (b_failure) std::rethrow_exception(b_failure);
}

struct PendingMonthly {
  uint32_t project;
  int32_t month;
  int64_t investment;
  int64_t funds;
  int32_t reported_on;
  uint32_t progress;
  uint32_t line;
  ProblemSet problems;
  uint8_t flags;
  uint32_t extras_row;  // index into monthly extras rows, or UINT32_MAX
};

// A funding row as kept until Build, compact: its texts and extra cells interned when
// it is added (a record of strings is about 150 bytes a row), its amounts in yuan,
// its currency interned; a row in another currency keeps its amounts as written in
// funding_original (few ledgers have any).
struct FundingRow {
  int64_t requested, approved, arrived;  // 分 of yuan, or kNoMoney
  uint32_t currency;  // id in the ledger's strings; 0 = CNY
  uint32_t original;  // index in funding_original, or UINT32_MAX (CNY)
  int16_t year;
  FundingSource source;
};

struct PlanRow {
  uint32_t project;
  int16_t year;
  int64_t planned;
  int64_t line;
  bool from_projects;  // projects.csv's annual_plan rather than plans.csv
};

}  // namespace

struct LedgerBuilder::State {
  BuildOptions options;
  Diagnostics diagnostics;
  bool errors = false;
  Ledger ledger;
  std::vector<int64_t> project_line;
  // Codes of projects that were rejected -> their line and the lines of their rows
  // left out, per table.
  struct Rejected {
    int64_t line;
    std::vector<int64_t> dropped[kTableCount];
  };
  absl::flat_hash_map<std::string, Rejected> rejected;
  std::vector<std::string> extra_headers[kTableCount];
  absl::flat_hash_map<std::string, FxRate> fx;

  // Monthly slots as they arrive, in arrival order of projects (see AddMonthly).
  std::vector<int32_t> m_first;   // per project; kNoMonth = no slots yet
  std::vector<uint64_t> m_begin;  // per project
  std::vector<uint32_t> m_count;  // per project
  int64_t open_project = -1;
  std::string_view open_code;  // ledger.code(open_project): the pool's bytes, stable
  // Slots in use; the s_* arrays are grown in chunks ahead of it (GrowSlots) and cut
  // to it when the ledger is built (TrimSlots).
  size_t slots = 0;
  std::vector<int64_t> s_investment, s_funds;
  std::vector<int32_t> s_reported;
  std::vector<uint32_t> s_progress, s_line;
  // Per slot, its row's extra cells (a row of monthly_extras, UINT32_MAX none):
  // only while monthly rows have extra columns (SlotExtras), else empty -- 4 bytes a
  // slot of fresh memory for nothing, which most ledgers would pay.
  std::vector<uint32_t> s_extras;
  bool SlotExtras() const { return !extra_headers[static_cast<int>(Table::kMonthly)].empty(); }
  std::vector<ProblemSet> s_problems;
  std::vector<uint8_t> s_flags;
  std::vector<PendingMonthly> pending;
  // Texts that repeat from row to row, looked up in cache (string_pool.h): progress
  // ("主体施工"), a project's investor, leader, department and tags, an approval's
  // authority, extra cells.
  internal::RecentStrings recent_progress, recent_authority, recent_document_no;
  internal::ProjectRecentStrings recent_project;
  std::vector<internal::RecentStrings> recent_extras[kTableCount];  // per extra column
  // Per table, the last project a row named (rows come grouped by project): its code
  // in the pool, and its index.
  struct LastResolved {
    std::string_view code;
    uint32_t project = 0;
  };
  std::array<LastResolved, kTableCount> last_resolved{};
  std::vector<uint32_t> monthly_extras;  // ids, extra_headers[kMonthly].size() per row that has them
  // The monthly table's texts (progress, extra cells) until Build: its rows may be
  // added on a thread of their own beside the other tables' (ledger_builder.h), which
  // intern into the ledger's pool. Build gives them the ledger's ids, after the other
  // tables' rows' texts and before problems' and baseline's, whatever the threads.
  internal::StringPool monthly_strings;
  internal::StringPool& Pool(Table t) { return t == Table::kMonthly ? monthly_strings : ledger.strings_; }
  // The ledger's id of each of monthly_strings' (MonthlyStringIds).
  std::vector<uint32_t> monthly_ids;
  void MonthlyStringIds() {
    monthly_ids.assign(monthly_strings.size(), 0);
    for (uint32_t id = 1; id < monthly_ids.size(); ++id) {
      monthly_ids[id] = ledger.strings_.Intern(monthly_strings.Get(id));
    }
  }
  std::vector<uint8_t> sum_overflow;  // per project: summed duplicate months overflowed

  std::vector<PlanRow> plans;
  std::vector<FundingRow> funding;  // validated, converted to yuan by AddFunding
  std::vector<uint32_t> funding_project;
  std::vector<uint32_t> funding_extras;  // ids, extra_headers[kFunding].size() per row
  std::vector<std::array<int64_t, 3>> funding_original;  // requested, approved, arrived as written
  std::vector<ProblemRecord> problems;
  std::vector<uint32_t> problem_project;
  absl::flat_hash_map<std::string, int64_t> problem_ids;
  std::vector<BaselineRecord> baseline;
  // Every baseline.csv row whose month, dimension and key were read, kept or not:
  // line. A row for the same base after one of them is a duplicate, whether or not
  // the first was kept for its other cells.
  struct BaseSeen {
    Month month;
    std::string dimension, key;
    int64_t line;
  };
  std::vector<BaseSeen> baseline_seen;
  // Rows of monthly.csv and plans.csv left out for another error whose project and
  // month (or year) were read: they keep their place in the one-row rule
  // (CheckDroppedMonths, CheckDroppedPlans), so that a second row for the month is
  // reported in the same run as the first row's bad cell, not in the run after.
  struct DroppedRow {
    uint32_t project;
    int32_t when;  // Month index, or year
    int64_t line;
  };
  std::vector<DroppedRow> monthly_dropped, plans_dropped;
  bool runs_cut = false;  // CheckDroppedMonths cleared a slot: the runs are laid out again
  // approvals.csv's rows go straight into the ledger's columns (ledger.approvals_, all
  // but row_begin), in arrival order, with their lines beside them here; Build sorts
  // them by project then item only when they did not arrive so. A row staged apart
  // (32 bytes, then the columns' 22 filled from it at Build) was at 5*10^6 rows about
  // 150 MB more memory to fault in than the columns alone, and a copy of every row.
  std::vector<int64_t> approval_line;
  std::vector<uint32_t> approval_extras;  // ids, extra_headers[kApprovals].size() per row
  // The one-row-per-item rule: per project, a bit for each item that has had a row.
  // The line of that first row is only needed for a second row's message, so it is
  // looked up then (FirstApprovalLine) rather than kept for every row in a map: at
  // 5*10^6 approvals rows the map's misses were a tenth of a CSV load.
  std::vector<uint16_t> approval_seen;
  static_assert(kApprovalItemCount < 16, "approval_seen holds a bit per item");
  // Rows that set their bit but were not kept (another error): a later row's "first at
  // line" may still be theirs.
  std::vector<std::tuple<uint32_t, ApprovalItem, int64_t>> approval_seen_dropped;
  // (project, item) -> line of its first row: built at the first second row, kept up
  // to date after.
  absl::flat_hash_map<std::pair<uint32_t, ApprovalItem>, int64_t> approval_items;
  bool approval_items_built = false;

  // The line of the row that set project p's bit for `item`: exactly one row did,
  // kept (approvals) or not (approval_seen_dropped).
  int64_t FirstApprovalLine(uint32_t p, ApprovalItem item) {
    if (!approval_items_built) {
      approval_items_built = true;
      const internal::ApprovalColumns& kept = ledger.approvals_;
      for (size_t k = 0; k < approval_line.size(); ++k) {
        const ApprovalItem i = kept.item[k];
        if (i != ApprovalItem::kUnknown && i != ApprovalItem::kOther) {
          approval_items.try_emplace(std::pair(kept.project[k], i), approval_line[k]);
        }
      }
      for (const auto& [project, i, line] : approval_seen_dropped) approval_items.try_emplace(std::pair(project, i), line);
    }
    const auto it = approval_items.find(std::pair(p, item));
    return it == approval_items.end() ? 0 : it->second;
  }

  std::string_view table_name(Table t) const {
    const std::string& n = options.table_names[static_cast<int>(t)];
    return n.empty() ? TableName(t) : std::string_view(n);
  }

  // Build lays the monthly table out on a thread of its own (BuildOptions::threads):
  // its errors and the other tables' meet here. Each table's errors come from one
  // thread, and Build sorts them by file and line, so the list is the same either way.
  std::mutex diagnostics_mu;
  void Error(Table t, int64_t line, std::string_view field, std::string reason, bool consequence = false) {
    if (Unread(t, field)) return;  // its cell's problem was reported instead
    Diagnostic d{std::string(table_name(t)), line, 0, std::string(field), std::move(reason)};
    d.consequence = consequence;
    std::lock_guard<std::mutex> lock(diagnostics_mu);
    errors = true;
    table_errors[static_cast<int>(t)].fetch_add(1, std::memory_order_relaxed);
    diagnostics.push_back(std::move(d));
  }
  // Per table, the unread fields of the record being added (LedgerBuilder::Add*): no
  // check reports on them. Per table, as each table's rows are added on one thread.
  std::array<UnreadFields, kTableCount> unread{};
  bool Unread(Table t, std::string_view field) const {
    const UnreadFields fields = unread[static_cast<int>(t)];
    return std::find(fields.begin(), fields.end(), field) != fields.end();
  }
  // While an Add* checks its record: the record's unread fields.
  class Reading {
   public:
    Reading(State& s, Table t, UnreadFields fields) : slot_(s.unread[static_cast<int>(t)]) { slot_ = fields; }
    ~Reading() { slot_ = {}; }
    Reading(const Reading&) = delete;
    Reading& operator=(const Reading&) = delete;

   private:
    UnreadFields& slot_;
  };

  // Errors a table's rows have had so far: an Add* compares it before and after its
  // checks (the list itself may grow meanwhile with another table's, on another
  // thread). Each table's count is written by the thread adding its rows only.
  std::array<std::atomic<size_t>, kTableCount> table_errors{};
  size_t ErrorCount(Table t) const { return table_errors[static_cast<int>(t)].load(std::memory_order_relaxed); }
  // Whether Build uses a second thread for `work` (elements of the smaller part):
  // asked for (threads >= 2), or by default on a machine of several cores when the
  // ledger is big enough for the thread to pay.
  bool Parallel(size_t work) const { return internal::UseSecondThread(options.threads, work, size_t{1} << 18); }

  // The project a row refers to; reports an unknown or rejected code.
  std::optional<uint32_t> Resolve(Table t, int64_t line, std::string_view code) {
    if (code.empty()) {
      Error(t, line, "code", "required");
      return std::nullopt;
    }
    LastResolved& last = last_resolved[static_cast<int>(t)];
    if (!last.code.empty() && SameBytes(code, last.code)) {
      return last.project;
    }
    // Tables are written in the order of projects.csv, nearly always, skipping the
    // projects they have no rows for (monthly.csv those not started, problems.csv most):
    // one of the few projects after the last one named is the likely next, and
    // comparing their codes (adjacent in the pool) saves the hash lookup, a cache miss
    // at 10^6 projects. Codes of the ledger are unique, so equal bytes are that project.
    constexpr size_t kLookahead = 8;
    const size_t first = last.code.empty() ? 0 : size_t{last.project} + 1;
    for (size_t next = first, end = std::min<size_t>(first + kLookahead, ledger.size()); next < end; ++next) {
      if (const std::string_view next_code = ledger.code(static_cast<uint32_t>(next)); SameBytes(code, next_code)) {
        last = {next_code, static_cast<uint32_t>(next)};
        return last.project;
      }
    }
    if (std::optional<uint32_t> p = ledger.FindProject(code)) {
      last = {ledger.code(*p), *p};
      return p;
    }
    auto it = rejected.find(std::string(code));
    if (it != rejected.end()) {
      // Counted, and reported once per project and table at Build (lenient mode).
      it->second.dropped[static_cast<int>(t)].push_back(line);
      return std::nullopt;
    }
    Error(t, line, "code", Cat("unknown project code '", code, "' (not in ",
                                        table_name(Table::kProjects), ")"));
    return std::nullopt;
  }

  // A row's extra cells interned, appended to `ids`: one per extra header of the
  // table, 0 ("") past the row's last cell.
  // `values`: the record's extras (strings, or a monthly record's views).
  template <typename Values>
  void InternExtrasInto(Table t, const Values& values, std::vector<uint32_t>& ids) {
    const size_t n = extra_headers[static_cast<int>(t)].size();
    for (size_t i = 0; i < n; ++i) {
      ids.push_back(i < values.size() ? recent_extras[static_cast<int>(t)][i].Intern(Pool(t), values[i]) : 0);
    }
  }
  std::vector<uint32_t> InternExtras(Table t, const std::vector<std::string>& values) {
    std::vector<uint32_t> ids;
    InternExtrasInto(t, values, ids);
    return ids;
  }
  // Staged rows (funding, approvals, monthly rows) keep their extra cells' ids in one
  // list per table, one id per extra header a row (InternExtrasInto appends a row's):
  // row k's are staged[k * headers ..]. AppendStagedExtras gives row k's to the
  // ledger's extra columns when Build has sorted the rows.
  void AppendStagedExtras(Table t, const std::vector<uint32_t>& staged, size_t row) {
    std::vector<ExtraColumn>& cols = ledger.extras_[static_cast<int>(t)];
    for (size_t c = 0; c < cols.size(); ++c) cols[c].values.push_back(staged[row * cols.size() + c]);
  }
  // The extra cells of the table's rows so far, made `n` a row, for headers set again
  // after rows (SetExtraHeaders): a row keeps its cells by position, has none (0, "")
  // under a header past those it had, and loses for good those past the n-th. Each
  // table's cells are kept in their own way until Build: in the ledger's columns as
  // rows come (projects, plans.csv's rows), n a row in one staged list (funding,
  // approvals, monthly), or in the records (problems, baseline).
  void FitExtras(Table t, size_t n) {
    const size_t old = extra_headers[static_cast<int>(t)].size();
    if (old == n) return;
    auto restride = [&](std::vector<uint32_t>& staged, size_t rows) {
      std::vector<uint32_t> fitted(rows * n, 0);
      for (size_t r = 0; r < rows; ++r) {
        for (size_t c = 0; c < std::min(old, n); ++c) fitted[r * n + c] = staged[r * old + c];
      }
      staged = std::move(fitted);
    };
    switch (t) {
      case Table::kProjects:
      case Table::kPlans: {
        std::vector<ExtraColumn>& cols = ledger.extras_[static_cast<int>(t)];
        size_t rows = 0;
        if (!cols.empty()) {
          rows = cols[0].values.size();
        } else if (t == Table::kProjects) {
          rows = ledger.size();
        } else {
          rows = static_cast<size_t>(std::count_if(plans.begin(), plans.end(), [](const PlanRow& r) { return !r.from_projects; }));
        }
        cols.resize(n);
        for (ExtraColumn& c : cols) c.values.resize(rows, 0);
        break;
      }
      case Table::kFunding: restride(funding_extras, funding.size()); break;
      case Table::kApprovals: restride(approval_extras, ledger.approvals_.project.size()); break;
      // Only rows added while there were headers have cells (SlotExtras); with none
      // now, the slots' index to them goes too (SetExtraHeaders).
      case Table::kMonthly: restride(monthly_extras, old == 0 ? 0 : monthly_extras.size() / old); break;
      case Table::kProblems: DropExtrasPast(n, problems); break;
      case Table::kBaseline: DropExtrasPast(n, baseline); break;
    }
  }
  template <typename Record>
  static void DropExtrasPast(size_t n, std::vector<Record>& records) {
    for (Record& r : records) {
      if (r.extras.size() > n) r.extras.resize(n);
    }
  }
  void AppendExtras(Table t, const std::vector<std::string>& values) {
    std::vector<ExtraColumn>& cols = ledger.extras_[static_cast<int>(t)];
    std::vector<uint32_t> ids = InternExtras(t, values);
    for (size_t i = 0; i < cols.size(); ++i) cols[i].values.push_back(ids[i]);
  }

  // A new slot's index; its values are the caller's to set.
  size_t NewSlot() {
    if (slots == s_flags.size()) [[unlikely]] GrowSlots();
    return slots++;
  }
  // A slot for a month without a row (a gap in a project's run).
  void AppendSlot() { ClearSlot(NewSlot()); }
  // Slot i as a month without a row.
  void ClearSlot(size_t i) {
    s_investment[i] = 0;
    s_funds[i] = 0;
    s_reported[i] = kNoDay;
    s_progress[i] = 0;
    s_line[i] = 0;
    if (SlotExtras()) s_extras[i] = UINT32_MAX;
    s_problems[i] = 0;
    s_flags[i] = 0;
  }
  // Room for more slots, a chunk at a time: resizing gives every new slot a value,
  // so a column sized far ahead of its use would have the kernel fault in (and zero)
  // pages never used -- a reserve of 2*10^7 slots resized whole at the first row, and
  // doubled when a project's gaps took more slots than there were rows, touched 2 GB
  // for 0.8 GB of slots. Capacity grows by half when the reserve (ReserveMonthly) runs
  // out; a reallocation copies only the slots in use.
  [[gnu::noinline]] void GrowSlots() {
    constexpr size_t kChunk = size_t{1} << 16;
    // The columns' capacities differ a little (each is rounded to whole huge pages
    // of its own elements): the least is what all hold without reallocating.
    size_t capacity = SIZE_MAX;
    ForEachSlotColumn([&capacity](auto& column) { capacity = std::min(capacity, column.capacity()); });
    // A chunk, or the reserve's last slots when fewer are left: a small reserve
    // holds (a chunk past it reallocated every column at the first row).
    const size_t left = capacity > slots ? capacity - slots : 0;
    const size_t n = slots + (left > 0 && left < kChunk ? left : kChunk);
    if (n > capacity) {
      const size_t more = std::max(n, capacity + capacity / 2);
      ForEachSlotColumn([more](auto& column) { internal::ReserveHuge(column, more); });
    }
    ForEachSlotColumn([n](auto& column) { column.resize(n); });
  }
  void TrimSlots() {
    ForEachSlotColumn([this](auto& column) { column.resize(slots); });
  }
  // f(column) for each per-slot column: the one list of them (AppendSlot gives each
  // its own empty value).
  template <typename F>
  void ForEachSlotColumn(F f) {
    f(s_investment);
    f(s_funds);
    f(s_reported);
    f(s_progress);
    f(s_line);
    if (SlotExtras()) f(s_extras);
    f(s_problems);
    f(s_flags);
  }

  // f(column) for each column with one element per project that AddProject appends
  // to: the fields' own (the project-field table: the one list of them, the code's
  // among them; tags vary in number), what a national code tells, and the builder's
  // per-project bookkeeping.
  template <typename F>
  void ForEachProjectColumn(F f) {
    internal::ProjectColumns& c = ledger.projects_;
    for (const ProjectField& field : ProjectFields()) {
      std::visit(
          [&]<typename M>(M member) {
            if constexpr (!std::is_same_v<M, std::monostate>) {
              if (field.kind != FieldKind::kTags) f(c.*member);
            }
          },
          field.column);
    }
    f(c.code_form);
    f(c.code_year);
    f(project_line);
    f(m_first);
    f(m_begin);
    f(m_count);
  }

  // "second row for project 'P' and month 2024-05 (first at line 12)", at `line`.
  void SecondMonthRow(uint32_t p, int32_t month, int64_t line, int64_t first) {
    Error(Table::kMonthly, line, "month",
          Cat("second row for project '", ledger.code(p), "' and month ", Month::FromIndex(month).ToString(),
              " (first at line ", first, "); use 'duplicate_months=sum' to add them up"));
  }
  void SecondPlanRow(uint32_t p, int year, int64_t line, int64_t first) {
    Error(Table::kPlans, line, "year",
          Cat("second plan row for project '", ledger.code(p), "' and year ", year, " (first at line ", first, ")"));
  }
  // The groups of `dropped` by project and month (or year): group(project, when, its
  // rows in file order, the line of the group's kept row first in the file or 0 for
  // none -- kept_first(project, when)). Of a group's rows, kept or not, the first in
  // the file is the group's, and each dropped row after it is a second row:
  // second(project, when, line, first). group is told whether the first was dropped
  // (then its kept rows are second rows too) and the first's line. Empties `dropped`.
  template <typename KeptFirst, typename Second, typename Group>
  static void ForEachDroppedGroup(std::vector<DroppedRow>& dropped, KeptFirst kept_first, Second second, Group group) {
    std::sort(dropped.begin(), dropped.end(), [](const DroppedRow& a, const DroppedRow& b) {
      return std::tie(a.project, a.when, a.line) < std::tie(b.project, b.when, b.line);
    });
    for (size_t d = 0; d < dropped.size();) {
      const uint32_t p = dropped[d].project;
      const int32_t when = dropped[d].when;
      size_t end = d;
      while (end < dropped.size() && dropped[end].project == p && dropped[end].when == when) ++end;
      const int64_t kept = kept_first(p, when);
      const bool dropped_first = kept == 0 || dropped[d].line < kept;
      const int64_t first = dropped_first ? dropped[d].line : kept;
      for (size_t k = d; k < end; ++k) {
        if (dropped[k].line != first) second(p, when, dropped[k].line, first);
      }
      group(p, when, dropped_first, first);
      d = end;
    }
    dropped = {};
  }
  void CheckDroppedMonths();
  void CheckDroppedPlans(std::vector<uint32_t>& order);
  void BuildMonthly();
  void DropMonthlyRuns(const std::vector<uint32_t>& projects);
  void BuildRunningTotals(internal::MonthlyColumns& out);
  void BuildPlans();
  void BuildFunding();
  void BuildProblems();
  void BuildBaseline();
  void BuildApprovals();
  void ReportDroppedRows();
};

LedgerBuilder::LedgerBuilder(BuildOptions options) : s_(std::make_unique<State>()) {
  s_->options = std::move(options);
  for (const auto& [currency, rate_text] : s_->options.fx_rates) {
    if (absl::Status st = CheckFxRate(currency, rate_text); !st.ok()) {
      s_->Error(Table::kFunding, 0, "currency", std::string(st.message()));
      continue;
    }
    s_->fx[currency] = *ParseFxRate(rate_text);
  }
}
LedgerBuilder::~LedgerBuilder() = default;
LedgerBuilder::LedgerBuilder(LedgerBuilder&&) noexcept = default;
LedgerBuilder& LedgerBuilder::operator=(LedgerBuilder&&) noexcept = default;

void LedgerBuilder::SetExtraHeaders(Table table, std::vector<std::string> headers) {
  s_->FitExtras(table, headers.size());
  std::vector<ExtraColumn>& cols = s_->ledger.extras_[static_cast<int>(table)];
  cols.resize(headers.size());
  for (size_t c = 0; c < headers.size(); ++c) cols[c].header = headers[c];
  s_->recent_extras[static_cast<int>(table)].assign(headers.size(), internal::RecentStrings());
  if (State& s = *s_; table == Table::kMonthly && s.SlotExtras() != !headers.empty()) {
    // Slot extras come on (the slots given values so far had no extra cells) or go.
    std::vector<uint32_t>().swap(s.s_extras);
    if (!headers.empty()) {
      internal::ReserveHuge(s.s_extras, s.s_flags.capacity());
      s.s_extras.resize(s.s_flags.size(), UINT32_MAX);
    }
  }
  s_->extra_headers[static_cast<int>(table)] = std::move(headers);
}

void LedgerBuilder::ReserveMonthly(size_t rows) {
  // Slots are rows plus the months between a project's rows that have none: a little
  // headroom for those saves copying every slot when the reserve runs out (pages of
  // the reserve that are never written cost no memory; see GrowSlots).
  const size_t slots = rows + rows / 16;
  s_->ForEachSlotColumn([slots](auto& column) { internal::ReserveHuge(column, slots); });
}

void LedgerBuilder::ReserveProjects(size_t rows) {
  State& s = *s_;
  Ledger& l = s.ledger;
  s.ForEachProjectColumn([rows](auto& column) { ReserveMore(rows, column); });
  // tag_begin has one more entry; tags (tag_ids) vary in number.
  ReserveMore(rows + 1, l.projects_.tag_begin);
  l.codes_.Reserve(rows);
  ReserveMore(rows, l.code_to_project_);
}

void LedgerBuilder::ColumnsAhead(Table table, std::vector<ColumnMemory>* columns) const {
  columns->clear();
  State& s = *s_;  // the column lists only name the columns: `add` reads them
  auto add = [&](const auto& column, size_t per_row = 1) {
    columns->push_back(ColumnMemory{reinterpret_cast<uintptr_t>(column.data()), sizeof(column[0]), column.size(),
                                    column.capacity(), per_row});
  };
  if (table == Table::kMonthly) s.ForEachSlotColumn(add);  // sized ahead of the slots in use (GrowSlots)
  if (table != Table::kProjects) return;
  s.ForEachProjectColumn(add);
  // Each project's code, its name and the texts not seen before go to the pools: the
  // rest of the current chunk of each, and their views by id, about as much a
  // project as so far.
  Ledger& l = s.ledger;
  const size_t projects = std::max<size_t>(1, l.projects_.code.size());
  add(l.code_to_project_);
  for (const internal::StringPool* pool : {&l.codes_, &l.strings_}) {
    add(pool->views(), (pool->views().size() + projects - 1) / projects);
    const internal::StringArena& a = pool->arena();
    columns->push_back(ColumnMemory{reinterpret_cast<uintptr_t>(a.tail()), 1, a.tail_used(), a.tail_size(),
                                    std::max<size_t>(1, (a.stored_bytes() + projects - 1) / projects)});
  }
}

void LedgerBuilder::ReserveRows(Table table, size_t rows) {
  State& s = *s_;
  switch (table) {
    case Table::kProjects: ReserveProjects(rows); break;
    case Table::kMonthly: ReserveMonthly(s.slots + rows); break;
    case Table::kFunding: ReserveMore(rows, s.funding, s.funding_project); break;
    case Table::kPlans: ReserveMore(rows, s.plans); break;
    case Table::kProblems: ReserveMore(rows, s.problems, s.problem_project); break;
    case Table::kBaseline: break;  // a few rows
    case Table::kApprovals: {
      internal::ApprovalColumns& a = s.ledger.approvals_;
      ReserveMore(rows, s.approval_line, a.project, a.item, a.required, a.planned_on, a.done_on, a.authority,
                  a.document_no);
      break;
    }
  }
}

void LedgerBuilder::Report(Diagnostic diagnostic) {
  std::lock_guard<std::mutex> lock(s_->diagnostics_mu);
  s_->errors = true;
  s_->diagnostics.push_back(std::move(diagnostic));
}

const Diagnostics& LedgerBuilder::diagnostics() const { return s_->diagnostics; }
bool LedgerBuilder::has_errors() const { return s_->errors; }

bool LedgerBuilder::AddProject(const ProjectRecord& r, UnreadFields unread) {
  State& s = *s_;
  const State::Reading reading(s, Table::kProjects, unread);
  const size_t errors_before = s.ErrorCount(Table::kProjects);
  auto error = [&](std::string_view field, std::string reason) {
    s.Error(Table::kProjects, r.line, field, std::move(reason));
  };

  for (const ProjectField& f : ProjectFields()) {
    if (f.required && (f.kind == FieldKind::kCode || f.kind == FieldKind::kText) &&
        (r.*RecordMemberAs<std::string>(f)).empty()) {
      error(f.id, "required");
    }
  }
  if (!r.code.empty()) {
    if (std::optional<uint32_t> first = s.ledger.FindProject(r.code)) {
      error("code", Cat("duplicate project code '", r.code, "' (first at line ",
                                 s.project_line[*first], ")"));
    } else if (auto it = s.rejected.empty() ? s.rejected.end() : s.rejected.find(r.code); it != s.rejected.end()) {
      // (Most ledgers refuse no project: no code is hashed for an empty map.)
      error("code", Cat("duplicate project code '", r.code, "' (first at line ",
                                 it->second.line, ")"));
    }
  }
  // Project numbers are 32-bit and UINT32_MAX means "none" (docs/limits.md): about
  // 3 TB of ledger, far past any machine, but refused rather than wrapped.
  if (s.ledger.projects_.code.size() >= size_t{UINT32_MAX} - 1) {
    error("code", Cat("the ledger already holds ", s.ledger.projects_.code.size(),
                      " projects, the most keyproj can number (32-bit project numbers)"));
  }
  absl::StatusOr<ProjectCodeInfo> code_info = ParseProjectCode(r.code);
  if (!code_info.ok()) error("code", std::string(code_info.status().message()));
  // The record is the caller's (read only): what the builder fills in is kept here
  // and written over its columns' cells below.
  int32_t region = r.region;
  if (code_info.ok() && code_info->form != ProjectCodeForm::kLocal && region == 0) {
    region = code_info->region;  // the national code fills an empty region
  }
  if (region != 0 && (region < 100000 || region > 999999 || !IsProvinceCode(region / 10000))) {
    error("region", Cat("division code ", region, " names no province"));
  }
  for (const ProjectField& f : ProjectFields()) {
    if (f.kind != FieldKind::kMoney) continue;
    const std::optional<Money>& m = r.*RecordMemberAs<std::optional<Money>>(f);
    if (m && m->fen() < 0) error(f.id, "negative amount not allowed here");
  }
  if (r.annual_plan && !r.plan_year) error("plan_year", "annual_plan is given without plan_year");
  if (r.plan_year && (*r.plan_year < 1900 || *r.plan_year > 9999)) {
    error("plan_year", Cat("year ", *r.plan_year, " out of range"));
  }
  if (r.planned_start && r.planned_completion && *r.planned_completion < *r.planned_start) {
    error("planned_completion", Cat("planned_completion ", r.planned_completion->ToString(),
                                             " is before planned_start ",
                                             r.planned_start->ToString()));
  }
  // An unread attracted cell is checked as yes, which forbids nothing: "not
  // attracted" would be a guess. (An unread stage is derived from the dates.)
  const bool attracted = r.attracted == Attracted::kYes || s.Unread(Table::kProjects, "attracted");
  const Stage stage = r.stage == Stage::kUnknown ? StageFromDates(r.dates, attracted) : r.stage;
  for (StageDateProblem& p : CheckStageDates(stage, r.dates, attracted)) {
    error(p.column, std::move(p.reason));
  }

  if (s.ErrorCount(Table::kProjects) != errors_before || !unread.empty()) {
    if (!r.code.empty() && !s.ledger.FindProject(r.code)) {
      s.rejected.try_emplace(r.code, State::Rejected{r.line});
      // A code refused for its small letters (5yc1ju) is most likely the one the other
      // files write in capitals: their rows are that rejected project's, not of an
      // "unknown project code" (a black-box tester's find).
      std::string upper(r.code);
      for (char& ch : upper) ch = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
      if (upper != r.code && !s.ledger.FindProject(upper)) s.rejected.try_emplace(upper, State::Rejected{r.line});
    }
    return false;
  }

  Ledger& l = s.ledger;
  internal::ProjectColumns& c = l.projects_;
  const auto p = static_cast<uint32_t>(c.code.size());
  const uint32_t code_id = l.codes_.Intern(r.code);
  if (l.code_to_project_.size() <= code_id) l.code_to_project_.resize(code_id + 1, UINT32_MAX);
  l.code_to_project_[code_id] = p;
  s.project_line.push_back(r.line);
  // The key and what a national code tells; every other field as its kind says.
  c.code.push_back(code_id);
  c.code_form.push_back(code_info.ok() ? code_info->form : ProjectCodeForm::kLocal);
  c.code_year.push_back(static_cast<int16_t>(code_info.ok() ? code_info->year : 0));
  internal::AppendProjectFields(r, c, l.strings_, s.recent_project);
  c.region.back() = region;
  c.stage.back() = stage;
  s.AppendExtras(Table::kProjects, r.extras);

  s.m_first.push_back(kNoMonth);
  s.m_begin.push_back(0);
  s.m_count.push_back(0);
  if (r.annual_plan && r.plan_year) {
    s.plans.push_back(PlanRow{p, static_cast<int16_t>(*r.plan_year), r.annual_plan->fen(), r.line, true});
  }
  return true;
}

bool LedgerBuilder::AddMonthly(const MonthlyRecord& r, UnreadFields unread) {
  State& s = *s_;
  const State::Reading reading(s, Table::kMonthly, unread);
  // Rows come grouped by project: most rows name the project of the row before.
  std::optional<uint32_t> project;
  if (s.open_project >= 0 && SameBytes(r.code, s.open_code)) {
    project = static_cast<uint32_t>(s.open_project);
  } else {
    project = s.Resolve(Table::kMonthly, r.line, r.code);
  }
  // (An unread month is the record's default, before any date: nothing to check.)
  bool ok = project.has_value() && unread.empty();
  if (r.funds_arrived && r.funds_arrived->fen() < 0) {
    s.Error(Table::kMonthly, r.line, "funds_arrived", "negative amount not allowed here");
    ok = false;
  }
  if (r.month > Month::FromYm(kLastMonthlyYear, 12)) {  // one compare on the hot path
    // Monthly reports are of months that have happened; a far one is a typo (2204-09),
    // and would also cost every project of its block of the running totals 16 bytes
    // for each month up to it (docs/ledger.md, "The Ledger in memory").
    s.Error(Table::kMonthly, r.line, "month",
            Cat("month ", r.month.ToString(), " is after ", kLastMonthlyYear, "-12, the last a ledger's monthly "
                "reports may have (a typo?)"));
    ok = false;
  }
  if (r.reported_on && r.reported_on->days() < internal::civil::FirstDayOfMonthFast(r.month.index())) {
    s.Error(Table::kMonthly, r.line, "reported_on",
            Cat("reported_on ", r.reported_on->ToString(), " is before the month ",
                         r.month.ToString(), " it reports on"));
    ok = false;
  }
  if (!ok) {
    // (A month past the last a ledger may have has no slot to share.)
    if (project && s.options.duplicate_months == DuplicateMonths::kError && !s.Unread(Table::kMonthly, "month") &&
        r.month <= Month::FromYm(kLastMonthlyYear, 12)) {
      s.monthly_dropped.push_back(State::DroppedRow{*project, r.month.index(), r.line});
    }
    return false;
  }

  const uint32_t p = *project;
  uint32_t extras_row = UINT32_MAX;
  if (s.SlotExtras()) {
    extras_row = static_cast<uint32_t>(s.monthly_extras.size() / s.extra_headers[static_cast<int>(Table::kMonthly)].size());
    s.InternExtrasInto(Table::kMonthly, r.extras, s.monthly_extras);
  }
  uint8_t flags = kHasRow;
  if (r.investment) flags |= kInvestmentKnown;
  if (r.funds_arrived) flags |= kFundsKnown;
  const uint32_t progress = s.recent_progress.Intern(s.monthly_strings, r.progress);
  const int32_t m = r.month.index();

  // Fast path: rows arrive grouped by project in month order (how monthly.csv is
  // written and generated), so slots are appended in place. Anything else is kept
  // aside and merged by Build().
  const bool fresh = s.m_first[p] == kNoMonth;
  const bool extends_open = static_cast<int64_t>(p) == s.open_project &&
                            m > s.m_first[p] + static_cast<int32_t>(s.m_count[p]) - 1;
  if (fresh || extends_open) {
    if (fresh) {
      s.open_project = p;
      s.open_code = s.ledger.code(p);
      s.m_first[p] = m;
      s.m_begin[p] = s.slots;
    }
    const int32_t want = m - s.m_first[p] + 1;
    while (static_cast<int32_t>(s.m_count[p]) < want - 1) {  // months without a row
      s.AppendSlot();
      ++s.m_count[p];
    }
    const size_t i = s.NewSlot();
    ++s.m_count[p];
    s.s_investment[i] = r.investment ? r.investment->fen() : 0;
    s.s_funds[i] = r.funds_arrived ? r.funds_arrived->fen() : 0;
    s.s_reported[i] = DayOr(r.reported_on);
    s.s_progress[i] = progress;
    s.s_line[i] = static_cast<uint32_t>(r.line);
    if (s.SlotExtras()) s.s_extras[i] = extras_row;
    s.s_problems[i] = r.problems;
    s.s_flags[i] = flags;
    return true;
  }
  // Rows out of order (a shuffled monthly.csv) can be nearly all of them: grown here
  // so the storage is advised (huge_pages.h) as the slots' is.
  if (s.pending.size() == s.pending.capacity()) {
    internal::ReserveHuge(s.pending, std::max<size_t>(1024, s.pending.size() * 2));
  }
  s.pending.push_back(PendingMonthly{p, m, r.investment ? r.investment->fen() : 0,
                                     r.funds_arrived ? r.funds_arrived->fen() : 0,
                                     DayOr(r.reported_on), progress, static_cast<uint32_t>(r.line),
                                     r.problems, flags, extras_row});
  return true;
}

bool LedgerBuilder::AddFunding(const FundingRecord& r, UnreadFields unread) {
  State& s = *s_;
  const State::Reading reading(s, Table::kFunding, unread);
  const size_t before = s.ErrorCount(Table::kFunding);
  std::optional<uint32_t> p = s.Resolve(Table::kFunding, r.line, r.code);
  auto error = [&](std::string_view field, std::string reason) {
    s.Error(Table::kFunding, r.line, field, std::move(reason));
  };
  if (r.year < 1900 || r.year > 9999) error("year", Cat("year ", r.year, " out of range"));
  if (r.source == FundingSource::kUnknown) error("source", "required");
  for (auto [m, field] : {std::pair{&r.requested, "requested"}, std::pair{&r.approved, "approved"},
                          std::pair{&r.arrived, "arrived"}}) {
    if (*m && (*m)->fen() < 0) error(field, "negative amount not allowed here");
  }
  // Amounts in yuan, converted here so that an amount out of range once converted
  // rejects the row like any other bad amount (a row is loaded whole or not at all).
  const bool foreign = !r.currency.empty() && r.currency != "CNY";
  FundingRow row{FenOr(r.requested), FenOr(r.approved), FenOr(r.arrived), 0, UINT32_MAX,
                 static_cast<int16_t>(r.year), r.source};
  if (foreign) {
    if (auto rate = s.fx.find(r.currency); rate == s.fx.end()) {
      error("currency", Cat("currency ", r.currency, " needs an exchange rate ('fx_rates=",
                                     r.currency, "=RATE')"));
    } else {
      for (auto [m, field, out] : {std::tuple{&r.requested, "requested", &row.requested},
                                   std::tuple{&r.approved, "approved", &row.approved},
                                   std::tuple{&r.arrived, "arrived", &row.arrived}}) {
        if (!*m) continue;
        if (std::optional<int64_t> v = Convert((*m)->fen(), rate->second)) {
          *out = *v;
        } else {
          error(field, Cat((*m)->ToWanString(), " ", r.currency, " is out of range once converted to yuan"));
        }
      }
    }
  }
  if (!p || s.ErrorCount(Table::kFunding) != before || !unread.empty()) return false;
  s.funding_project.push_back(*p);
  if (foreign) {
    row.currency = s.ledger.strings_.Intern(r.currency);
    row.original = static_cast<uint32_t>(s.funding_original.size());
    s.funding_original.push_back({FenOr(r.requested), FenOr(r.approved), FenOr(r.arrived)});
  }
  s.InternExtrasInto(Table::kFunding, r.extras, s.funding_extras);
  s.funding.push_back(row);
  return true;
}

bool LedgerBuilder::AddPlan(const PlanRecord& r, UnreadFields unread) {
  State& s = *s_;
  const State::Reading reading(s, Table::kPlans, unread);
  const size_t before = s.ErrorCount(Table::kPlans);
  std::optional<uint32_t> p = s.Resolve(Table::kPlans, r.line, r.code);
  if (r.year < 1900 || r.year > 9999) {
    s.Error(Table::kPlans, r.line, "year", Cat("year ", r.year, " out of range"));
  }
  if (r.planned.fen() < 0) s.Error(Table::kPlans, r.line, "planned", "negative amount not allowed here");
  if (!p || s.ErrorCount(Table::kPlans) != before || !unread.empty()) {
    if (p && !s.Unread(Table::kPlans, "year") && r.year >= 1900 && r.year <= 9999) {
      s.plans_dropped.push_back(State::DroppedRow{*p, r.year, r.line});
    }
    return false;
  }
  s.plans.push_back(PlanRow{*p, static_cast<int16_t>(r.year), r.planned.fen(), r.line, false});
  if (!s.extra_headers[static_cast<int>(Table::kPlans)].empty()) {
    s.AppendExtras(Table::kPlans, r.extras);  // rows keep arrival order; see BuildPlans
  }
  return true;
}

bool LedgerBuilder::AddProblem(ProblemRecord r, UnreadFields unread) {
  State& s = *s_;
  const State::Reading reading(s, Table::kProblems, unread);
  const size_t before = s.ErrorCount(Table::kProblems);
  std::optional<uint32_t> p = s.Resolve(Table::kProblems, r.line, r.code);
  auto error = [&](std::string_view field, std::string reason) {
    s.Error(Table::kProblems, r.line, field, std::move(reason));
  };
  if (r.id.empty()) {
    error("id", "required");
  } else if (auto [it, inserted] = s.problem_ids.try_emplace(r.id, r.line); !inserted) {
    error("id", Cat("duplicate problem id '", r.id, "' (first at line ", it->second, ")"));
  }
  if (r.kind == ProblemKind::kUnknown) error("kind", "required");
  if (r.raised_on && r.resolved_on && *r.resolved_on < *r.raised_on) {
    error("resolved_on", Cat("resolved_on ", r.resolved_on->ToString(),
                                      " is before raised_on ", r.raised_on->ToString()));
  }
  if (r.raised_on && r.due && *r.due < *r.raised_on) {
    error("due", Cat("due ", r.due->ToString(), " is before raised_on ",
                              r.raised_on->ToString()));
  }
  if (!p || s.ErrorCount(Table::kProblems) != before || !unread.empty()) return false;
  s.problem_project.push_back(*p);
  r.code = std::string();  // the row's project is kept by number: its copy of the code is not
  s.problems.push_back(std::move(r));
  return true;
}

void LedgerBuilder::Prefetch(const ProjectRecord& r) const {
  const State& s = *s_;
  s.ledger.codes_.Prefetch(r.code);  // FindProject, then Intern
  internal::PrefetchProjectFields(r, s.ledger.strings_, s.recent_project);
}

void LedgerBuilder::Prefetch(const ApprovalRecord& r) const {
  const State& s = *s_;
  s.recent_authority.Prefetch(s.ledger.strings_, r.authority);
  s.recent_document_no.Prefetch(s.ledger.strings_, r.document_no);
}

bool LedgerBuilder::AddApproval(const ApprovalRecord& r, UnreadFields unread) {
  State& s = *s_;
  const State::Reading reading(s, Table::kApprovals, unread);
  const size_t before = s.ErrorCount(Table::kApprovals);
  std::optional<uint32_t> p = s.Resolve(Table::kApprovals, r.line, r.code);
  auto error = [&](std::string_view field, std::string reason) {
    s.Error(Table::kApprovals, r.line, field, std::move(reason));
  };
  if (r.item == ApprovalItem::kUnknown) error("item", "required");
  bool marked = false;  // this row set its project's bit for its item
  if (p && r.item != ApprovalItem::kUnknown && r.item != ApprovalItem::kOther) {
    if (s.approval_seen.size() <= *p) s.approval_seen.resize(s.ledger.size(), 0);
    const auto bit = static_cast<uint16_t>(1u << static_cast<unsigned>(r.item));
    if ((s.approval_seen[*p] & bit) != 0) {
      error("item", Cat("a second row for item ", EnumId(r.item), " of project '", r.code, "' (first at line ",
                        s.FirstApprovalLine(*p, r.item), ")"));
    } else {
      s.approval_seen[*p] |= bit;
      marked = true;
      if (s.approval_items_built) s.approval_items.try_emplace(std::pair(*p, r.item), r.line);
    }
  }
  if (p && r.done_on) {
    const int32_t reserved = s.ledger.projects_.reserved_on[*p];
    if (reserved != kNoDay && r.done_on->days() < reserved) {
      error("done_on", Cat("done_on ", r.done_on->ToString(), " is before the project's reserved_on ",
                           Date::FromDays(reserved).ToString()));
    }
  }
  if (!p || s.ErrorCount(Table::kApprovals) != before || !unread.empty()) {
    if (marked) s.approval_seen_dropped.emplace_back(*p, r.item, r.line);
    return false;
  }
  s.InternExtrasInto(Table::kApprovals, r.extras, s.approval_extras);
  internal::ApprovalColumns& a = s.ledger.approvals_;
  a.authority.push_back(s.recent_authority.Intern(s.ledger.strings_, r.authority));
  a.document_no.push_back(s.recent_document_no.Intern(s.ledger.strings_, r.document_no));
  a.project.push_back(*p);
  a.item.push_back(r.item);
  a.required.push_back(r.required ? 1 : 0);
  a.planned_on.push_back(DayOr(r.planned_on));
  a.done_on.push_back(DayOr(r.done_on));
  s.approval_line.push_back(r.line);
  return true;
}

bool LedgerBuilder::AddBaseline(BaselineRecord r, UnreadFields unread) {
  State& s = *s_;
  const State::Reading reading(s, Table::kBaseline, unread);
  const size_t before = s.ErrorCount(Table::kBaseline);
  if (std::find(std::begin(kBaselineDimensions), std::end(kBaselineDimensions), r.dimension) ==
      std::end(kBaselineDimensions)) {
    std::string accepted;
    for (std::string_view d : kBaselineDimensions) Append(&accepted, accepted.empty() ? "" : ", ", d);
    s.Error(Table::kBaseline, r.line, "dimension",
            Cat("unknown dimension '", r.dimension, "' (accepted: ", accepted, ")"));
  } else if (r.dimension == "all" && !r.key.empty()) {
    s.Error(Table::kBaseline, r.line, "key", "dimension 'all' takes no key");
  } else if (r.dimension != "all" && r.key.empty()) {
    s.Error(Table::kBaseline, r.line, "key", Cat("dimension '", r.dimension, "' needs a key"));
  } else if (r.dimension != "all") {
    std::string why;
    if (std::optional<std::string> key = BaselineGroupKey(r.dimension, r.key, &why)) {
      r.key = *std::move(key);
    } else {
      s.Error(Table::kBaseline, r.line, "key", why);
    }
  }
  // Which base the row gives: known when its month, dimension and key were read.
  const bool placed = s.ErrorCount(Table::kBaseline) == before && !s.Unread(Table::kBaseline, "month") &&
                      !s.Unread(Table::kBaseline, "dimension") && !s.Unread(Table::kBaseline, "key");
  if (r.investment.fen() < 0) {
    s.Error(Table::kBaseline, r.line, "investment", "negative amount not allowed here");
  }
  if (placed) {
    for (const State::BaseSeen& b : s.baseline_seen) {
      if (b.month == r.month && b.dimension == r.dimension && b.key == r.key) {
        s.Error(Table::kBaseline, r.line, "month",
                Cat("duplicate base for ", r.month.ToString(), " ", r.dimension,
                    r.key.empty() ? "" : Cat(" ", r.key), " (first at line ", b.line, ")"));
        break;
      }
    }
    s.baseline_seen.push_back(State::BaseSeen{r.month, r.dimension, r.key, r.line});
  }
  if (s.ErrorCount(Table::kBaseline) != before || !unread.empty()) return false;
  s.baseline.push_back(std::move(r));
  return true;
}

// Lays the monthly slots out in project order, merges rows that arrived out of
// order, and turns month figures into per-project running totals.
void LedgerBuilder::State::BuildMonthly() {
  const auto n = static_cast<uint32_t>(m_first.size());
  internal::MonthlyColumns& out = ledger.monthly_;
  TrimSlots();
  // The texts' ids in the ledger's pool (MonthlyStringIds) for monthly_strings' own.
  for (size_t i = 0; i < slots; ++i) s_progress[i] = monthly_ids[s_progress[i]];
  for (PendingMonthly& r : pending) r.progress = monthly_ids[r.progress];
  for (uint32_t& id : monthly_extras) id = monthly_ids[id];
  monthly_ids = {};

  if (!monthly_dropped.empty()) CheckDroppedMonths();
  // Is the arrival layout already in project order with nothing pending (and no slot
  // left out of its run)?
  bool in_order = pending.empty() && !runs_cut;
  for (uint64_t next = 0, p = 0; in_order && p < n; ++p) {
    if (m_count[p] == 0) continue;
    in_order = m_begin[p] == next;
    next = m_begin[p] + m_count[p];
  }

  if (!in_order) {
    // Widen each project's run to cover its pending months.
    std::vector<int32_t> first = m_first;
    std::vector<int32_t> last(n);
    for (uint32_t p = 0; p < n; ++p) {
      last[p] = first[p] == kNoMonth ? kNoMonth : first[p] + static_cast<int32_t>(m_count[p]) - 1;
    }
    std::sort(pending.begin(), pending.end(), [](const PendingMonthly& a, const PendingMonthly& b) {
      return std::tie(a.project, a.month, a.line) < std::tie(b.project, b.month, b.line);
    });
    for (const PendingMonthly& r : pending) {
      if (first[r.project] == kNoMonth) {
        first[r.project] = r.month;
        last[r.project] = r.month;
      }
      first[r.project] = std::min(first[r.project], r.month);
      last[r.project] = std::max(last[r.project], r.month);
    }
    std::vector<uint64_t> begin(n + 1, 0);
    for (uint32_t p = 0; p < n; ++p) {
      begin[p + 1] = begin[p] + (first[p] == kNoMonth ? 0 : static_cast<uint64_t>(last[p] - first[p] + 1));
    }
    const uint64_t total = begin[n];
    std::vector<int64_t> inv, funds;
    std::vector<int32_t> reported;
    std::vector<uint32_t> progress, line, extras;
    std::vector<ProblemSet> problems;
    std::vector<uint8_t> flags;
    internal::AssignHuge(inv, total, int64_t{0});
    internal::AssignHuge(funds, total, int64_t{0});
    internal::AssignHuge(reported, total, kNoDay);
    internal::AssignHuge(progress, total, uint32_t{0});
    internal::AssignHuge(line, total, uint32_t{0});
    if (SlotExtras()) internal::AssignHuge(extras, total, UINT32_MAX);
    internal::AssignHuge(problems, total, ProblemSet{0});
    internal::AssignHuge(flags, total, uint8_t{0});
    for (uint32_t p = 0; p < n; ++p) {
      for (uint32_t k = 0; k < m_count[p]; ++k) {
        const uint64_t from = m_begin[p] + k;
        const uint64_t to = begin[p] + static_cast<uint64_t>(m_first[p] - first[p]) + k;
        inv[to] = s_investment[from];
        funds[to] = s_funds[from];
        reported[to] = s_reported[from];
        progress[to] = s_progress[from];
        line[to] = s_line[from];
        if (SlotExtras()) extras[to] = s_extras[from];
        problems[to] = s_problems[from];
        flags[to] = s_flags[from];
      }
    }
    for (const PendingMonthly& r : pending) {
      const uint64_t i = begin[r.project] + static_cast<uint64_t>(r.month - first[r.project]);
      if (flags[i] & kHasRow) {
        if (options.duplicate_months == DuplicateMonths::kError) {
          SecondMonthRow(r.project, r.month, r.line, line[i]);
          continue;
        }
        // kSum: the figures add; the later row's report date and text win.
        bool overflow = __builtin_add_overflow(inv[i], r.investment, &inv[i]);
        overflow |= __builtin_add_overflow(funds[i], r.funds, &funds[i]);
        if (overflow) {
          if (sum_overflow.empty()) sum_overflow.assign(n, 0);
          sum_overflow[r.project] = 1;
        }
        flags[i] |= r.flags;
        problems[i] |= r.problems;
        if (r.reported_on != kNoDay) reported[i] = std::max(reported[i], r.reported_on);
        if (r.progress != 0) progress[i] = r.progress;
        continue;
      }
      inv[i] = r.investment;
      funds[i] = r.funds;
      reported[i] = r.reported_on;
      progress[i] = r.progress;
      line[i] = r.line;
      if (SlotExtras()) extras[i] = r.extras_row;
      problems[i] = r.problems;
      flags[i] = r.flags;
    }
    m_first = std::move(first);
    m_begin.assign(begin.begin(), begin.end() - 1);
    for (uint32_t p = 0; p < n; ++p) m_count[p] = static_cast<uint32_t>(begin[p + 1] - begin[p]);
    s_investment = std::move(inv);
    s_funds = std::move(funds);
    s_reported = std::move(reported);
    s_progress = std::move(progress);
    s_line = std::move(line);
    s_extras = std::move(extras);
    s_problems = std::move(problems);
    s_flags = std::move(flags);
    pending.clear();
  }

  // Running totals per project, checked for overflow. A project whose figures add
  // up beyond the range of amounts keeps none of its months (any total through a
  // later month would be wrong); the error lists the rows left out.
  std::vector<uint32_t> overflowed;
  for (uint32_t p = 0; p < n; ++p) {
    int64_t inv = 0, funds = 0;
    bool overflow = false;
    for (uint64_t i = m_begin[p], e = m_begin[p] + m_count[p]; i < e; ++i) {
      overflow |= __builtin_add_overflow(inv, s_investment[i], &inv);
      overflow |= __builtin_add_overflow(funds, s_funds[i], &funds);
      s_investment[i] = inv;
      s_funds[i] = funds;
    }
    if (overflow || (!sum_overflow.empty() && sum_overflow[p])) overflowed.push_back(p);
  }
  if (!overflowed.empty()) DropMonthlyRuns(overflowed);

  // Runs are now contiguous in project order: p's ends where p + 1's begins.
  out.slot_begin.resize(n + 1);
  out.first_month.resize(n);
  uint64_t next = 0;
  for (uint32_t p = 0; p < n; ++p) {
    out.slot_begin[p] = next;
    out.first_month[p] = m_count[p] ? m_first[p] : 0;
    next += m_count[p];
  }
  out.slot_begin[n] = next;
  BuildRunningTotals(out);
  s_investment = {};
  s_funds = {};
  // Growth past the reserve leaves up to half again of spare capacity; a built ledger
  // keeps none. A little (ReserveMonthly's headroom, GrowSlots' last chunk) is not
  // worth copying every slot for: its pages, never written, are not in memory.
  if (MuchSpare(s_flags)) {
    s_reported.shrink_to_fit();
    s_progress.shrink_to_fit();
    s_problems.shrink_to_fit();
    s_flags.shrink_to_fit();
  }
  out.reported_on = std::move(s_reported);
  out.progress = std::move(s_progress);
  out.problems = std::move(s_problems);
  out.flags = std::move(s_flags);

  std::vector<ExtraColumn>& extras = ledger.extras_[static_cast<int>(Table::kMonthly)];
  for (size_t c = 0; c < extras.size(); ++c) {
    extras[c].values.assign(out.flags.size(), 0);
    for (size_t i = 0; i < out.flags.size(); ++i) {
      if (s_extras[i] != UINT32_MAX) extras[c].values[i] = monthly_extras[size_t{s_extras[i]} * extras.size() + c];
    }
  }
  s_line = {};
  s_extras = {};
  monthly_extras = {};
  monthly_strings = internal::StringPool();
}

// Leaves out every monthly row of `projects` (ascending), whose figures add up beyond
// the range of amounts: one error each, listing the rows' lines. Runs are contiguous
// in project order here, so the later runs move down over the removed ones.
void LedgerBuilder::State::DropMonthlyRuns(const std::vector<uint32_t>& projects) {
  const auto n = static_cast<uint32_t>(m_first.size());
  for (uint32_t p : projects) {
    std::vector<int64_t> lines;
    for (uint64_t i = m_begin[p], e = m_begin[p] + m_count[p]; i < e; ++i) {
      if (s_flags[i] & kHasRow) lines.push_back(s_line[i]);
    }
    Error(Table::kMonthly, lines.empty() ? 0 : *std::min_element(lines.begin(), lines.end()), "investment",
          Cat("project '", ledger.code(p), "': its monthly figures add up beyond the range of amounts, so its ",
              lines.size(), lines.size() == 1 ? " row was" : " rows were", " not loaded (", LineList(lines), ")"));
  }
  uint64_t to = 0;
  size_t k = 0;
  for (uint32_t p = 0; p < n; ++p) {
    if (k < projects.size() && projects[k] == p) {
      ++k;
      m_first[p] = kNoMonth;
      m_begin[p] = to;
      m_count[p] = 0;
      continue;
    }
    const uint64_t from = m_begin[p];
    m_begin[p] = to;
    for (uint32_t j = 0; j < m_count[p]; ++j, ++to) {
      s_investment[to] = s_investment[from + j];
      s_funds[to] = s_funds[from + j];
      s_reported[to] = s_reported[from + j];
      s_progress[to] = s_progress[from + j];
      s_line[to] = s_line[from + j];
      if (SlotExtras()) s_extras[to] = s_extras[from + j];
      s_problems[to] = s_problems[from + j];
      s_flags[to] = s_flags[from + j];
    }
  }
  ForEachSlotColumn([to](auto& column) { column.resize(to); });
}

// Lays the per-slot running totals out month-major, block by block (ledger.h,
// internal::MonthlyColumns::total_blocks). Slots are in project order already.
void LedgerBuilder::State::BuildRunningTotals(internal::MonthlyColumns& out) {
  const auto n = static_cast<uint32_t>(m_first.size());
  const uint32_t blocks = (n + kTotalsBlockSize - 1) / kTotalsBlockSize;
  out.total_blocks.assign(blocks, TotalsBlock{});
  uint64_t cells = 0;
  for (uint32_t b = 0; b < blocks; ++b) {
    const uint32_t first = b * kTotalsBlockSize, end = first + TotalsBlockWidth(n, b);
    int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
    for (uint32_t p = first; p < end; ++p) {
      if (m_count[p] == 0) continue;
      lo = std::min(lo, m_first[p]);
      hi = std::max(hi, m_first[p] + static_cast<int32_t>(m_count[p]) - 1);
    }
    TotalsBlock& block = out.total_blocks[b];
    block.offset = cells;
    if (lo > hi) continue;
    block.first_month = lo;
    block.months = hi - lo + 1;
    cells += static_cast<uint64_t>(block.months) * (end - first);
  }
  // The two totals are filled apart, each on its own thread for a big ledger: most of
  // the time is the first writes to fresh memory, which the threads share out.
  auto fill = [&](internal::Column<int64_t>& cum, const std::vector<int64_t>& running) {
    internal::AssignHuge(cum, cells, int64_t{0});
    for (uint32_t b = 0; b < blocks; ++b) {
      const TotalsBlock& block = out.total_blocks[b];
      const uint32_t first = b * kTotalsBlockSize, width = TotalsBlockWidth(n, b);
      for (uint32_t i = 0; i < width; ++i) {
        const uint32_t p = first + i;
        if (m_count[p] == 0) continue;
        // Zero before the project's first month (already), its own figures over its
        // run, then its last figure to the end of the block's months.
        const auto lead = static_cast<uint64_t>(m_first[p] - block.first_month);
        const uint64_t from = out.slot_begin[p];
        for (uint64_t k = lead; k < static_cast<uint64_t>(block.months); ++k) {
          cum[block.offset + k * width + i] = running[from + std::min<uint64_t>(k - lead, m_count[p] - 1)];
        }
      }
    }
  };
  RunTogether(Parallel(cells), [&] { fill(out.cum_investment, s_investment); }, [&] { fill(out.cum_funds, s_funds); });
}

// A plans.csv row left out for another error keeps its place in the one-row-a-year
// rule: of a project's plans.csv rows for a year, kept or not, the first in the file
// is the year's and every later one is a second row. When the first was left out,
// the kept rows after it are errors too, and leave `order` (the rows by project and
// year, each group in file order). projects.csv's annual_plan is not a plans.csv row:
// it is compared with the kept row, as before.
void LedgerBuilder::State::CheckDroppedPlans(std::vector<uint32_t>& order) {
  // The group's rows in `order` (sorted by project and year).
  auto rows_of = [&](uint32_t p, int year) {
    const std::pair<uint32_t, int> want(p, year);
    auto key = [&](uint32_t i) { return std::pair<uint32_t, int>(plans[i].project, plans[i].year); };
    const auto lo = std::partition_point(order.begin(), order.end(), [&](uint32_t i) { return key(i) < want; });
    return std::span<const uint32_t>(lo, std::partition_point(lo, order.end(), [&](uint32_t i) { return key(i) == want; }));
  };
  std::vector<char> cut(plans.size(), 0);
  bool any_cut = false;
  ForEachDroppedGroup(
      plans_dropped,
      [&](uint32_t p, int year) {
        int64_t first = 0;
        for (uint32_t i : rows_of(p, year)) {
          if (!plans[i].from_projects && (first == 0 || plans[i].line < first)) first = plans[i].line;
        }
        return first;
      },
      [&](uint32_t p, int year, int64_t line, int64_t first) { SecondPlanRow(p, year, line, first); },
      [&](uint32_t p, int year, bool dropped_first, int64_t first) {
        if (!dropped_first) return;
        for (uint32_t i : rows_of(p, year)) {
          if (plans[i].from_projects) continue;
          SecondPlanRow(p, year, plans[i].line, first);
          cut[i] = 1;
          any_cut = true;
        }
      });
  if (any_cut) std::erase_if(order, [&](uint32_t i) { return cut[i] != 0; });
}

// A monthly.csv row left out for another error keeps its place in the
// one-row-a-month rule (DuplicateMonths::kError): of a project's rows for a month,
// kept or not, the first in the file is the month's and every later one is a second
// row -- reported now, with the first row's own error, not in the run after it is
// fixed. When the first was left out, the kept rows after it are errors too and are
// left out: its slot is cleared (a gap in the run, the run cut to its rows) and its
// pending rows dropped. Runs that were cut are laid out again by BuildMonthly.
void LedgerBuilder::State::CheckDroppedMonths() {
  std::sort(pending.begin(), pending.end(), [](const PendingMonthly& a, const PendingMonthly& b) {
    return std::tie(a.project, a.month, a.line) < std::tie(b.project, b.month, b.line);
  });
  // The kept rows for (p, m): at most one slot (rows in file order: a slot's row comes
  // before any pending row for its month), and pending rows [pi, pe). The groups come
  // in (project, month) order, so pi only moves on.
  std::optional<uint64_t> slot;
  size_t pi = 0, pe = 0;
  auto kept_rows = [&](uint32_t p, int32_t m) {
    slot.reset();
    if (m_count[p] > 0 && m >= m_first[p] && m - m_first[p] < static_cast<int32_t>(m_count[p])) {
      const uint64_t i = m_begin[p] + static_cast<uint64_t>(m - m_first[p]);
      if (s_flags[i] & kHasRow) slot = i;
    }
    while (pi < pending.size() && std::tie(pending[pi].project, pending[pi].month) < std::tie(p, m)) ++pi;
    pe = pi;
    while (pe < pending.size() && pending[pe].project == p && pending[pe].month == m) ++pe;
  };
  std::vector<char> cut_pending;
  std::vector<uint32_t> cut_runs;
  ForEachDroppedGroup(
      monthly_dropped,
      [&](uint32_t p, int32_t m) -> int64_t {
        kept_rows(p, m);
        return slot ? int64_t{s_line[*slot]} : pi < pe ? int64_t{pending[pi].line} : 0;
      },
      [&](uint32_t p, int32_t m, int64_t line, int64_t first) { SecondMonthRow(p, m, line, first); },
      [&](uint32_t p, int32_t m, bool dropped_first, int64_t first) {
        if (!dropped_first) return;
        if (slot) {
          SecondMonthRow(p, m, s_line[*slot], first);
          ClearSlot(*slot);
          cut_runs.push_back(p);
        }
        for (size_t k = pi; k < pe; ++k) {
          SecondMonthRow(p, m, pending[k].line, first);
          if (cut_pending.empty()) cut_pending.assign(pending.size(), 0);
          cut_pending[k] = 1;
        }
      });
  if (!cut_pending.empty()) {
    size_t to = 0;
    for (size_t k = 0; k < pending.size(); ++k) {
      if (!cut_pending[k]) pending[to++] = pending[k];
    }
    pending.resize(to);
  }
  // A run begins and ends with a row: cut a cleared slot off either end.
  for (uint32_t p : cut_runs) {
    uint32_t lead = 0, trail = 0;
    while (lead < m_count[p] && !(s_flags[m_begin[p] + lead] & kHasRow)) ++lead;
    if (lead == m_count[p]) {
      m_first[p] = kNoMonth;
      m_count[p] = 0;
      continue;
    }
    while (!(s_flags[m_begin[p] + m_count[p] - 1 - trail] & kHasRow)) ++trail;
    m_begin[p] += lead;
    m_first[p] += static_cast<int32_t>(lead);
    m_count[p] -= lead + trail;
  }
  runs_cut = !cut_runs.empty();
}

void LedgerBuilder::State::BuildPlans() {
  // Keep arrival order for extras: plans.csv rows get their extras in arrival order,
  // so sort a permutation and apply it to both.
  std::vector<uint32_t> order = Identity(plans.size());
  StableSortTwoRuns(order, [&](uint32_t a, uint32_t b) {
    return std::tie(plans[a].project, plans[a].year) < std::tie(plans[b].project, plans[b].year);
  });
  if (!plans_dropped.empty()) CheckDroppedPlans(order);
  internal::PlanColumns& out = ledger.plans_;
  std::vector<ExtraColumn>& extras = ledger.extras_[static_cast<int>(Table::kPlans)];
  // Map plans.csv rows (not the projects.csv shorthand) to their extras index.
  std::vector<uint32_t> extras_index(plans.size(), UINT32_MAX);
  for (uint32_t i = 0, k = 0; i < plans.size(); ++i) {
    if (!plans[i].from_projects) extras_index[i] = k++;
  }
  std::vector<std::vector<uint32_t>> new_extras(extras.size());
  const size_t n = ledger.size();
  out.row_begin.assign(n + 1, 0);
  ReserveEach(order.size(), out.project, out.year, out.planned);
  bool stored_shorthand = false;  // the last stored plan is projects.csv's, no plans.csv row yet
  for (size_t k = 0; k < order.size(); ++k) {
    const PlanRow& r = plans[order[k]];
    if (!out.project.empty() && out.project.back() == r.project && out.year.back() == r.year) {
      const PlanRow& first = plans[order[k - 1]];
      if (first.from_projects == r.from_projects) {
        SecondPlanRow(r.project, r.year, r.line, first.line);
      } else if (first.planned != r.planned) {
        Error(r.from_projects ? Table::kProjects : Table::kPlans, r.line, r.from_projects ? "annual_plan" : "planned",
              Cat("plan for ", r.year, " differs between projects.csv (",
                  Money::FromFen(first.from_projects ? first.planned : r.planned).ToWanString(), ") and plans.csv (",
                  Money::FromFen(first.from_projects ? r.planned : first.planned).ToWanString(), ")"));
      } else if (stored_shorthand && !r.from_projects) {
        // plans.csv gives projects.csv's plan again: the stored plan is this row too,
        // so it keeps this row's extra columns (nothing of the row is lost).
        for (size_t c = 0; c < extras.size(); ++c) new_extras[c].back() = extras[c].values[extras_index[order[k]]];
        stored_shorthand = false;
      }
      continue;  // the same plan given twice, or an error already reported
    }
    stored_shorthand = r.from_projects;
    out.project.push_back(r.project);
    out.year.push_back(r.year);
    out.planned.push_back(r.planned);
    ++out.row_begin[r.project + 1];
    for (size_t c = 0; c < extras.size(); ++c) {
      const uint32_t e = extras_index[order[k]];
      new_extras[c].push_back(e == UINT32_MAX ? 0 : extras[c].values[e]);
    }
  }
  for (size_t p = 0; p < n; ++p) out.row_begin[p + 1] += out.row_begin[p];
  for (size_t c = 0; c < extras.size(); ++c) extras[c].values = std::move(new_extras[c]);
  plans = {};
}

void LedgerBuilder::State::BuildFunding() {
  std::vector<uint32_t> order = Identity(funding.size());
  StableSortOrder(order, funding_project, [&](uint32_t a, uint32_t b) {
    return std::tuple(funding_project[a], funding[a].year, funding[a].source) <
           std::tuple(funding_project[b], funding[b].year, funding[b].source);
  });
  internal::FundingColumns& out = ledger.funding_;
  const size_t n = ledger.size();
  out.row_begin.assign(n + 1, 0);
  ReserveEach(order.size(), out.project, out.year, out.source, out.requested, out.approved, out.arrived, out.currency);
  for (uint32_t k : order) {
    const FundingRow& r = funding[k];
    out.project.push_back(funding_project[k]);
    out.year.push_back(r.year);
    out.source.push_back(r.source);
    out.requested.push_back(r.requested);
    out.approved.push_back(r.approved);
    out.arrived.push_back(r.arrived);
    out.currency.push_back(r.currency);
    if (r.original != UINT32_MAX) {
      const std::array<int64_t, 3>& written = funding_original[r.original];
      out.original_row.push_back(static_cast<uint32_t>(out.project.size() - 1));
      out.original_requested.push_back(written[0]);
      out.original_approved.push_back(written[1]);
      out.original_arrived.push_back(written[2]);
    }
    ++out.row_begin[funding_project[k] + 1];
    AppendStagedExtras(Table::kFunding, funding_extras, k);
  }
  for (size_t p = 0; p < n; ++p) out.row_begin[p + 1] += out.row_begin[p];
  funding = {};
  funding_project = {};
  funding_extras = {};
  funding_original = {};
}

void LedgerBuilder::State::BuildProblems() {
  internal::ProblemColumns& out = ledger.problems_;
  for (size_t k = 0; k < problems.size(); ++k) {
    const ProblemRecord& r = problems[k];
    out.project.push_back(problem_project[k]);
    out.id.push_back(ledger.strings_.Intern(r.id));
    out.kind.push_back(r.kind);
    out.description.push_back(ledger.strings_.Intern(r.description));
    out.owner.push_back(ledger.strings_.Intern(r.owner));
    out.raised_on.push_back(DayOr(r.raised_on));
    out.due.push_back(DayOr(r.due));
    out.resolved_on.push_back(DayOr(r.resolved_on));
    AppendExtras(Table::kProblems, r.extras);
  }
  problems = {};
}

void LedgerBuilder::State::BuildBaseline() {
  internal::BaselineColumns& out = ledger.baseline_;
  for (const BaselineRecord& r : baseline) {
    out.month.push_back(r.month.index());
    out.dimension.push_back(ledger.strings_.Intern(r.dimension));
    out.key.push_back(ledger.strings_.Intern(r.key));
    out.investment.push_back(r.investment.fen());
    AppendExtras(Table::kBaseline, r.extras);
  }
  baseline = {};
}

void LedgerBuilder::State::BuildApprovals() {
  internal::ApprovalColumns& out = ledger.approvals_;
  const size_t rows = out.project.size();
  const size_t extra_count = ledger.extras_[static_cast<int>(Table::kApprovals)].size();
  auto less = [&](uint32_t a, uint32_t b) {
    return std::pair(out.project[a], out.item[a]) < std::pair(out.project[b], out.item[b]);
  };
  bool sorted = true;
  for (uint32_t k = 1; k < rows && sorted; ++k) sorted = !less(k, k - 1);
  // Each column as it is (rows that arrived by project and item, as most ledgers'
  // do), else gathered in the stable order. Growth without ReserveRows leaves up to
  // as much again of spare capacity, which a built ledger does not keep.
  std::vector<uint32_t> order;
  if (!sorted) {
    order = Identity(rows);
    StableSortOrder(order, out.project, less);
  }
  auto finish = [&](auto& column) {
    if (!sorted) {
      std::remove_reference_t<decltype(column)> gathered;
      internal::ReserveHuge(gathered, rows);
      for (uint32_t k : order) gathered.push_back(column[k]);
      column = std::move(gathered);
    } else if (MuchSpare(column)) {
      column.shrink_to_fit();
    }
  };
  finish(out.project);
  finish(out.item);
  finish(out.required);
  finish(out.planned_on);
  finish(out.done_on);
  finish(out.authority);
  finish(out.document_no);
  for (size_t i = 0; i < rows && extra_count > 0; ++i) {
    const size_t k = sorted ? i : order[i];
    AppendStagedExtras(Table::kApprovals, approval_extras, k);
  }
  const size_t n = ledger.size();
  out.row_begin.assign(n + 1, 0);
  for (uint32_t p : out.project) ++out.row_begin[p + 1];
  for (size_t p = 0; p < n; ++p) out.row_begin[p + 1] += out.row_begin[p];
  approval_line = {};
  approval_extras = {};
  approval_seen = {};
  approval_seen_dropped = {};
  approval_items = {};
}

void LedgerBuilder::State::ReportDroppedRows() {
  if (!options.lenient) return;  // strict: nothing loads anyway; the project's error says why
  for (const auto& [code, r] : rejected) {
    for (int t = 1; t < kTableCount; ++t) {
      const std::vector<int64_t>& lines = r.dropped[t];
      if (lines.empty()) continue;
      Error(static_cast<Table>(t), *std::min_element(lines.begin(), lines.end()), "code",
            Cat(lines.size(), lines.size() == 1 ? " row" : " rows", " of project '", code, "' not loaded (",
                LineList(lines), "): the project was rejected (", table_name(Table::kProjects), ":", r.line,
                ")"),
            /*consequence=*/true);
    }
  }
}

absl::StatusOr<Ledger> LedgerBuilder::Build() && {
  return internal::NoThrow("building the ledger", [&]() -> absl::StatusOr<Ledger> {
    State& s = *s_;
    s.MonthlyStringIds();
    // The monthly table shares nothing with the others but the diagnostics (its texts
    // have their ids already, so the ids do not depend on the threads).
    RunTogether(
        s.Parallel(std::min(s.slots + s.pending.size(), s.approval_line.size() + s.funding.size() + s.plans.size())),
        [&] { s.BuildMonthly(); },
        [&] {
          s.BuildPlans();
          s.BuildFunding();
          s.BuildProblems();
          s.BuildBaseline();
          s.BuildApprovals();
        });
    s.ReportDroppedRows();
    std::stable_sort(s.diagnostics.begin(), s.diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
                     });
    if (s.errors && !s.options.lenient) return DiagnosticsStatus(s.diagnostics);
    if (s.ledger.projects_.tag_begin.empty()) s.ledger.projects_.tag_begin.push_back(0);
    return std::move(s.ledger);
  });
}

absl::Status CheckFxRate(std::string_view currency, std::string_view rate) {
  if (ParseFxRate(rate)) return absl::OkStatus();
  return absl::InvalidArgumentError(Cat("exchange rate for ", currency, " is not a positive decimal: '", rate, "'"));
}

absl::Status CheckConvertedAt(const Ledger& ledger, const std::vector<std::pair<std::string, std::string>>& fx_rates) {
  if (fx_rates.empty()) return absl::OkStatus();
  const internal::FundingColumns& f = internal::Columns(ledger).funding;
  for (const auto& [currency, rate_text] : fx_rates) {
    if (absl::Status st = CheckFxRate(currency, rate_text); !st.ok()) return st;
    const FxRate rate = *ParseFxRate(rate_text);
    for (size_t k = 0; k < f.original_row.size(); ++k) {
      const uint32_t row = f.original_row[k];
      if (ledger.text(f.currency[row]) != currency) continue;
      const std::pair<int64_t, int64_t> amounts[] = {{f.original_requested[k], f.requested[row]},
                                                     {f.original_approved[k], f.approved[row]},
                                                     {f.original_arrived[k], f.arrived[row]}};
      for (const auto& [original, yuan] : amounts) {
        if (original == kNoMoney) continue;
        const std::optional<int64_t> at_rate = Convert(original, rate);
        if (at_rate && *at_rate == yuan) continue;
        return absl::InvalidArgumentError(
            Cat("funding row ", row + 1, " (project '", ledger.code(f.project[row]), "', ", f.year[row], "): ",
                Money::FromFen(original).ToWanString(), "万 ", currency, " is ", Money::FromFen(yuan).ToWanString(),
                "万元 in the ledger, at ", currency, "=", rate_text, " it would be ",
                at_rate ? Cat(Money::FromFen(*at_rate).ToWanString(), "万元") : std::string("out of range")));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status DiagnosticsStatus(const Diagnostics& diagnostics) {
  if (diagnostics.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      Cat(diagnostics.size(), diagnostics.size() == 1 ? " error" : " errors",
                   " in the ledger; first: ", diagnostics.front().ToString()));
}

}  // namespace keyproj
