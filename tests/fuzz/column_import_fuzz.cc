// Fuzz target: arbitrary bytes as a sequence of column batches for
// ColumnLedgerBuilder (what the C ABI's kp_ledger_builder passes on): any table
// number, any column names, types and scales, validity bitmaps (also too short),
// utf8 offsets (also decreasing), bad UTF-8, NULL C strings, any int64/double/date32
// bit patterns. Must never crash, hang or leak; a strict failure must say why.
//
// The arrays always hold as many elements as the call says (the ABI's contract that
// no library can check); everything else is the input's choice. Format, one byte a
// field, 0 when the input runs out:
//   options (bit 0 lenient, bit 1 merge duplicates), then batches:
//   table (% (kTableCount + 1): kTableCount is no table), rows (% 33), columns (% 9), and per column:
//   name (< 200: a field of the table, else a stranger), type (% 9: 0 and 8 are no
//   type), scale (% 24 - 2), validity (% 4: none, from the input, too short, all
//   missing), values (per type; text cells from a pool of likely cells or raw bytes).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "csv/table_rows.h"
#include "keyproj/column_import.h"

namespace {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  bool done() const { return p_ >= end_; }
  uint8_t U8() { return p_ < end_ ? *p_++ : 0; }
  void Bytes(void* out, size_t n) {
    auto* o = static_cast<uint8_t*>(out);
    for (size_t i = 0; i < n; ++i) o[i] = U8();
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

constexpr const char* kPool[] = {
    "P1", "P2", "P3", "2024-01", "2024-02", "2024-13", "2024-01-15", "2024/02/30", "2024年3月", "12.5", "-3",
    "1,234.5", "0.0000001", "99999999999999999999", "610402", "000000", "C36", "industry", "started",
    "completed", "是", "maybe", "land;funds", "weather", "CNY", "USD", "all", "region", "  ", "", "\xE4\xB8\xAD",
    "\xFF\xFE", "\xC3", "2023-610402-04-01-000123", "2024-610403-05-01-5YC1JU", "central_budget", "1", "0",
    // approvals.csv (appended: the seeds' earlier indices keep their cells)
    "approval", "construction_permit", "\xE7\xAB\x8B\xE9\xA1\xB9" /* 立项 */, "land", "other", "\xE5\x90\xA6" /* 否 */};
constexpr size_t kPoolSize = sizeof kPool / sizeof kPool[0];
constexpr const char* kStrangers[] = {"", "nonsense", "项目代码", "CODE", "总投资（万元）", "月份", "name ", "序号", "总投资（个）", "备注"};

// The arrays of one column, alive for the batch.
struct Column {
  std::string bytes;
  std::vector<int32_t> offsets;
  std::vector<std::string> cstr_text;
  std::vector<const char*> cstr;
  std::vector<uint8_t> raw;  // fixed-width values
  std::vector<uint8_t> validity;
};

size_t Width(int type) {
  switch (static_cast<keyproj::ColumnType>(type)) {
    case keyproj::ColumnType::kInt64:
    case keyproj::ColumnType::kDouble: return 8;
    case keyproj::ColumnType::kDate32:
    case keyproj::ColumnType::kInt32: return 4;
    default: return 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  const uint8_t opts = in.U8();
  keyproj::LoadOptions options;
  options.lenient = (opts & 1) != 0;
  if ((opts & 2) != 0) options.duplicate_months = keyproj::DuplicateMonths::kSum;
  options.fx_rates = {{"USD", "7.1"}};
  keyproj::ColumnLedgerBuilder builder(options);
  for (int batch = 0; batch < 64 && !in.done(); ++batch) {
    const int table = in.U8() % (keyproj::kTableCount + 1);
    const size_t rows = in.U8() % 33;
    const size_t ncols = in.U8() % 9;
    std::vector<Column> cols(ncols);
    std::vector<keyproj::ColumnView> views(ncols);
    for (size_t c = 0; c < ncols; ++c) {
      Column& col = cols[c];
      keyproj::ColumnView& v = views[c];
      const uint8_t name = in.U8();
      if (name < 200 && table < keyproj::kTableCount) {
        const auto ids = keyproj::internal::FieldIds(static_cast<keyproj::Table>(table));
        v.name = ids[name % ids.size()];
      } else {
        v.name = kStrangers[name % (sizeof kStrangers / sizeof kStrangers[0])];
      }
      const int type = in.U8() % 9;
      v.type = static_cast<keyproj::ColumnType>(type);
      v.scale = static_cast<int32_t>(in.U8() % 24) - 2;
      const size_t need = (rows + 7) / 8;
      switch (in.U8() % 4) {
        case 0: break;
        case 1:
          col.validity.resize(need);
          in.Bytes(col.validity.data(), need);
          v.validity = col.validity.data();
          v.validity_bytes = need;
          break;
        case 2:
          col.validity.assign(need + 1, 0xFF);
          v.validity = col.validity.data();
          v.validity_bytes = need > 0 ? need - 1 : 0;
          break;
        case 3:
          col.validity.assign(need + 1, 0);
          v.validity = col.validity.data();
          v.validity_bytes = need;
          break;
      }
      if (v.type == keyproj::ColumnType::kUtf8) {
        col.offsets.push_back(0);
        for (size_t r = 0; r < rows; ++r) {
          const uint8_t pick = in.U8();
          if (pick < 160) {
            col.bytes += kPool[pick % kPoolSize];
          } else {
            for (size_t k = 0, n = pick % 12; k < n; ++k) col.bytes.push_back(static_cast<char>(in.U8()));
          }
          col.offsets.push_back(static_cast<int32_t>(col.bytes.size()));
        }
        if (rows >= 2 && in.U8() == 0xEE) std::swap(col.offsets[1], col.offsets[rows]);  // decreasing, in bounds
        v.values = col.bytes.data();
        v.offsets = col.offsets.data();
      } else if (v.type == keyproj::ColumnType::kCStr) {
        col.cstr_text.resize(rows);
        for (size_t r = 0; r < rows; ++r) {
          const uint8_t pick = in.U8();
          if (pick >= 160) {
            for (size_t k = 0, n = pick % 8; k < n; ++k) {
              const char ch = static_cast<char>(in.U8());
              if (ch != '\0') col.cstr_text[r].push_back(ch);
            }
          } else if (pick != 0) {
            col.cstr_text[r] = kPool[pick % kPoolSize];
          }
        }
        for (size_t r = 0; r < rows; ++r) col.cstr.push_back(col.cstr_text[r].empty() && r % 2 == 0 ? nullptr
                                                                                                  : col.cstr_text[r].c_str());
        v.values = col.cstr.data();
      } else {
        col.raw.resize(rows * Width(type) + 8);
        in.Bytes(col.raw.data(), rows * Width(type));
        v.values = col.raw.data();
      }
      if (rows > 0 && in.U8() == 0xFD) v.values = nullptr;
    }
    const absl::Status s = builder.AddColumns(static_cast<keyproj::Table>(table), rows, views);
    if (!s.ok() && s.message().empty()) __builtin_trap();  // every refusal says why
  }
  keyproj::Diagnostics diagnostics;
  absl::StatusOr<keyproj::Ledger> ledger = builder.Build(&diagnostics);
  if (ledger.ok()) {
    int64_t sink = 0;
    for (uint32_t p = 0; p < ledger->size(); ++p) {
      sink += ledger->InvestmentThrough(p, keyproj::Month::FromYm(2100, 1)) & 1;
      sink += static_cast<int64_t>(ledger->code(p).size());
    }
    if (sink == -1) __builtin_trap();
  } else if (!options.lenient && diagnostics.empty() &&
             ledger.status().code() == absl::StatusCode::kInvalidArgument) {
    __builtin_trap();  // a strict failure must say why
  }
  for (const keyproj::Diagnostic& d : diagnostics) {
    if (d.ToString().empty() || d.reason.empty()) __builtin_trap();
  }
  if (std::getenv("KEYPROJ_FUZZ_VERBOSE") != nullptr) {  // what a seed reaches
    std::fprintf(stderr, "%s: %zu projects, %zu problems\n", ledger.ok() ? "built" : "refused",
                 ledger.ok() ? static_cast<size_t>(ledger->size()) : size_t{0}, diagnostics.size());
    for (const keyproj::Diagnostic& d : diagnostics) std::fprintf(stderr, "  %s\n", d.ToString().c_str());
  }
  if (builder.AddColumns(keyproj::Table::kProjects, 0, {}).ok()) __builtin_trap();  // spent
  return 0;
}
