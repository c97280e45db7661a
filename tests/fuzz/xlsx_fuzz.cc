// Fuzz target: arbitrary bytes as a workbook (--data ledger.xlsx) through
// LoadXlsxLedger, strict and lenient. Must never crash, hang or leak; a failure must
// say why. The seeds (corpus/xlsx) are tiny workbooks, so that mutations reach the
// zip's entries. A mutated zip entry mostly fails its CRC, so an input that starts
// with 'X' is XML instead: the rest, split at 0xFF bytes, is a sheet, the shared
// strings and the styles of a workbook zipped here (seeds: corpus/xlsx/x_*).
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <utility>
#include <string>
#include <string_view>

#include <zip.h>

#include "keyproj/xlsx_ledger.h"

namespace {

// A workbook of one sheet 项目 whose parts are the given XML.
std::string Workbook(std::string_view sheet, std::string_view shared, std::string_view styles) {
  const std::pair<const char*, std::string> parts[] = {
      {"xl/workbook.xml",
       "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
       "<sheet name=\"项目\" sheetId=\"1\" r:id=\"a\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships><Relationship Id=\"a\" Type=\"x/worksheet\" Target=\"s.xml\"/></Relationships>"},
      {"xl/s.xml", std::string(sheet)},
      {"xl/sharedStrings.xml", std::string(shared)},
      {"xl/styles.xml", std::string(styles)},
  };
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(src);
  zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &error);
  for (const auto& [name, text] : parts) {
    zip_file_add(z, name, zip_source_buffer(z, text.data(), text.size(), 0), 0);
  }
  zip_close(z);
  std::string out;
  zip_stat_t st;
  if (zip_source_open(src) == 0) {
    if (zip_source_stat(src, &st) == 0) {
      out.resize(st.size);
      out.resize(static_cast<size_t>(std::max<zip_int64_t>(0, zip_source_read(src, out.data(), out.size()))));
    }
    zip_source_close(src);
  }
  zip_source_free(src);
  zip_error_fini(&error);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string zipped;
  if (!bytes.empty() && bytes[0] == 'X') {
    std::string_view rest = bytes.substr(1), piece[3];
    for (int i = 0; i < 3; ++i) {
      const size_t cut = rest.find('\xFF');
      piece[i] = rest.substr(0, cut);
      rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
    }
    zipped = Workbook(piece[0], piece[1], piece[2]);
    bytes = zipped;
  }
  for (bool lenient : {false, true}) {
    keyproj::LoadOptions options;
    options.lenient = lenient;
    options.threads = 1;
    keyproj::Diagnostics diagnostics;
    keyproj::RegionNames regions;
    absl::StatusOr<keyproj::Ledger> ledger =
        keyproj::LoadXlsxLedger(bytes, "fuzz.xlsx", options, &diagnostics, &regions);
    if (!ledger.ok() && ledger.status().message().empty()) __builtin_trap();
    for (const keyproj::Diagnostic& d : diagnostics) {
      if (d.ToString().empty() || (d.line > 0 && d.column > 0 && d.cell.empty())) __builtin_trap();
    }
    if (ledger.ok()) {
      int64_t sink = 0;
      for (uint32_t p = 0; p < ledger->size(); ++p) sink += static_cast<int64_t>(ledger->code(p).size());
      if (sink < 0) __builtin_trap();
    }
  }
  return 0;
}
