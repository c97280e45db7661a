// LedgerBuilder: the one place where ledger input is validated and laid out.
//
// Every source of a ledger -- the CSV loader, the C API's column arrays, the
// synthetic generator -- hands records to a builder, so the rules are the same for
// all of them. Each Add* call checks what one record can show (required fields,
// negative amounts, stage against dates, duplicate codes, unknown projects) and
// Build() checks what needs them all (duplicate months, plan conflicts). Every
// problem becomes a Diagnostic naming the table, line and field; the CSV loader
// turns field names into the file's column numbers.
//
// Modes: strict (the default) builds nothing if there is any error; lenient drops
// each bad record (a project's rows in other tables go with it, each reported) and
// builds the rest. Nothing is dropped or changed without a diagnostic.
#ifndef KEYPROJ_LEDGER_BUILDER_H_
#define KEYPROJ_LEDGER_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/approval.h"
#include "keyproj/diagnostic.h"
#include "keyproj/ledger.h"

namespace keyproj {

// One row of projects.csv. Empty optionals and strings are "not known".
struct ProjectRecord {
  int64_t line = 0;  // source line for diagnostics (0 = unknown)
  std::string code;
  std::string name;
  int32_t region = 0;  // 0 = not known (filled from a national code when possible)
  IndustryCode industry;
  Category category = Category::kUnknown;
  Level level = Level::kUnknown;
  BuildType build_type = BuildType::kUnknown;
  std::optional<Money> total_investment;
  std::optional<Money> annual_plan;
  std::optional<int> plan_year;
  std::optional<Date> planned_start, planned_completion;
  Stage stage = Stage::kUnknown;  // kUnknown = derive from the dates
  StageDates dates;
  Attracted attracted = Attracted::kUnknown;
  std::string investor;
  std::optional<Money> contracted_investment;
  std::optional<Date> start_due;
  std::string leader;
  std::string department;
  std::vector<std::string> tags;
  std::vector<std::string> extras;  // values of the unknown columns, see SetExtraHeaders
};

// The last year a monthly.csv month may be in (monthly reports are of months that
// have happened; 9999-12 is a typo, and costs memory: docs/ledger.md).
inline constexpr int kLastMonthlyYear = 2100;

// One row of monthly.csv.
struct MonthlyRecord {
  int64_t line = 0;
  std::string_view code;  // copied by Add; need not outlive the call
  Month month;
  std::optional<Money> investment;     // may be negative (a correction)
  std::optional<Money> funds_arrived;  // not negative
  std::string_view progress;
  ProblemSet problems = 0;
  std::optional<Date> reported_on;
  std::span<const std::string_view> extras;
};

struct FundingRecord {
  int64_t line = 0;
  std::string code;
  int year = 0;
  FundingSource source = FundingSource::kUnknown;
  std::optional<Money> requested, approved, arrived;  // in 万 of `currency`
  std::string currency;  // "" or "CNY" = yuan
  std::vector<std::string> extras;
};

struct PlanRecord {
  int64_t line = 0;
  std::string code;
  int year = 0;
  Money planned;
  std::vector<std::string> extras;
};

struct ProblemRecord {
  int64_t line = 0;
  std::string code;
  std::string id;
  ProblemKind kind = ProblemKind::kUnknown;
  std::string description;
  std::string owner;
  std::optional<Date> raised_on, due, resolved_on;
  std::vector<std::string> extras;
};

struct BaselineRecord {
  int64_t line = 0;
  Month month;
  std::string dimension;  // "all" or a group-by dimension ("region", "category", ...)
  std::string key;        // the dimension's value ("610402"); "" for "all"
  Money investment;
  std::vector<std::string> extras;
};

// One row of approvals.csv (前期手续).
struct ApprovalRecord {
  int64_t line = 0;
  std::string code;
  ApprovalItem item = ApprovalItem::kUnknown;
  bool required = true;
  std::optional<Date> planned_on, done_on;
  std::string authority;
  std::string document_no;
  std::vector<std::string> extras;
};

enum class DuplicateMonths : uint8_t {
  kError = 0,  // a second row for a project and month is an error
  kSum = 1,    // the rows' figures add up
};

struct BuildOptions {
  bool lenient = false;
  DuplicateMonths duplicate_months = DuplicateMonths::kError;
  // Exchange rates to yuan for funding.csv currencies other than CNY, as exact
  // decimals in text ("USD" -> "7.1"). A converted amount is rounded half-up to 1 分
  // (the original figure is kept beside it).
  std::vector<std::pair<std::string, std::string>> fx_rates;  // each checked by CheckFxRate
  // Names used in diagnostics for each table (defaults: TableName, "projects").
  std::string table_names[kTableCount];
  // Threads Build() may use: 0 = two when the machine has them and the ledger is big,
  // 1 = the calling thread only, 2 or more = two. The monthly table is laid out beside
  // the other tables (and its two running totals beside each other); the ledger and
  // the diagnostics are the same whatever the number.
  int threads = 0;
};

// Threads: one at a time, with one exception. Once every project is in, the monthly
// rows may be added (AddMonthly, and ReserveRows / SetExtraHeaders / Report for
// monthly.csv) on one thread while the other tables' rows are added on another: the
// CSV loader does so (docs/ledger.md, "Loading in parallel"). The ledger is the same
// either way, and so are the diagnostics once Build has sorted them.
class LedgerBuilder {
 public:
  explicit LedgerBuilder(BuildOptions options = {});
  ~LedgerBuilder();
  LedgerBuilder(LedgerBuilder&&) noexcept;
  LedgerBuilder& operator=(LedgerBuilder&&) noexcept;

  // Headers of the unknown columns of a table, in the order of the records' extras:
  // a record's extras past them are dropped, and a header past a record's last
  // extra is an empty cell. Set before the table's rows, as a file's header comes
  // before its rows. Set again after some rows (another file of the table with other
  // columns), the rows so far keep their cells by position: none under a header past
  // those they had, and those past the new headers are dropped for good.
  void SetExtraHeaders(Table table, std::vector<std::string> headers);

  // Each Add returns false when the record was rejected (the reasons are in
  // diagnostics()). Projects must be added before rows that refer to them. The
  // records taken by reference are only read (their texts are interned), so a caller
  // may keep and reuse them -- the CSV loader frees them on the thread that made them.
  //
  // `unread`: the ids of the record's fields whose cells could not be read
  // ("started_on"), each already reported through Report; the record holds them as
  // not known. Such a record is checked for its other problems -- every check but
  // those on an unread field or that would read one (a stage against a start date
  // that was not a date) -- and then rejected, so that a row's problems are all
  // listed at once rather than one run of `validate` at a time. A rejected projects
  // row still names its project: its rows in other tables are left out with it, one
  // diagnostic a table listing their lines, rather than each an unknown code, and a
  // later row with its code is a duplicate.
  using UnreadFields = std::span<const std::string_view>;
  bool AddProject(const ProjectRecord& record, UnreadFields unread = {});
  bool AddMonthly(const MonthlyRecord& record, UnreadFields unread = {});
  bool AddFunding(const FundingRecord& record, UnreadFields unread = {});
  bool AddPlan(const PlanRecord& record, UnreadFields unread = {});
  bool AddProblem(ProblemRecord record, UnreadFields unread = {});
  bool AddBaseline(BaselineRecord record, UnreadFields unread = {});
  bool AddApproval(const ApprovalRecord& record, UnreadFields unread = {});

  // A hint for a caller holding records a few rows ahead of adding them: starts
  // fetching what AddProject / AddApproval of `record` will look up in the ledger's
  // indexes of codes and texts, each a cache miss at 10^6 projects, so that it is
  // there when the record's turn comes. Changes nothing. Call it on the thread that
  // adds the record: it reads the indexes that thread's Adds write.
  void Prefetch(const ProjectRecord& record) const;
  void Prefetch(const ApprovalRecord& record) const;
  // For a loop adding records[i] of records[0, n): Prefetch of the record
  // kPrefetchRows on, if there is one -- far enough ahead to hide the misses, near
  // enough that what it fetched is still in cache.
  static constexpr size_t kPrefetchRows = 8;
  template <typename Record>
  void PrefetchAhead(const Record* records, size_t i, size_t n) const {
    if (i + kPrefetchRows < n) Prefetch(records[i + kPrefetchRows]);
  }

  // For a caller with a second thread that would otherwise wait while this one adds
  // rows (the column arrays' reader, ahead of the adding): where the next rows of
  // `table` will be written. Each array they go to -- a column sized ahead for them
  // (ReserveRows), a string pool's index and the rest of its current chunk -- as its
  // storage, element size, how many elements are written and how many it holds, and
  // about how many elements a row adds. The pages past those written are fresh
  // memory, and their first write -- the kernel zeroing each page, on a virtual
  // machine the host's work too -- was most of what adding a row cost: the idle
  // thread can fault them in ahead (internal::PrefaultForWrite, which writes
  // nothing). Projects and monthly rows; nothing for the other tables. Call it on the
  // adding thread; the addresses may be used on any (an array that has grown since
  // is elsewhere, and prefaulting its old pages harms nothing).
  struct ColumnMemory {
    uintptr_t data = 0;
    size_t element_bytes = 0;
    size_t size = 0;      // elements written
    size_t capacity = 0;  // elements
    size_t per_row = 1;   // elements a row adds, about (a pool's: its mean so far)
  };
  void ColumnsAhead(Table table, std::vector<ColumnMemory>* columns) const;

  // A hint: about `rows` monthly rows are coming (e.g. the line count of
  // monthly.csv), so the monthly columns are allocated once instead of grown.
  void ReserveMonthly(size_t rows);
  // The same for projects: about `rows` more projects rows are coming (the C caller's
  // row count, projects.csv's line count), so the project columns, the code index and
  // the per-project monthly bookkeeping are allocated once.
  void ReserveProjects(size_t rows);
  // `rows` more rows of a table: either of those, or the same for another table's
  // records (held until Build), which grown by doubling cost up to twice their memory
  // at the peak of a load, and a copy.
  void ReserveRows(Table table, size_t rows);

  // Records a problem found before a record could be made (a bad cell): the row
  // counts as rejected. Loaders use it so that every problem is in one list.
  void Report(Diagnostic diagnostic);

  // Everything reported so far, in the order found.
  const Diagnostics& diagnostics() const;
  bool has_errors() const;

  // Builds the ledger. Strict mode: an error status if anything was reported (the
  // list is in diagnostics()). Lenient: the good records. Afterwards the builder
  // takes no more records, but diagnostics() stays valid, sorted by file and line.
  absl::StatusOr<Ledger> Build() &&;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// One exchange rate of BuildOptions::fx_rates: a positive decimal of digits and at
// most one point ("7.1", "0.92"; no sign, exponent or spaces), at most 12 places.
// The builder reports a bad one as a problem of funding.csv; a caller that takes the
// rates from its user (the CLI's --fx) checks them with this first, so that the same
// text is refused the same way before any row is read. Error (InvalidArgument):
// "exchange rate for USD is not a positive decimal: 'abc'".
absl::Status CheckFxRate(std::string_view currency, std::string_view rate);

// Whether `ledger`'s funding in the currencies of `fx_rates` was converted at those
// rates: every amount of such a row, converted as the builder converts, is the yuan
// figure the ledger holds. For a ledger loaded earlier (a snapshot), whose rates were
// applied then: a different rate given now would otherwise be ignored without a word.
// A currency the ledger has no rows of agrees with any rate. Error
// (InvalidArgument), naming the first row that differs: "funding row 3 (project
// 'X', 2024): 100万 USD is 710万元, at USD=7.2 it would be 720万元".
absl::Status CheckConvertedAt(const Ledger& ledger, const std::vector<std::pair<std::string, std::string>>& fx_rates);

// "3 errors in the ledger; first: projects.csv:4:2: name: required" -- the status
// strict builds and loads return.
absl::Status DiagnosticsStatus(const Diagnostics& diagnostics);

}  // namespace keyproj

#endif  // KEYPROJ_LEDGER_BUILDER_H_
