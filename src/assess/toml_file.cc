#include "assess/toml_file.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>

#include "absl/strings/str_format.h"
#include "keyproj/internal/rational.h"
#include "keyproj/internal/text.h"

// toml++ without exceptions: a syntax error comes back in the parse_result instead of
// a thrown toml::parse_error, and the calls below (type(), as_*(), source(),
// is_inline(), iteration) do not throw either; so nothing but std::bad_alloc can leave
// this file, as everywhere else in the library. Without exceptions toml++ must be
// compiled here, header-only: Debian's libtomlplusplus.so is built with exceptions
// (its entry points are toml::v3::ex::parse), and the package's CMake and pkg-config
// files define TOML_SHARED_LIB=1, which selects that library; so CMake takes only the
// package's include directory (see the top CMakeLists.txt). This is the only file that
// includes toml++, so its compile cost is paid once. Formatters are not needed.
#define TOML_EXCEPTIONS 0
// toml++'s internal asserts fire on some malformed keys in Debug builds (found by
// fuzzing); the release path reports them as parse errors, so use that everywhere.
#define TOML_ASSERT(expr) static_cast<void>(0)
#define TOML_HEADER_ONLY 1
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#if TOML_EXCEPTIONS || !TOML_HEADER_ONLY
#error "toml++ must be used header-only and without exceptions (see above)"
#endif

namespace keyproj::toml {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
namespace {

constexpr int kMaxDepth = 64;

// toml++ builds and walks its tree recursively, so a key of tens of thousands of parts
// (a.a.a.a... = 1, or such a [header]) overflows the stack inside toml::parse (20 000
// levels do under AddressSanitizer). Each level of a key beyond the first costs a '.',
// and values nest at most 256 levels in toml++, so bounding the '.' of the document
// bounds the depth. A hand-written target set or scoring scheme has a few dozen.
constexpr size_t kMaxDots = 4096;

absl::Status ErrorAtPos(uint32_t line, uint32_t column, std::string_view what) {
  return absl::InvalidArgumentError(Cat("line ", line, ", column ", column, ": ", what));
}

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The document's bytes at toml++'s positions: lines are counted by '\n' and columns by
// characters (UTF-8 code points), from 1, as toml++ counts them; line 1 starts after a
// byte order mark, which toml++ skips.
class SourceText {
 public:
  explicit SourceText(std::string_view text) : text_(text) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  // The text of a region: from its begin up to (not including) its end.
  std::string_view Slice(const ::toml::source_region& region) const {
    const size_t begin = Offset(region.begin), end = Offset(region.end);
    return end > begin ? text_.substr(begin, end - begin) : std::string_view();
  }

  // The (line, column) of a byte offset.
  std::pair<uint32_t, uint32_t> PositionOf(size_t offset) const {
    const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const size_t start = *(next - 1);
    uint32_t column = 1;
    for (size_t i = start; i < offset; ++i) column += IsContinuation(text_[i]) ? 0 : 1;
    return {static_cast<uint32_t>(next - line_starts_.begin()), column};
  }

  // The byte offset of a position (the end of its line when the column is past it).
  size_t Offset(::toml::source_position p) const {
    if (p.line == 0 || p.line > line_starts_.size()) return text_.size();
    // Numbers are looked up in order along a line (array items): start from the last
    // position found when it is on the same line and not past p, so that a long line
    // is not walked once per number.
    size_t i = line_starts_[p.line - 1];
    uint32_t column = 1;
    if (cache_line_ == p.line && cache_column_ <= p.column) {
      i = cache_offset_;
      column = cache_column_;
    }
    for (; column < p.column && i < text_.size() && text_[i] != '\n'; ++column) {
      ++i;
      while (i < text_.size() && IsContinuation(text_[i])) ++i;
    }
    cache_line_ = p.line;
    cache_column_ = column;
    cache_offset_ = i;
    return i;
  }

 private:
  std::string_view text_;
  std::vector<size_t> line_starts_;
  mutable uint32_t cache_line_ = 0, cache_column_ = 0;
  mutable size_t cache_offset_ = 0;
};

bool IsBareKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// toml++ reads an unquoted word after '=' as a broken number or boolean
// (`group_by = industry`: "expected 'inf', saw 'ind'"); say what was meant.
std::string BareWordHint(std::string_view text, size_t at) {
  size_t begin = std::min(at, text.size()), end = begin;
  while (begin > 0 && IsBareKeyChar(text[begin - 1])) --begin;
  while (end < text.size() && IsBareKeyChar(text[end])) ++end;
  if (begin == end || !((text[begin] >= 'a' && text[begin] <= 'z') || (text[begin] >= 'A' && text[begin] <= 'Z'))) {
    return "";
  }
  size_t before = begin;
  while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t')) --before;
  if (before == 0 || text[before - 1] != '=') return "";
  return Cat(" (a string needs quotes: \"", text.substr(begin, end - begin), "\")");
}

class Converter {
 public:
  explicit Converter(std::string_view text) : source_(text) {}

  absl::Status Fill(const ::toml::node& in, int depth, Node& out) const {
    out.line = static_cast<int>(in.source().begin.line);
    out.column = static_cast<int>(in.source().begin.column);
    if (depth > kMaxDepth) return ErrorAt(out, Cat("values nest deeper than ", kMaxDepth, " levels"));
    switch (in.type()) {
      case ::toml::node_type::string:
        out.kind = Node::kString;
        out.text = in.as_string()->get();
        return absl::OkStatus();
      case ::toml::node_type::boolean:
        out.kind = Node::kBool;
        out.boolean = in.as_boolean()->get();
        return absl::OkStatus();
      case ::toml::node_type::integer:
      case ::toml::node_type::floating_point:
        return FillNumber(in, out);
      case ::toml::node_type::array: {
        const ::toml::array& array = *in.as_array();
        out.kind = Node::kArray;
        out.array_of_tables = array.is_array_of_tables();
        out.items.resize(array.size());
        for (size_t i = 0; i < array.size(); ++i) {
          if (absl::Status st = Fill(array[i], depth + 1, out.items[i]); !st.ok()) return st;
        }
        return absl::OkStatus();
      }
      case ::toml::node_type::table:
        return FillTable(*in.as_table(), depth, out);
      case ::toml::node_type::date:
      case ::toml::node_type::time:
      case ::toml::node_type::date_time:
        return ErrorAt(out, "dates and times are not supported: write them as \"strings\"");
      case ::toml::node_type::none:
        break;
    }
    return ErrorAt(out, "expected a value");
  }

 private:
  absl::Status FillTable(const ::toml::table& table, int depth, Node& out) const {
    out.kind = Node::kTable;
    out.inline_table = table.is_inline();
    out.members.reserve(table.size());
    for (const auto& [key, value] : table) {
      Node child;
      if (absl::Status st = Fill(value, depth + 1, child); !st.ok()) return st;
      const ::toml::source_position at = key.source().begin;
      child.key_line = static_cast<int>(at.line);
      child.key_column = static_cast<int>(at.column);
      // toml++ places a table made by a dotted key where the key starts, and one made
      // by a [header] (or [[header]]) at the header's '[', before the key.
      child.dotted_key = child.kind == Node::kTable && !child.inline_table && value.source().begin == at;
      if (std::pair(child.line, child.column) < std::pair(child.key_line, child.key_column)) {
        child.key_line = child.line;
        child.key_column = child.column;
      }
      out.members.emplace_back(key.str(), std::move(child));
    }
    // toml++ keeps a table sorted by key; a file's order is the order of first mention.
    std::stable_sort(out.members.begin(), out.members.end(), [](const auto& a, const auto& b) {
      return std::pair(a.second.key_line, a.second.key_column) < std::pair(b.second.key_line, b.second.key_column);
    });
    return absl::OkStatus();
  }

  // A number as written: toml++'s double for 22.5 is not 22.5, so the text is read
  // back from the document at the node's place.
  absl::Status FillNumber(const ::toml::node& in, Node& out) const {
    out.kind = Node::kNumber;
    const std::string_view raw = source_.Slice(in.source());
    std::string_view body = raw;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
    if (body == "inf" || body == "nan") return ErrorAt(out, "inf and nan are not supported");
    if (body.size() > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b')) {
      return ErrorAt(out, "hexadecimal, octal and binary numbers are not supported");
    }
    if (body.find_first_of("eE") != std::string_view::npos) {
      return ErrorAt(out, Cat("exponents are not supported: write '", raw, "' as a plain decimal"));
    }
    for (char c : raw) {
      if (c != '_') out.text.push_back(c);
    }
    // toml++ has checked the syntax; this checks that the text is the number it read
    // (that its positions were mapped back to the right bytes).
    const std::optional<internal::rational::Q> q = internal::rational::ParseDecimal(out.text);
    bool same = q.has_value();
    if (same && in.is_integer()) {
      same = q->den == 1 && q->num == in.as_integer()->get();
    } else if (same) {
      const double written = q->num.convert_to<double>() / q->den.convert_to<double>();
      const double read = in.as_floating_point()->get();
      same = std::fabs(written - read) <= 1e-9 * std::fabs(read);
    }
    if (!same) return ErrorAt(out, Cat("cannot read the number '", raw, "' exactly"));
    return absl::OkStatus();
  }

  SourceText source_;
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

// Code points on which toml++ 3.3's is_non_ascii_horizontal_whitespace() reaches
// __builtin_unreachable (its generated table misses U+00A1..U+0499 and U+FBA6..U+FEFE):
// undefined behaviour, found by fuzzing under UBSan. toml++ asks that question only
// outside strings and comments, after a backslash in a multi-line basic string, and
// at the first character after a line-ending backslash there; CheckCharacters() keeps
// such code points from every one of those places.
bool TomlWhitespaceTableMisses(char32_t c) {
  return (c >= 0xA1 && c <= 0x499) || (c >= 0xFBA6 && c <= 0xFEFE);
}

std::string Describe(char32_t c) {
  std::string out = "'";
  internal::AppendUtf8(&out, c);
  out += absl::StrFormat("' (U+%04X", static_cast<uint32_t>(c));
  if (c == 0x3000) out += ", a full-width space";
  if (c == 0xA0) out += ", a no-break space";
  return out + ")";
}

bool IsTomlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Walks the document's strings and comments as TOML 1.0 delimits them and refuses,
// with its line and column, a character toml++ could not be asked about safely
// (above). Outside strings and comments TOML has no place for a non-ASCII character
// at all (keys are ASCII unless quoted), so every one there is an error that names
// it: the full-width space and quotes a Chinese input method types are the usual
// ones. Malformed documents are otherwise left to toml++, which reports them.
absl::Status CheckCharacters(std::string_view text, const SourceText& source) {
  enum class In { kCode, kComment, kBasic, kLiteral, kMultiBasic, kMultiLiteral };
  In in = In::kCode;
  auto at = [&](size_t i, std::string_view what) {
    const auto [line, column] = source.PositionOf(i);
    return ErrorAtPos(line, column, what);
  };
  auto starts = [&](size_t i, std::string_view s) { return text.substr(i, s.size()) == s; };
  // The end of a multi-line string's closing delimiter at i: up to two more quotes
  // belong to the string.
  auto close_multi = [&](size_t i, char q) {
    size_t j = i + 3;
    while (j < text.size() && j < i + 5 && text[j] == q) ++j;
    return j;
  };
  size_t i = 0;
  while (i < text.size()) {
    const char b = text[i];
    if (static_cast<unsigned char>(b) >= 0x80) {
      char32_t c = 0;
      const size_t len = internal::DecodeUtf8(text, i, &c);
      if (len == 0) return at(i, "not UTF-8 text (save the file as UTF-8)");
      if (in == In::kCode) {
        return at(i, Cat("character ", Describe(c),
                         " outside a quoted string or comment; TOML keys and values "
                         "other than strings are ASCII, and strings take ASCII quotes"));
      }
      i += len;
      continue;
    }
    switch (in) {
      case In::kCode:
        if (b == '#') {
          in = In::kComment;
        } else if (starts(i, "\"\"\"")) {
          in = In::kMultiBasic;
          i += 3;
          continue;
        } else if (starts(i, "'''")) {
          in = In::kMultiLiteral;
          i += 3;
          continue;
        } else if (b == '"') {
          in = In::kBasic;
        } else if (b == '\'') {
          in = In::kLiteral;
        }
        break;
      case In::kComment:
        if (b == '\n') in = In::kCode;
        break;
      case In::kBasic:
        if (b == '\\') {
          // Skip the escaped character; a non-ASCII one is a bad escape toml++ reports.
          if (i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0x80) ++i;
        } else if (b == '"' || b == '\n') {
          in = In::kCode;
        }
        break;
      case In::kLiteral:
        if (b == '\'' || b == '\n') in = In::kCode;
        break;
      case In::kMultiLiteral:
        if (starts(i, "'''")) {
          i = close_multi(i, '\'');
          in = In::kCode;
          continue;
        }
        break;
      case In::kMultiBasic:
        if (starts(i, "\"\"\"")) {
          i = close_multi(i, '"');
          in = In::kCode;
          continue;
        }
        if (b == '\\') {
          size_t j = i + 1;
          const bool line_ending = j < text.size() && IsTomlSpace(text[j]);
          while (j < text.size() && IsTomlSpace(text[j])) ++j;
          if (j >= text.size()) break;
          if (static_cast<unsigned char>(text[j]) < 0x80) {
            // An escape such as \" or \\ : skip the escaped character. After a
            // line-ending backslash the next character is read as usual.
            i = line_ending ? j : j + 1;
            continue;
          }
          char32_t c = 0;
          if (internal::DecodeUtf8(text, j, &c) > 0 && TomlWhitespaceTableMisses(c)) {
            return at(j, line_ending
                             ? Cat("character ", Describe(c),
                                   " right after a line-ending backslash in a multi-line "
                                   "string: put an ASCII character before it")
                             : Cat("'\\' followed by ", Describe(c), " is not an escape"));
          }
          i = j;
          continue;
        }
        break;
    }
    ++i;
  }
  return absl::OkStatus();
}

absl::StatusOr<Node> Parse(std::string_view text) {
  // toml++ skips a byte order mark and counts from the character after it.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const SourceText source(text);
  size_t dots = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.' && ++dots > kMaxDots) {
      const auto [line, column] = source.PositionOf(i);
      return ErrorAtPos(line, column, Cat("more than ", kMaxDots, " '.' in the file: keys nest too deep"));
    }
  }
  if (absl::Status st = CheckCharacters(text, source); !st.ok()) return st;
  ::toml::parse_result result = ::toml::parse(text);
  if (!result) {
    const ::toml::source_position at = result.error().source().begin;
    return ErrorAtPos(at.line, at.column,
                      Cat(result.error().description(), BareWordHint(text, source.Offset(at))));
  }
  Node root;
  if (absl::Status st = Converter(text).Fill(result.table(), 0, root); !st.ok()) return st;
  root.line = 1;
  root.column = 1;
  return root;
}

absl::Status ErrorAt(const Node& node, std::string_view what) {
  return absl::InvalidArgumentError(Cat(node.Where(), ": ", what));
}

absl::Status ErrorAtKey(const Node& node, std::string_view what) {
  return absl::InvalidArgumentError(Cat(node.KeyWhere(), ": ", what));
}

}  // namespace keyproj::toml
