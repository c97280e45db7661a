// The column-array ledger builder: kp_column batches -> keyproj::ColumnLedgerBuilder.
// The shim checks only what C can get wrong and C++ cannot see (struct versions,
// NULL and non-UTF-8 names, a NULL column array); everything about the data itself
// is the C++ builder's, which records each refusal as a problem too, so a host that
// ignores a failed add_columns still cannot finish a strict ledger without its rows.
#include <memory>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "capi_internal.h"
#include "keyproj/encoding.h"

using namespace keyproj::capi;  // NOLINT: the shim's own helpers

namespace {

constexpr uint32_t kColumnVersion = KP_COLUMN_VERSION;

static_assert(KP_TABLE_PROJECTS == static_cast<int>(keyproj::Table::kProjects) &&
              KP_TABLE_MONTHLY == static_cast<int>(keyproj::Table::kMonthly) &&
              KP_TABLE_FUNDING == static_cast<int>(keyproj::Table::kFunding) &&
              KP_TABLE_PLANS == static_cast<int>(keyproj::Table::kPlans) &&
              KP_TABLE_PROBLEMS == static_cast<int>(keyproj::Table::kProblems) &&
              KP_TABLE_BASELINE == static_cast<int>(keyproj::Table::kBaseline) &&
              KP_TABLE_APPROVALS == static_cast<int>(keyproj::Table::kApprovals) &&
              KP_TABLE_APPROVALS + 1 == keyproj::kTableCount);
static_assert(KP_COLUMN_UTF8 == static_cast<int>(keyproj::ColumnType::kUtf8) &&
              KP_COLUMN_CSTR == static_cast<int>(keyproj::ColumnType::kCStr) &&
              KP_COLUMN_INT64 == static_cast<int>(keyproj::ColumnType::kInt64) &&
              KP_COLUMN_DOUBLE == static_cast<int>(keyproj::ColumnType::kDouble) &&
              KP_COLUMN_DATE32 == static_cast<int>(keyproj::ColumnType::kDate32) &&
              KP_COLUMN_BOOL == static_cast<int>(keyproj::ColumnType::kBool) &&
              KP_COLUMN_INT32 == static_cast<int>(keyproj::ColumnType::kInt32));

}  // namespace

extern "C" {

KP_API kp_status kp_ledger_builder_new(const kp_load_options* options, kp_ledger_builder** out) {
  KP_API_BEGIN
  if (out != nullptr) *out = nullptr;
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  keyproj::LoadOptions load;
  KP_RETURN_IF_ERROR(ToLoadOptions(options, &load));
  auto handle = std::make_unique<kp_ledger_builder_s>();
  handle->builder = keyproj::ColumnLedgerBuilder(load);
  *out = handle.release();
  return Ok();
  KP_API_END
}

KP_API kp_status kp_ledger_builder_add_columns(kp_ledger_builder* builder, int32_t table, size_t rows,
                                               const kp_column* columns, size_t column_count) {
  KP_API_BEGIN
  KP_RETURN_IF_ERROR(CheckHandle(builder, "builder"));
  keyproj::ColumnLedgerBuilder& b = builder->builder;
  if (b.built()) return FromStatus(b.AddColumns(keyproj::Table::kProjects, 0, {}));  // the spent builder's error
  // The number as given, before it is narrowed to the 8-bit Table (256 would be
  // projects).
  if (table < 0 || table > KP_TABLE_APPROVALS) return FromStatus(b.RejectUnknownTable(table));
  const auto t = static_cast<keyproj::Table>(table);
  if (column_count > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return FromStatus(b.RejectBatch(t, rows, 0, "", "column_count " + std::to_string(column_count) +
                                                        ": at most 2^31-1 columns in a batch"));
  }
  if (columns == nullptr && column_count > 0) {
    return FromStatus(b.RejectBatch(t, rows, 0, "", "columns: NULL array of " + std::to_string(column_count) +
                                                        " columns"));
  }
  std::vector<keyproj::ColumnView> views(column_count);
  for (size_t i = 0; i < column_count; ++i) {
    const kp_column& c = columns[i];
    const int pos = static_cast<int>(i + 1);
    const std::string where = "columns[" + std::to_string(i) + "]";
    if (c.version == 0 || c.version > kColumnVersion) {
      return FromStatus(b.RejectBatch(t, rows, pos, "",
                                      where + ": kp_column version " + std::to_string(c.version) +
                                          " (this library knows 1 to " + std::to_string(kColumnVersion) + ")"));
    }
    if (c.name == nullptr) return FromStatus(b.RejectBatch(t, rows, pos, "", where + ".name: NULL string"));
    const std::string_view name(c.name);
    if (const size_t bad = keyproj::FindInvalidUtf8(name); bad != std::string_view::npos) {
      return FromStatus(b.RejectBatch(t, rows, pos, "",
                                      where + ".name: not valid UTF-8 (byte " + std::to_string(bad) + ")"));
    }
    keyproj::ColumnView& v = views[i];
    v.name = name;
    v.type = static_cast<keyproj::ColumnType>(c.type);  // checked by AddColumns
    v.scale = c.scale;
    v.values = c.values;
    v.offsets = c.offsets;
    v.validity = c.validity;
    v.validity_bytes = c.validity_bytes;
  }
  return FromStatus(b.AddColumns(t, rows, views));
  KP_API_END
}

KP_API kp_status kp_ledger_builder_finish(kp_ledger_builder* builder, kp_ledger** out, kp_diagnostics** problems) {
  KP_API_BEGIN
  if (out != nullptr) *out = nullptr;
  if (problems != nullptr) *problems = nullptr;
  KP_RETURN_IF_ERROR(CheckHandle(builder, "builder"));
  KP_RETURN_IF_ERROR(CheckOut(out, "out"));
  if (builder->builder.built()) return FromStatus(builder->builder.Build().status());  // the spent builder's error
  keyproj::Diagnostics items;
  absl::StatusOr<keyproj::Ledger> ledger = builder->builder.Build(&items);
  return HandOverLedger(std::move(ledger), std::move(items), out, problems);
  KP_API_END
}

KP_API void kp_ledger_builder_free(kp_ledger_builder* builder) { Destroy(builder); }

}  // extern "C"
