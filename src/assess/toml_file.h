// Private to the assess layer: reading the TOML files that target sets and scoring schemes
// are written in (docs/targets-and-scoring.md §2). toml++ (Debian's
// libtomlplusplus-dev) parses TOML 1.0; this file is the only one that includes it,
// and turns its tree into a Node tree that keeps what the files need:
//
// - every value's line and column, and its key's (columns count characters, UTF-8
//   code points, from 1), so that every error reads "line L, column C: ...";
// - numbers as written (without '_'): toml++ reads 22.5 as a binary double, which
//   cannot hold it, so the text is taken back from the document and read exactly;
// - each table's members in file order (toml++ keeps them sorted by key).
//
// Refused, each with a positioned error: dates and times (no field takes one),
// exponents, inf/nan and hexadecimal/octal/binary integers (a figure of a ledger is
// written as a plain decimal), and values nested deeper than 64 levels.
#ifndef KEYPROJ_SRC_ASSESS_TOML_FILE_H_
#define KEYPROJ_SRC_ASSESS_TOML_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace keyproj::toml {

struct Node {
  enum Kind : uint8_t { kString, kNumber, kBool, kArray, kTable };
  Kind kind = kTable;
  std::string text;  // kString: the decoded text; kNumber: as written, without '_'
  bool boolean = false;
  std::vector<Node> items;                            // kArray
  std::vector<std::pair<std::string, Node>> members;  // kTable, in file order
  int line = 0, column = 0;  // where the value (or the table's [header]) starts
  // Where its key is written (0 for array items); a table or an array of tables
  // made by a [header] is placed at its (first) header.
  int key_line = 0, key_column = 0;
  bool array_of_tables = false;  // kArray made by [[...]] (or of inline tables only)
  bool inline_table = false;     // kTable written { ... }
  bool dotted_key = false;       // kTable made by a dotted key: `a.b = 1` makes a

  const Node* Find(std::string_view key) const {
    for (const auto& [k, v] : members) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  // "line 3, column 7"
  std::string Where() const;
  // Where its key is written (the value's place for array items).
  std::string KeyWhere() const;
  // "a string", "a number", ...
  std::string_view KindName() const;
};

// The document's root table. A UTF-8 byte order mark and CRLF line ends are read.
absl::StatusOr<Node> Parse(std::string_view text);

// An error at a node: "line 3, column 7: <what>".
absl::Status ErrorAt(const Node& node, std::string_view what);
// An error at the node's key.
absl::Status ErrorAtKey(const Node& node, std::string_view what);

}  // namespace keyproj::toml

#endif  // KEYPROJ_SRC_ASSESS_TOML_FILE_H_
