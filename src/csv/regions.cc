// regions.csv: names of administrative divisions for reports (regions.h).
#include "keyproj/csv_loader.h"

#include <fstream>
#include <iterator>
#include <system_error>

#include "csv/cell_parse.h"
#include "csv/csv_reader.h"
#include "keyproj/internal/encoding.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using ::keyproj::internal::Cat;
RegionNames ParseRegionNames(std::string_view bytes, const std::string& file, Encoding encoding,
                             Diagnostics* diagnostics) {
  RegionNames names;
  auto report = [&](int64_t line, int column, std::string field, std::string reason) {
    diagnostics->push_back(Diagnostic{file, line, column, std::move(field), std::move(reason)});
  };
  std::string converted;
  std::string_view text = bytes;
  const bool valid_utf8 = FindInvalidUtf8(bytes) == std::string_view::npos;
  if (encoding == Encoding::kGb18030 || (encoding == Encoding::kAuto && !valid_utf8)) {
    internal::ConversionError error;
    if (!internal::Gb18030ToUtf8(bytes, &converted, &error)) {
      report(0, 0, "", Cat("neither UTF-8 nor GB18030 (", error.message, "); the file was not read"));
      return names;
    }
    text = converted;
  } else if (!valid_utf8) {
    report(0, 0, "", "not valid UTF-8; save as UTF-8 or load with 'encoding=gb18030'; the file was not read");
    return names;
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

  internal::CsvReader reader(text);
  int code_col = -1, name_col = -1;
  std::string code_header, name_header;
  while (reader.Next()) {
    const auto fields = reader.fields();
    if (code_col < 0) {
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string_view h = internal::TrimCell(fields[i]);
        if (h == "region" || h == "code" || h == "行政区划代码" || h == "区划代码") {
          code_col = static_cast<int>(i);
          code_header = std::string(h);
        } else if (h == "name" || h == "名称" || h == "区划名称" || h == "行政区划名称") {
          name_col = static_cast<int>(i);
          name_header = std::string(h);
        }
      }
      if (code_col < 0 || name_col < 0) {
        report(reader.line(), 0, "",
               "regions.csv needs the columns region (行政区划代码) and name (名称); the file was not read");
        return names;
      }
      continue;
    }
    if (!reader.errors().empty()) {
      for (const internal::CsvError& e : reader.errors()) report(e.line, e.field, "", e.message);
      continue;
    }
    const size_t need = static_cast<size_t>(std::max(code_col, name_col)) + 1;
    if (fields.size() < need) {
      report(reader.line(), static_cast<int>(fields.size()) + 1, "",
             Cat("row has ", fields.size(), " fields; the region and its name are needed"));
      continue;
    }
    const std::string_view code_text = internal::TrimCell(fields[static_cast<size_t>(code_col)]);
    const std::string_view name = internal::TrimCell(fields[static_cast<size_t>(name_col)]);
    const std::optional<int32_t> code = RegionNames::ParseCode(code_text);
    bool ok = true;
    if (!code) {
      report(reader.line(), code_col + 1, code_header,
             Cat("not a division code (2 digits for a province, 4 for a city, 6 for a county): '", code_text, "'"));
      ok = false;
    }
    if (name.empty()) {
      report(reader.line(), name_col + 1, name_header, "empty name");
      ok = false;
    }
    if (ok && !names.Add(*code, std::string(name))) {
      report(reader.line(), code_col + 1, code_header, Cat("region ", code_text, " is named twice"));
    }
  }
  if (reader.fatal()) report(reader.fatal()->line, reader.fatal()->field, "", reader.fatal()->message);
  if (code_col < 0) report(1, 0, "", "the file is empty; it needs the columns region and name");
  return names;
}

absl::StatusOr<RegionNames> LoadRegionNames(const std::filesystem::path& path, Encoding encoding,
                                            Diagnostics* diagnostics) {
  return internal::NoThrow("reading region names", [&]() -> absl::StatusOr<RegionNames> {
    std::error_code ec;
    std::filesystem::path file = path;
    if (std::filesystem::is_directory(path, ec)) {
      file = path / "regions.csv";
      if (!std::filesystem::exists(file, ec)) return RegionNames();
    }
    absl::StatusOr<std::string> bytes = internal::ReadFile(file.string());
    if (!bytes.ok()) return bytes.status();
    return ParseRegionNames(*bytes, file.filename().string(), encoding, diagnostics);
  });
}

absl::StatusOr<RegionNames> LoadNamedRegionNames(const std::filesystem::path& path, Encoding encoding,
                                                 Diagnostics* diagnostics) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec) && !std::filesystem::exists(path / "regions.csv", ec)) {
    return absl::NotFoundError(internal::Cat(path.string(), " is a folder without regions.csv"));
  }
  return LoadRegionNames(path, encoding, diagnostics);
}

}  // namespace keyproj
