// Private to the engine: the TOML subset that target sets and scoring schemes are
// written in (docs/targets-and-scoring.md). No third-party parser is available, and
// these files are small and written by hand, so keyproj reads this much of TOML 1.0:
//
// - comments (# to the end of the line), blank lines;
// - table headers [a], [a.b] and arrays of tables [[a]];
// - key = value with bare keys (A-Za-z0-9_-) or quoted keys ("a.b"); a bare dotted
//   key (a.b = 1) is rejected with a hint to quote it;
// - values: basic strings "..." (escapes \" \\ \b \t \n \f \r \uXXXX \UXXXXXXXX),
//   literal strings '...', decimal numbers (sign, digits, '_' between digits, one
//   '.'; kept as written so nothing passes through a binary float), booleans,
//   arrays (over several lines, trailing comma allowed) and inline tables { k = v }.
//
// Not supported (each an error that says so): multi-line strings, exponents,
// inf/nan, hexadecimal/octal/binary integers, dates and times.
//
// Every error reads "line L, column C: what was expected"; columns count characters
// (UTF-8 code points), from 1.
#ifndef KEYPROJ_SRC_ENGINE_TOML_SUBSET_H_
#define KEYPROJ_SRC_ENGINE_TOML_SUBSET_H_

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
  int line = 0, column = 0;  // where the value (or the table's header) starts
  int key_line = 0, key_column = 0;  // where its key is written (0 for array items)
  bool array_of_tables = false;  // kArray made by [[...]]
  bool header_defined = false;   // kTable: named by a [header] (not only implied)
  bool inline_table = false;     // kTable written { ... }

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

// The document's root table.
absl::StatusOr<Node> Parse(std::string_view text);

// An error at a node: "line 3, column 7: <what>".
absl::Status ErrorAt(const Node& node, std::string_view what);
// An error at the node's key.
absl::Status ErrorAtKey(const Node& node, std::string_view what);

}  // namespace keyproj::toml

#endif  // KEYPROJ_SRC_ENGINE_TOML_SUBSET_H_
