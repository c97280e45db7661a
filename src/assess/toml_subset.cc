#include "assess/toml_subset.h"

#include <cstdint>

#include "keyproj/internal/text.h"

namespace keyproj::toml {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::AppendUtf8;
namespace {

constexpr int kMaxDepth = 64;

bool IsBareKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

struct KeyPart {
  std::string name;
  int line, column;
};

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") s_.remove_prefix(3);  // a UTF-8 BOM
  }

  absl::StatusOr<Node> Run() {
    root_.kind = Node::kTable;
    root_.line = 1;
    root_.column = 1;
    Node* current = &root_;
    for (;;) {
      SkipBlankLines();
      if (AtEnd()) break;
      if (Peek() == '[') {
        absl::StatusOr<Node*> t = ParseHeader();
        if (!t.ok()) return t.status();
        current = *t;
      } else {
        if (absl::Status st = ParseKeyValue(*current, /*inline_table=*/false); !st.ok()) return st;
      }
      if (absl::Status st = ExpectLineEnd(); !st.ok()) return st;
    }
    return std::move(root_);
  }

 private:
  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek(size_t k = 0) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  void Advance() {
    const char c = s_[i_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      // Count a character when its first byte is passed; continuation bytes add
      // nothing.
      ++column_;
    }
  }
  // Columns count characters: a lead byte was counted when we stepped onto the
  // character after it, so the column of the current position is column_.
  absl::Status Error(std::string_view what) const { return ErrorAtPos(line_, column_, what); }
  static absl::Status ErrorAtPos(int line, int column, std::string_view what) {
    return absl::InvalidArgumentError(Cat("line ", line, ", column ", column, ": ", what));
  }
  std::string Found() const {
    if (AtEnd()) return "end of file";
    if (Peek() == '\n' || (Peek() == '\r' && Peek(1) == '\n')) return "end of line";
    size_t n = 1;
    const auto b = static_cast<unsigned char>(Peek());
    if (b >= 0xF0) n = 4;
    else if (b >= 0xE0) n = 3;
    else if (b >= 0xC0) n = 2;
    return Cat("'", s_.substr(i_, n), "'");
  }

  void SkipSpaces() {
    while (Peek() == ' ' || Peek() == '\t') Advance();
  }
  void SkipComment() {
    if (Peek() == '#') {
      while (!AtEnd() && Peek() != '\n') Advance();
    }
  }
  void SkipBlankLines() {
    for (;;) {
      SkipSpaces();
      SkipComment();
      if (Peek() == '\n') {
        Advance();
      } else if (Peek() == '\r' && Peek(1) == '\n') {
        Advance();
        Advance();
      } else {
        return;
      }
    }
  }
  absl::Status ExpectLineEnd() {
    SkipSpaces();
    SkipComment();
    if (AtEnd()) return absl::OkStatus();
    if (Peek() == '\r' && Peek(1) == '\n') Advance();
    if (Peek() == '\n') {
      Advance();
      return absl::OkStatus();
    }
    return Error(Cat("expected the end of the line, found ", Found()));
  }

  absl::StatusOr<std::string> ParseQuoted() {
    const char quote = Peek();
    if (Peek(1) == quote && Peek(2) == quote) return Error("multi-line strings are not supported");
    const int line = line_, column = column_;
    Advance();
    std::string out;
    for (;;) {
      if (AtEnd() || Peek() == '\n' || Peek() == '\r') {
        return ErrorAtPos(line, column, Cat("expected a closing ", quote == '"' ? "'\"'" : "\"'\"",
                                            " before the end of the line for the string that starts here"));
      }
      const char c = Peek();
      if (c == quote) {
        Advance();
        return out;
      }
      if (c == '\\' && quote == '"') {
        Advance();
        const char e = Peek();
        switch (e) {
          case '"': out.push_back('"'); break;
          case '\\': out.push_back('\\'); break;
          case 'b': out.push_back('\b'); break;
          case 't': out.push_back('\t'); break;
          case 'n': out.push_back('\n'); break;
          case 'f': out.push_back('\f'); break;
          case 'r': out.push_back('\r'); break;
          case 'u':
          case 'U': {
            const int digits = e == 'u' ? 4 : 8;
            uint32_t cp = 0;
            for (int k = 1; k <= digits; ++k) {
              const char h = Peek(static_cast<size_t>(k));
              int v;
              if (h >= '0' && h <= '9') v = h - '0';
              else if (h >= 'a' && h <= 'f') v = h - 'a' + 10;
              else if (h >= 'A' && h <= 'F') v = h - 'A' + 10;
              else return Error(Cat("expected ", digits, " hexadecimal digits after '\\", std::string(1, e), "'"));
              cp = cp * 16 + static_cast<uint32_t>(v);
            }
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return Error("not a Unicode scalar value");
            for (int k = 0; k < digits; ++k) Advance();
            AppendUtf8(&out, cp);
            break;
          }
          default:
            return Error(Cat("unknown escape '\\", AtEnd() ? std::string() : std::string(1, e),
                             "' (expected \\\" \\\\ \\b \\t \\n \\f \\r \\uXXXX or \\UXXXXXXXX)"));
        }
        Advance();
        continue;
      }
      out.push_back(c);
      Advance();
    }
  }

  absl::StatusOr<std::vector<KeyPart>> ParseKeyPath() {
    std::vector<KeyPart> parts;
    for (;;) {
      SkipSpaces();
      KeyPart part{std::string(), line_, column_};
      if (Peek() == '"' || Peek() == '\'') {
        absl::StatusOr<std::string> q = ParseQuoted();
        if (!q.ok()) return q.status();
        part.name = *std::move(q);
      } else {
        while (IsBareKeyChar(Peek())) {
          part.name.push_back(Peek());
          Advance();
        }
        if (part.name.empty()) return Error(Cat("expected a key (letters, digits, '_', '-' or a \"quoted key\"), found ", Found()));
      }
      parts.push_back(std::move(part));
      SkipSpaces();
      if (Peek() != '.') return parts;
      Advance();
    }
  }

  static Node NewTable(int line, int column) {
    Node n;
    n.kind = Node::kTable;
    n.line = n.key_line = line;
    n.column = n.key_column = column;
    return n;
  }

  absl::StatusOr<Node*> ParseHeader() {
    const int line = line_, column = column_;
    Advance();
    const bool array = Peek() == '[';
    if (array) Advance();
    absl::StatusOr<std::vector<KeyPart>> path = ParseKeyPath();
    if (!path.ok()) return path.status();
    if (Peek() != ']' || (array && Peek(1) != ']')) return Error(Cat("expected '", array ? "]]" : "]", "', found ", Found()));
    Advance();
    if (array) Advance();

    Node* node = &root_;
    std::string name;
    for (size_t k = 0; k < path->size(); ++k) {
      const KeyPart& part = (*path)[k];
      Append(&name, k ? "." : "", part.name);
      const bool last = k + 1 == path->size();
      Node* child = nullptr;
      for (auto& [key, value] : node->members) {
        if (key == part.name) child = &value;
      }
      if (last) {
        if (array) {
          if (child == nullptr) {
            Node arr;
            arr.kind = Node::kArray;
            arr.array_of_tables = true;
            arr.line = line;
            arr.column = column;
            node->members.emplace_back(part.name, std::move(arr));
            child = &node->members.back().second;
          } else if (child->kind != Node::kArray || !child->array_of_tables) {
            return ErrorAtPos(line, column, Cat("'", name, "' is already defined at ", child->Where(),
                                                " and is not an array of tables"));
          }
          Node t = NewTable(line, column);
          t.header_defined = true;
          t.key_line = line;
          t.key_column = column;
          child->items.push_back(std::move(t));
          return &child->items.back();
        }
        if (child == nullptr) {
          Node t = NewTable(line, column);
          t.header_defined = true;
          t.key_line = line;
          t.key_column = column;
          node->members.emplace_back(part.name, std::move(t));
          return &node->members.back().second;
        }
        if (child->kind != Node::kTable || child->header_defined || child->inline_table) {
          return ErrorAtPos(line, column, Cat("[", name, "] is already defined at ", child->Where()));
        }
        child->header_defined = true;
        child->line = child->key_line = line;
        child->column = child->key_column = column;
        return child;
      }
      if (child == nullptr) {
        node->members.emplace_back(part.name, NewTable(line, column));
        child = &node->members.back().second;
      } else if (child->kind == Node::kArray && child->array_of_tables) {
        child = &child->items.back();
      } else if (child->kind != Node::kTable || child->inline_table) {
        return ErrorAtPos(part.line, part.column, Cat("'", name, "' is already defined at ", child->Where(),
                                                      " and is not a table"));
      }
      node = child;
    }
    return node;  // not reached: the path has at least one part
  }

  absl::Status ParseKeyValue(Node& table, bool inline_table) {
    absl::StatusOr<std::vector<KeyPart>> path = ParseKeyPath();
    if (!path.ok()) return path.status();
    const KeyPart& key = path->front();
    if (path->size() > 1) {
      std::string dotted;
      for (size_t k = 0; k < path->size(); ++k) Append(&dotted, k ? "." : "", (*path)[k].name);
      return ErrorAtPos(key.line, key.column,
                        Cat("dotted keys are not supported: quote the key (\"", dotted, "\") or use a [table]"));
    }
    if (const Node* old = table.Find(key.name)) {
      return ErrorAtPos(key.line, key.column, Cat("key '", key.name, "' is already defined at ", old->Where()));
    }
    SkipSpaces();
    if (Peek() != '=') return Error(Cat("expected '=' after the key '", key.name, "', found ", Found()));
    Advance();
    SkipSpaces();
    absl::StatusOr<Node> value = ParseValue(0);
    if (!value.ok()) return value.status();
    (void)inline_table;
    value->key_line = key.line;
    value->key_column = key.column;
    table.members.emplace_back(key.name, *std::move(value));
    return absl::OkStatus();
  }

  absl::StatusOr<Node> ParseValue(int depth) {
    if (depth > kMaxDepth) return Error(Cat("values nest deeper than ", kMaxDepth, " levels"));
    Node n;
    n.line = line_;
    n.column = column_;
    const char c = Peek();
    if (c == '"' || c == '\'') {
      absl::StatusOr<std::string> s = ParseQuoted();
      if (!s.ok()) return s.status();
      n.kind = Node::kString;
      n.text = *std::move(s);
      return n;
    }
    if (s_.substr(i_, 4) == "true" && !IsBareKeyChar(Peek(4))) {
      for (int k = 0; k < 4; ++k) Advance();
      n.kind = Node::kBool;
      n.boolean = true;
      return n;
    }
    if (s_.substr(i_, 5) == "false" && !IsBareKeyChar(Peek(5))) {
      for (int k = 0; k < 5; ++k) Advance();
      n.kind = Node::kBool;
      return n;
    }
    if (IsBareKeyChar(c) || c == '+' || c == '.') return ParseNumber();
    if (c == '[') return ParseArray(depth);
    if (c == '{') return ParseInlineTable(depth);
    return Error(Cat("expected a value (a \"string\", a number, true, false, [an array] or {a table}), found ",
                     Found()));
  }

  absl::StatusOr<Node> ParseNumber() {
    Node n;
    n.kind = Node::kNumber;
    n.line = line_;
    n.column = column_;
    std::string raw;
    while (IsBareKeyChar(Peek()) || Peek() == '+' || Peek() == '.' || Peek() == ':') {
      raw.push_back(Peek());
      Advance();
    }
    auto bad = [&](std::string_view why) { return ErrorAtPos(n.line, n.column, why); };
    std::string_view r = raw;
    std::string_view body = r;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
    if (body == "inf" || body == "nan") return bad("inf and nan are not supported");
    if (!body.empty() && ((body[0] >= 'a' && body[0] <= 'z') || (body[0] >= 'A' && body[0] <= 'Z') || body[0] == '_')) {
      return bad(Cat("expected a value, found '", raw, "' (a string needs quotes: \"", raw, "\")"));
    }
    if (body.size() > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b')) {
      return bad("hexadecimal, octal and binary numbers are not supported");
    }
    if (raw.find(':') != std::string::npos || (body.size() >= 8 && body[4] == '-')) {
      return bad("dates and times are not supported: write them as \"strings\"");
    }
    if (body.find_first_of("eE") != std::string_view::npos) {
      return bad(Cat("exponents are not supported: write '", raw, "' as a plain decimal"));
    }
    // digits ('_' between digits) [ '.' digits ('_' between digits) ]
    std::string clean(r.substr(0, r.size() - body.size()));
    bool ok = !body.empty(), dot = false, digit_before = false;
    for (size_t k = 0; ok && k < body.size(); ++k) {
      const char ch = body[k];
      if (ch >= '0' && ch <= '9') {
        clean.push_back(ch);
        digit_before = true;
      } else if (ch == '_') {
        ok = digit_before && k + 1 < body.size() && body[k + 1] >= '0' && body[k + 1] <= '9';
      } else if (ch == '.' && !dot) {
        ok = digit_before && k + 1 < body.size() && body[k + 1] >= '0' && body[k + 1] <= '9';
        dot = true;
        digit_before = false;
        clean.push_back('.');
      } else {
        ok = false;
      }
    }
    if (!ok) return bad(Cat("expected a decimal number, found '", raw, "'"));
    n.text = std::move(clean);
    return n;
  }

  // Skips spaces, comments and newlines inside an array.
  void SkipArraySpace() {
    for (;;) {
      SkipSpaces();
      SkipComment();
      if (Peek() == '\n') {
        Advance();
      } else if (Peek() == '\r' && Peek(1) == '\n') {
        Advance();
        Advance();
      } else {
        return;
      }
    }
  }

  absl::StatusOr<Node> ParseArray(int depth) {
    Node n;
    n.kind = Node::kArray;
    n.line = line_;
    n.column = column_;
    Advance();  // '['
    for (;;) {
      SkipArraySpace();
      if (Peek() == ']') {
        Advance();
        return n;
      }
      absl::StatusOr<Node> item = ParseValue(depth + 1);
      if (!item.ok()) return item.status();
      n.items.push_back(*std::move(item));
      SkipArraySpace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == ']') {
        Advance();
        return n;
      }
      return Error(Cat("expected ',' or ']' in the array that starts at line ", n.line, ", column ", n.column,
                       ", found ", Found()));
    }
  }

  absl::StatusOr<Node> ParseInlineTable(int depth) {
    Node n;
    n.kind = Node::kTable;
    n.inline_table = true;
    n.line = line_;
    n.column = column_;
    Advance();  // '{'
    SkipSpaces();
    if (Peek() == '}') {
      Advance();
      return n;
    }
    for (;;) {
      if (depth > kMaxDepth) return Error("values nest too deep");
      if (absl::Status st = ParseKeyValue(n, /*inline_table=*/true); !st.ok()) return st;
      SkipSpaces();
      if (Peek() == ',') {
        Advance();
        SkipSpaces();
        continue;
      }
      if (Peek() == '}') {
        Advance();
        return n;
      }
      return Error(Cat("expected ',' or '}' in the inline table (inline tables stay on one line), found ", Found()));
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  int line_ = 1, column_ = 1;
  Node root_;
};

}  // namespace

std::string Node::Where() const { return Cat("line ", line, ", column ", column); }

std::string Node::KeyWhere() const {
  if (key_line == 0) return Where();
  return Cat("line ", key_line, ", column ", key_column);
}

std::string_view Node::KindName() const {
  switch (kind) {
    case kString: return "a string";
    case kNumber: return "a number";
    case kBool: return "true or false";
    case kArray: return "an array";
    case kTable: return "a table";
  }
  return "a value";
}

absl::StatusOr<Node> Parse(std::string_view text) {
  Parser p(text);
  return p.Run();
}

absl::Status ErrorAt(const Node& node, std::string_view what) {
  return absl::InvalidArgumentError(Cat(node.Where(), ": ", what));
}

absl::Status ErrorAtKey(const Node& node, std::string_view what) {
  return absl::InvalidArgumentError(Cat(node.KeyWhere(), ": ", what));
}

}  // namespace keyproj::toml
