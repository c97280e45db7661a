// Fuzz target: arbitrary bytes as projects.csv + a second file (monthly.csv unless
// the input says otherwise) through the in-memory LoadCsvLedger, strict and lenient,
// each encoding. Must never crash, hang or leak.
//
// The input is split at its first 0xFF byte (projects.csv before it, the second file
// after it); without one it is split in half. A first byte 'G' / 'U' selects (and is
// not part of the files) an explicit GB18030 / UTF-8 encoding; otherwise the
// encoding is detected. Then 'T' and a digit 1..6 (not part of the files either)
// make the second file that table's (Table: 2 funding.csv ... 6 approvals.csv).
//
// Each load is also made by the parallel reading with the files cut into tiny parts
// (1..64 bytes, from the input's size) on two threads: its status and diagnostics
// must be the sequential load's, word for word, and so must the ledger's size.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "csv/loader_parts.h"
#include "keyproj/csv_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  keyproj::LoadOptions options;
  if (!bytes.empty() && (bytes[0] == 'G' || bytes[0] == 'U')) {
    options.encoding = bytes[0] == 'G' ? keyproj::Encoding::kGb18030 : keyproj::Encoding::kUtf8;
    bytes.remove_prefix(1);
  }
  auto second = keyproj::Table::kMonthly;
  if (bytes.size() >= 2 && bytes[0] == 'T' && bytes[1] >= '1' && bytes[1] < '0' + keyproj::kTableCount) {
    second = static_cast<keyproj::Table>(bytes[1] - '0');
    bytes.remove_prefix(2);
  }
  const size_t cut = bytes.find('\xFF');
  std::vector<keyproj::CsvInput> files(2);
  files[0].name = "projects.csv";
  files[1].name = keyproj::CsvFileName(second);
  if (cut != std::string_view::npos) {
    files[0].bytes = std::string(bytes.substr(0, cut));
    files[1].bytes = std::string(bytes.substr(cut + 1));
  } else {
    files[0].bytes = std::string(bytes.substr(0, bytes.size() / 2));
    files[1].bytes = std::string(bytes.substr(bytes.size() / 2));
  }
  for (bool lenient : {false, true}) {
    options.lenient = lenient;
    options.threads = 1;
    keyproj::Diagnostics diagnostics;
    absl::StatusOr<keyproj::Ledger> ledger = keyproj::LoadCsvLedger(files, options, &diagnostics);
    {
      keyproj::LoadOptions parts_options = options;
      parts_options.threads = 2;
      keyproj::Diagnostics parts_diagnostics;
      absl::StatusOr<keyproj::Ledger> parts =
          keyproj::internal::LoadCsvLedgerInParts(files, parts_options, 1 + size % 64, &parts_diagnostics);
      if (parts.status() != ledger.status() || parts_diagnostics.size() != diagnostics.size()) __builtin_trap();
      for (size_t i = 0; i < diagnostics.size(); ++i) {
        if (parts_diagnostics[i].ToString() != diagnostics[i].ToString()) __builtin_trap();
      }
      if (parts.ok() && parts->size() != ledger->size()) __builtin_trap();
    }
    if (ledger.ok()) {
      // Touch what was built: every project's running totals.
      const keyproj::Ledger& l = *ledger;
      int64_t sink = 0;
      for (uint32_t p = 0; p < l.size(); ++p) {
        sink += l.InvestmentThrough(p, keyproj::Month::FromYm(2100, 1)) & 1;
        sink += static_cast<int64_t>(l.code(p).size());
      }
      if (sink == -1) __builtin_trap();
    } else if (!lenient && diagnostics.empty() &&
               ledger.status().code() == absl::StatusCode::kInvalidArgument) {
      __builtin_trap();  // a strict failure must say why
    }
    for (const keyproj::Diagnostic& d : diagnostics) {
      if (d.ToString().empty()) __builtin_trap();
    }
    if (std::getenv("KEYPROJ_FUZZ_VERBOSE") != nullptr) {  // what a seed reaches
      std::fprintf(stderr, "%s %s: %zu projects, %zu problems\n", lenient ? "lenient" : "strict",
                   ledger.ok() ? "built" : "refused", ledger.ok() ? static_cast<size_t>(ledger->size()) : size_t{0},
                   diagnostics.size());
      for (const keyproj::Diagnostic& d : diagnostics) std::fprintf(stderr, "  %s\n", d.ToString().c_str());
    }
  }
  return 0;
}
