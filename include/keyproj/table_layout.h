// How a ledger table's file was laid out when it was not a plain CSV table: the
// bureau layout (台账) of a sheet saved from Excel -- title and note rows above the
// header, a unit row, a two-row header from merged cells, a 序号 column, 合计 / 小计
// rows and a footer (填报单位：… 填报人：…). The CSV loader finds these, reads the data
// between them, and keeps here what it decided, so that `keyproj validate` can show
// it and a snapshot carries it. Data only in the sense of provenance: the ledger's
// figures never depend on it, and the ledger comparison ignores it. See
// docs/ledger-loading.md, "Bureau layouts (台账)".
#ifndef KEYPROJ_TABLE_LAYOUT_H_
#define KEYPROJ_TABLE_LAYOUT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace keyproj {

enum class Table : uint8_t;  // keyproj/ledger.h

// A row of the sheet that is not data, kept as text: its non-empty cells joined
// with a space, at its physical line.
struct LayoutLine {
  int64_t line = 0;
  std::string text;
  friend bool operator==(const LayoutLine&, const LayoutLine&) = default;
};

// A 合计 / 总计 / 小计 row (or a 其中 row under one): left out of the data and, for
// 合计 / 总计 / 小计, checked against the data rows it covers.
struct LayoutTotal {
  int64_t line = 0;
  std::string word;       // "合计", "总计", "小计" or "其中"
  bool checked = false;   // at least one money cell was compared
  bool agrees = true;     // every compared cell equals its rows' sum
  friend bool operator==(const LayoutTotal&, const LayoutTotal&) = default;
};

struct TableLayout {
  Table table{};
  std::string file;                  // the file's name as given to the loader
  int64_t header_line = 1;           // the (first) header row
  int header_rows = 1;               // 2: a two-row header from merged cells
  std::vector<LayoutLine> notes;     // title and note rows above the header
  std::string unit;                  // the unit row's money unit ("元", "万元", ...); "" = none
  int64_t unit_line = 0;             // the line the unit was read from
  // Money columns whose header names its own unit other than 万元 ("总投资（元）"),
  // as written: a header's own unit wins over the unit row.
  std::vector<std::string> unit_headers;
  int serial_column = 0;             // 1-based column of 序号; 0 = none
  std::vector<LayoutTotal> totals;   // in file order
  std::vector<LayoutLine> sections;  // section rows between the data ("一、续建项目")
  std::vector<LayoutLine> footers;   // footer and note rows after the header

  // Nothing beyond a plain CSV table (what a clean file gives): not kept.
  bool plain() const {
    return header_line == 1 && header_rows == 1 && notes.empty() && unit.empty() && unit_headers.empty() && serial_column == 0 &&
           totals.empty() && sections.empty() && footers.empty();
  }
  friend bool operator==(const TableLayout&, const TableLayout&) = default;
};

}  // namespace keyproj

#endif  // KEYPROJ_TABLE_LAYOUT_H_
