// Fuzz target: arbitrary bytes as a partial file (.kpp, partial.h) given to
// MergePartials, alone and beside a valid partial of a generated ledger. Random
// bytes and mutations almost never carry a matching checksum, so the target also
// re-signs the input (writes the checksum line the body needs, as a hostile writer
// would) to reach the parser behind it. Must never crash, hang or leak; a merged
// report must render.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keyproj/generator.h"
#include "keyproj/partial.h"

namespace {

// FNV-1a 64 (docs/scale-out.md, the checksum line), written independently of the reader.
std::string Resign(std::string_view bytes) {
  size_t pos = 0;
  for (int line = 0; line < 3; ++line) {
    pos = bytes.find('\n', pos);
    if (pos == std::string_view::npos) return std::string(bytes);
    ++pos;
  }
  const size_t checksum_line = bytes.rfind("checksum\t", pos);
  if (checksum_line == std::string_view::npos) return std::string(bytes);
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes.substr(pos)) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) hex[static_cast<size_t>(i)] = "0123456789abcdef"[h & 15];
  return std::string(bytes.substr(0, checksum_line)) + "checksum\t" + hex + "\n" + std::string(bytes.substr(pos));
}

const std::string& ValidPartial() {
  static const std::string* partial = [] {
    keyproj::GeneratorOptions g;
    g.projects = 30;
    g.seed = 5;
    g.usd_rate = "";
    keyproj::ReportRequest request;
    request.as_of = keyproj::Date::FromYmd(2024, 9, 30);
    request.groupings = {{keyproj::Dimension::kCounty}};
    request.indicators = {"projects", "start_rate", "late_reports", "yoy_growth"};
    absl::StatusOr<keyproj::Ledger> ledger = keyproj::GenerateLedger(g);
    absl::StatusOr<std::string> bytes = ledger.ok() ? keyproj::MakePartial(*ledger, request)
                                                    : absl::StatusOr<std::string>(ledger.status());
    return new std::string(bytes.ok() ? *bytes : "");
  }();
  return *partial;
}

void Merge(const std::vector<keyproj::PartialInput>& inputs) {
  absl::StatusOr<keyproj::MergedReport> merged = keyproj::MergePartials(inputs);
  if (!merged.ok()) return;
  for (keyproj::ReportFormat f : {keyproj::ReportFormat::kJson, keyproj::ReportFormat::kCsv,
                                  keyproj::ReportFormat::kTable, keyproj::ReportFormat::kMarkdown}) {
    (void)keyproj::RenderMerged(*merged, f, {});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  Merge({{"fuzz.kpp", raw}});
  const std::string signed_input = Resign(raw);
  Merge({{"fuzz.kpp", signed_input}});
  Merge({{"valid.kpp", ValidPartial()}, {"fuzz.kpp", signed_input}});
  return 0;
}
