#include "keyproj/internal/text_table.h"

#include <algorithm>
#include <cstdint>

namespace keyproj::internal {

namespace {

bool IsWide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
         (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool IsZeroWidth(uint32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || cp == 0x200B || cp == 0xFEFF ||
         (cp >= 0xFE00 && cp <= 0xFE0F);
}

}  // namespace

int DisplayWidth(std::string_view s) {
  int width = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t n = 1;
    if (c >= 0xF0) { cp = c & 0x07; n = 4; }
    else if (c >= 0xE0) { cp = c & 0x0F; n = 3; }
    else if (c >= 0xC0) { cp = c & 0x1F; n = 2; }
    for (size_t k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += n;
    if (IsZeroWidth(cp)) continue;
    width += IsWide(cp) ? 2 : 1;
  }
  return width;
}

std::string OneLine(std::string_view cell) {
  std::string out;
  out.reserve(cell.size());
  for (size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\r' || cell[i] == '\n') {
      if (cell[i] == '\r' && i + 1 < cell.size() && cell[i + 1] == '\n') ++i;  // CRLF is one break
      out.push_back(' ');
    } else {
      out.push_back(cell[i]);
    }
  }
  return out;
}

namespace {

// A row whose cells hold no line break keeps its strings as they are.
void PutOnOneLine(std::vector<std::string>& cells) {
  for (std::string& c : cells) {
    if (c.find_first_of("\r\n") != std::string::npos) c = OneLine(c);
  }
}

}  // namespace

TextTable::TextTable(std::vector<std::string> headers, std::vector<Align> align)
    : headers_(std::move(headers)), align_(std::move(align)) {
  align_.resize(headers_.size(), Align::kLeft);
  PutOnOneLine(headers_);
}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  PutOnOneLine(cells);
  rows_.push_back(std::move(cells));
}

std::string TextTable::Render() const {
  std::vector<int> width(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c) width[c] = DisplayWidth(headers_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], DisplayWidth(row[c]));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) {
      const int pad = width[c] - DisplayWidth(cells[c]);
      if (c > 0) text += "  ";
      if (align_[c] == Align::kRight) text.append(static_cast<size_t>(pad), ' ');
      text += cells[c];
      if (align_[c] == Align::kLeft && c + 1 < cells.size()) text.append(static_cast<size_t>(pad), ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text;
    out += '\n';
  };
  line(headers_);
  int total = 0;
  for (size_t c = 0; c < width.size(); ++c) total += width[c] + (c > 0 ? 2 : 0);
  out.append(static_cast<size_t>(total), '-');
  out += '\n';
  for (const auto& row : rows_) line(row);
  return out;
}

}  // namespace keyproj::internal
