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

enum class Align { kLeft, kRight };

class TextTable {
 public:
  // One entry per column: its header and alignment.
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
