// Internal: the small pieces of JSON and CSV output -- quoted text, exact values,
// group objects, records -- for every writer of those formats (src/report, the CLI).
#ifndef KEYPROJ_SRC_REPORT_ESCAPE_H_
#define KEYPROJ_SRC_REPORT_ESCAPE_H_

#include <string>
#include <string_view>
#include <vector>

#include "keyproj/internal/text.h"
#include "keyproj/query.h"
#include "keyproj/regions.h"
#include "keyproj/report.h"
#include "keyproj/value.h"

namespace keyproj::report_internal {

// A JSON string literal of UTF-8 text, quotes included.
inline void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

// An exact value as a JSON string (MachineValue), or null when not applicable.
inline void AppendJsonValue(std::string* out, const Value& v, Unit unit, int ratio_digits = 6) {
  if (!v.applicable()) {
    out->append("null");
    return;
  }
  AppendJsonString(out, MachineValue(v, unit, ratio_digits));
}

// A group as a JSON object, each dimension's id to value(dimension, key).
template <typename ValueOf>
void AppendJsonGroupWith(std::string* out, const std::vector<Dimension>& group_by,
                         const std::vector<std::string>& group, ValueOf value) {
  out->push_back('{');
  for (size_t g = 0; g < group.size(); ++g) {
    if (g > 0) out->append(", ");
    AppendJsonString(out, DimensionId(group_by[g]));
    out->append(": ");
    AppendJsonString(out, value(group_by[g], group[g]));
  }
  out->push_back('}');
}

// A row's group as a JSON object: {"category": "industry", "county": "610403"}.
inline void AppendJsonGroup(std::string* out, const std::vector<Dimension>& group_by,
                            const std::vector<std::string>& group) {
  AppendJsonGroupWith(out, group_by, group, [](Dimension, std::string_view key) { return key; });
}

// The same group's labels as the tables print them: {"county": "杨陵区"} (a region's
// name from regions.csv, else its code; an enum's Chinese label; （未填） for no key).
inline void AppendJsonGroupLabels(std::string* out, const std::vector<Dimension>& group_by,
                                  const std::vector<std::string>& group, const RegionNames* regions) {
  AppendJsonGroupWith(out, group_by, group,
                      [regions](Dimension dim, std::string_view key) { return GroupKeyLabel(dim, key, regions); });
}

// One CSV record (RFC 4180: quoted when needed, CRLF line end).
inline void AppendCsvLine(std::string* out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    internal::AppendCsvField(out, fields[i]);
  }
  out->append("\r\n");
}

// A Markdown table cell and a table line of cells. A '|' is escaped; a line break
// in the cell ("\n", "\r\n" or "\r": Alt+Enter in Excel) would end the table row, so
// it is written as <br>, which GitHub, Typora and pandoc render as the break it was.
inline std::string MdCell(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '|') {
      out.append("\\|");
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;  // CRLF is one break
      out.append("<br>");
    } else {
      out.push_back(c);
    }
  }
  return out;
}
inline void MdLine(std::string* out, const std::vector<std::string>& cells) {
  out->append("|");
  for (const std::string& c : cells) {
    out->append(" ");
    out->append(MdCell(c));
    out->append(" |");
  }
  out->append("\n");
}

}  // namespace keyproj::report_internal

#endif  // KEYPROJ_SRC_REPORT_ESCAPE_H_
