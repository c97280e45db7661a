// Plain-text tables for the terminal, aligned by display width: a CJK character
// takes two columns, so Chinese labels line up with ASCII figures.
#ifndef KEYPROJ_TEXT_TABLE_H_
#define KEYPROJ_TEXT_TABLE_H_

#include <string>
#include <string_view>
#include <vector>

namespace keyproj::internal {

// Terminal columns that UTF-8 text occupies (East Asian wide and full-width
// characters count two, combining marks zero).
int DisplayWidth(std::string_view utf8);

// A cell of a plain-text layout (a TextTable, a "  CODE  名称" list line) on one line:
// each line break ("\n", "\r\n" or "\r", Alt+Enter in an Excel cell) becomes one
// space. A space rather than a visible mark such as ⏎: the table is read, not
// round-tripped (csv, json and xlsx keep the break), "项目一 第二行" reads as the
// name was meant, and a space is one column wide on every terminal, where the
// width of ⏎ depends on the font, which would misalign the columns after it.
std::string OneLine(std::string_view cell);

enum class Align { kLeft, kRight };

class TextTable {
 public:
  // One entry per column: its header and alignment. Headers and cells are put on
  // one line each (OneLine).
  TextTable(std::vector<std::string> headers, std::vector<Align> align);
  void AddRow(std::vector<std::string> cells);
  // Header, a rule, the rows; columns separated by two spaces.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace keyproj::internal

#endif  // KEYPROJ_TEXT_TABLE_H_
