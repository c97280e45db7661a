// Custom indicators: parsing, compiling (references, cycles, flattening) and exact
// evaluation of expressions over catalogue ids. See include/keyproj/expression.h.
#include "keyproj/expression.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "keyproj/internal/error_list.h"
#include "keyproj/internal/rational.h"
#include "keyproj/classification.h"
#include "keyproj/enum_table.h"
#include "keyproj/industry.h"
#include "keyproj/money.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::AppendUtf8;
using ::keyproj::internal::EqualsIgnoreAsciiCase;
using ::keyproj::internal::TrimAscii;
namespace {

using expression_internal::Op;
using internal::rational::Q;

constexpr int kMaxDepth = 100;
// Limits that keep a hostile or runaway expression bounded in time and memory
// (docs/limits.md). A literal longer than this cannot be an exact 128-bit figure (39
// digits, or 38 decimals), and reading a long one is quadratic.
constexpr size_t kMaxNumberChars = 80;
// Steps of a custom indicator set once references are inlined: a reference copies the
// referenced program, so c1 = c0 + c0, c2 = c1 + c1, ... doubles at each level.
constexpr size_t kMaxSetSteps = size_t{1} << 22;
// Bits of an intermediate numerator or denominator. Exact rationals of unbounded
// size make a product of n terms cost n^2 and print thousands of digits; a result
// must fit 128 bits anyway, and 2048 bits leave room for any realistic intermediate
// (x * x / x of the largest sums is 256 bits).
constexpr unsigned kMaxIntermediateBits = 2048;

// ---- characters --------------------------------------------------------------

// Decodes UTF-8 into code points; full-width punctuation that a Chinese input
// method produces is mapped to its ASCII twin so that "（a＋b）" parses like "(a+b)".
// Positions stay those of the original text (one column per code point).
absl::StatusOr<std::u32string> Decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    char32_t c;
    int n;
    if (b < 0x80) {
      c = b;
      n = 1;
    } else if ((b & 0xE0) == 0xC0) {
      c = b & 0x1F;
      n = 2;
    } else if ((b & 0xF0) == 0xE0) {
      c = b & 0x0F;
      n = 3;
    } else if ((b & 0xF8) == 0xF0) {
      c = b & 0x07;
      n = 4;
    } else {
      return absl::InvalidArgumentError(Cat("column ", out.size() + 1, ": invalid UTF-8"));
    }
    if (i + static_cast<size_t>(n) > s.size()) {
      return absl::InvalidArgumentError(Cat("column ", out.size() + 1, ": invalid UTF-8"));
    }
    for (int k = 1; k < n; ++k) {
      const auto cb = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cb & 0xC0) != 0x80) return absl::InvalidArgumentError(Cat("column ", out.size() + 1, ": invalid UTF-8"));
      c = (c << 6) | (cb & 0x3F);
    }
    i += static_cast<size_t>(n);
    switch (c) {
      case U'（': c = U'('; break;
      case U'）': c = U')'; break;
      case U'［': c = U'['; break;
      case U'］': c = U']'; break;
      case U'，': c = U','; break;
      case U'＝': c = U'='; break;
      case U'＋': c = U'+'; break;
      case U'－': c = U'-'; break;
      case U'＊': case U'×': c = U'*'; break;
      case U'／': case U'÷': c = U'/'; break;
      case U'％': c = U'%'; break;
      case U'｜': c = U'|'; break;
      case U'＜': c = U'<'; break;
      case U'＞': c = U'>'; break;
      case U'\u3000': c = U' '; break;
      default: break;
    }
    out.push_back(c);
  }
  return out;
}

std::string Utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) AppendUtf8(&out, c);
  return out;
}

bool IsSpace(char32_t c) { return c == U' ' || c == U'\t' || c == U'\r' || c == U'\n'; }
bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool IsIdStart(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || c == U'_'; }
bool IsIdChar(char32_t c) { return IsIdStart(c) || IsDigit(c); }
// Characters that end a bare filter value.
bool EndsValue(char32_t c) {
  return IsSpace(c) || c == U',' || c == U']' || c == U'[' || c == U'|' || c == U'(' || c == U')' ||
         c == U'"' || c == U'=' || c == U'<' || c == U'>';
}

// ---- filters -----------------------------------------------------------------

enum class Key : uint8_t {
  kCategory, kLevel, kBuildType, kRegion, kDepartment, kLeader, kTag, kAttracted, kSector,
  kIndustrial, kSize, kCode,
};
constexpr std::string_view kKeyNames[] = {"category", "level", "build_type", "region", "department", "leader",
                                          "tag", "attracted", "sector", "industrial", "size", "code"};
constexpr std::string_view kKeyList =
    "category, level, build_type, region, department, leader, tag, attracted, sector, industrial, size, code";

std::optional<Key> FindKey(std::string_view name) {
  for (size_t i = 0; i < std::size(kKeyNames); ++i) {
    if (kKeyNames[i] == name) return static_cast<Key>(i);
  }
  if (name == "tags") return Key::kTag;
  // The grouping names the same divisions county and city (--group-by county).
  if (name == "county" || name == "city") return Key::kRegion;
  if (name == "codes") return Key::kCode;
  return std::nullopt;
}

std::optional<bool> ParseFlag(std::string_view v) {
  const std::optional<YesNo> b = ParseEnum<YesNo>(v);
  if (!b) return std::nullopt;
  return *b == YesNo::kYes;
}

void SortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}
template <typename E>
void SortUniqueEnum(std::vector<E>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

void Normalize(Filter& f) {
  SortUniqueEnum(f.categories);
  SortUniqueEnum(f.levels);
  SortUnique(f.region_prefixes);
  SortUnique(f.departments);
  SortUnique(f.leaders);
  SortUnique(f.tags);
  SortUnique(f.codes);
}

std::string QuoteIfNeeded(std::string_view v) {
  bool plain = !v.empty();
  for (char c : v) {
    if (EndsValue(static_cast<unsigned char>(c))) plain = false;
  }
  return plain ? std::string(v) : Cat("\"", v, "\"");
}

std::string WanText(int64_t fen) { return FormatExact(fen, kFenPerWan, 0); }

// A size bound: 万元 by default, or with a unit "500万", "500万元", "1亿", "1亿元".
std::optional<int64_t> SizeFen(std::string_view text) {
  int64_t multiple = 1;
  auto strip = [&text](std::string_view suffix) {
    if (text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix) {
      text.remove_suffix(suffix.size());
      return true;
    }
    return false;
  };
  if (strip("亿元") || strip("亿")) {
    multiple = 10'000;
  } else if (!strip("万元")) {
    strip("万");
  }
  Money m;
  if (Money::ParseWan(text, &m) != MoneyParseError::kOk || m.fen() < 0) return std::nullopt;
  const int128 fen = static_cast<int128>(m.fen()) * multiple;
  if (fen > std::numeric_limits<int64_t>::max()) return std::nullopt;
  return static_cast<int64_t>(fen);
}

// ---- the parser --------------------------------------------------------------

// A step of a program before custom references are flattened.
struct RawOp {
  enum Kind : uint8_t { kTerm, kNumber, kAdd, kSub, kMul, kDiv, kNeg, kCustom };
  Kind kind = kNumber;
  int index = 0;  // kTerm: term; kCustom: custom indicator
  Value number;
};

struct RawExpression {
  std::vector<ExpressionTerm> terms;
  std::vector<RawOp> program;
};

// Index of a custom indicator id, or -1.
using CustomResolver = std::function<int(std::string_view)>;

class Parser {
 public:
  Parser(std::u32string text, const CustomResolver& customs) : s_(std::move(text)), customs_(customs) {}

  absl::StatusOr<RawExpression> ParseAll() {
    SkipSpace();
    if (AtEnd()) return Error(pos_, "expected an expression, found end of text");
    if (absl::Status st = ParseSum(0); !st.ok()) return Failed(st);
    SkipSpace();
    if (!AtEnd()) return Failed(Error(pos_, Cat("expected an operator (+ - * /) or the end, found ", Found())));
    if (!values_.empty()) return values_.status();
    return std::move(out_);
  }

  absl::StatusOr<Filter> ParseFilterOnly() {
    Filter f;
    if (absl::Status st = ParseConditions(f, /*bracketed=*/false); !st.ok()) return Failed(st);
    if (!values_.empty()) return values_.status();
    return f;
  }

 private:
  bool AtEnd() const { return pos_ >= s_.size(); }
  char32_t Peek() const { return AtEnd() ? 0 : s_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(s_[pos_])) ++pos_;
  }
  std::string Found() const {
    if (AtEnd()) return "end of text";
    std::string c;
    AppendUtf8(&c, s_[pos_]);
    return Cat("'", c, "'");
  }
  static absl::Status Error(size_t pos, std::string_view what) {
    return absl::InvalidArgumentError(Cat("column ", pos + 1, ": ", what));
  }
  void Emit(RawOp::Kind k) { out_.program.push_back(RawOp{k, 0, Value()}); }
  // A filter's values that are well formed but wrong (a category that is none, a key
  // given twice) are all listed: the text's shape is right, so the reading goes on.
  // A syntax error ends it, after them.
  internal::ErrorList values_;
  absl::Status Failed(const absl::Status& syntax) {
    values_.Ok(syntax);
    return values_.status();
  }

  absl::Status ParseSum(int depth) {
    if (absl::Status st = ParseProduct(depth); !st.ok()) return st;
    for (;;) {
      SkipSpace();
      const char32_t c = Peek();
      if (c != U'+' && c != U'-') return absl::OkStatus();
      ++pos_;
      if (absl::Status st = ParseProduct(depth); !st.ok()) return st;
      Emit(c == U'+' ? RawOp::kAdd : RawOp::kSub);
    }
  }

  absl::Status ParseProduct(int depth) {
    if (absl::Status st = ParseUnary(depth); !st.ok()) return st;
    for (;;) {
      SkipSpace();
      const char32_t c = Peek();
      if (c != U'*' && c != U'/') return absl::OkStatus();
      ++pos_;
      if (absl::Status st = ParseUnary(depth); !st.ok()) return st;
      Emit(c == U'*' ? RawOp::kMul : RawOp::kDiv);
    }
  }

  absl::Status ParseUnary(int depth) {
    SkipSpace();
    if (Peek() == U'-') {
      if (depth >= kMaxDepth) return Error(pos_, Cat("expressions nest deeper than ", kMaxDepth, " levels"));
      ++pos_;
      if (absl::Status st = ParseUnary(depth + 1); !st.ok()) return st;
      Emit(RawOp::kNeg);
      return absl::OkStatus();
    }
    return ParsePrimary(depth);
  }

  absl::Status ParsePrimary(int depth) {
    SkipSpace();
    const size_t start = pos_;
    const char32_t c = Peek();
    if (IsDigit(c) || c == U'.') return ParseNumber();
    if (IsIdStart(c)) return ParseReference();
    if (c == U'(') {
      if (depth >= kMaxDepth) return Error(pos_, Cat("expressions nest deeper than ", kMaxDepth, " levels"));
      ++pos_;
      if (absl::Status st = ParseSum(depth + 1); !st.ok()) return st;
      SkipSpace();
      if (Peek() != U')') {
        return Error(pos_, Cat("expected ')' to close the '(' of column ", start + 1, ", found ", Found()));
      }
      ++pos_;
      return absl::OkStatus();
    }
    return Error(pos_, Cat("expected a number, an indicator id or '(', found ", Found()));
  }

  absl::Status ParseNumber() {
    const size_t start = pos_;
    std::string text;
    while (IsDigit(Peek()) || Peek() == U'.' ||
           (Peek() == U'_' && !text.empty() && pos_ + 1 < s_.size() && IsDigit(s_[pos_ + 1]))) {
      text.push_back(static_cast<char>(s_[pos_++]));
    }
    if (text.size() > kMaxNumberChars) {
      return Error(start, Cat("the number '", text.substr(0, 20), "...' has ", text.size(),
                              " characters; an exact figure has at most ", kMaxNumberChars));
    }
    std::optional<Q> q = internal::rational::ParseDecimal(text);
    if (!q) return Error(start, Cat("expected a number, found '", text, "'"));
    SkipSpace();
    if (Peek() == U'%') {
      ++pos_;
      q = *internal::rational::Div(*q, internal::rational::FromInt(100));
    }
    absl::StatusOr<Value> v = internal::rational::ToValue(*q);
    if (!v.ok()) return Error(start, Cat("the number '", text, "' is too large"));
    out_.program.push_back(RawOp{RawOp::kNumber, 0, *v});
    return absl::OkStatus();
  }

  absl::Status ParseReference() {
    const size_t start = pos_;
    std::string id;
    // A dot joins a split key (support_approved.central_budget, reserve_age.12_24: a key
    // may start with a digit; an id followed by a number was never an expression).
    while (IsIdChar(Peek()) || (Peek() == U'.' && pos_ + 1 < s_.size() && IsIdChar(s_[pos_ + 1]))) {
      id.push_back(static_cast<char>(s_[pos_++]));
    }
    SkipSpace();
    const size_t bracket = pos_;
    std::optional<Filter> filter;
    if (Peek() == U'[') {
      ++pos_;
      Filter f;
      if (absl::Status st = ParseConditions(f, /*bracketed=*/true); !st.ok()) return st;
      filter = std::move(f);
    }
    const int custom = customs_ ? customs_(id) : -1;
    if (custom >= 0) {
      if (filter) {
        return Error(bracket, Cat("a filter applies to catalogue ids only; '", id,
                                  "' is a custom indicator (put the filter on its terms)"));
      }
      out_.program.push_back(RawOp{RawOp::kCustom, custom, Value()});
      return absl::OkStatus();
    }
    absl::StatusOr<IndicatorRef> ref = FindIndicator(id);
    if (!ref.ok()) {
      return Error(start, Cat(std::string(ref.status().message()), " (expected a catalogue id",
                              customs_ ? " or a custom indicator of the set)" : ")"));
    }
    ExpressionTerm term;
    term.indicator = *std::move(ref);
    term.text = term.indicator.id;
    if (filter) {
      Normalize(*filter);
      Append(&term.text, "[", FilterText(*filter), "]");
      term.filter = std::move(filter);
    }
    // A hash, not a search: an expression of 10^5 distinct filtered terms was
    // quadratic (docs/limits.md).
    const auto [it, added] = term_index_.try_emplace(term.text, static_cast<int>(out_.terms.size()));
    if (added) out_.terms.push_back(std::move(term));
    out_.program.push_back(RawOp{RawOp::kTerm, it->second, Value()});
    return absl::OkStatus();
  }

  // A filter value: "quoted text" or a run of characters up to a delimiter.
  absl::StatusOr<std::string> ReadValue(std::string_view key) {
    SkipSpace();
    const size_t start = pos_;
    if (Peek() == U'"') {
      ++pos_;
      while (!AtEnd() && s_[pos_] != U'"') ++pos_;
      if (AtEnd()) return Error(start, "expected a closing '\"' for the value that starts here");
      std::string v = Utf8(std::u32string_view(s_).substr(start + 1, pos_ - start - 1));
      ++pos_;
      if (v.empty()) return Error(start, Cat("expected a value for '", key, "', found \"\""));
      return v;
    }
    while (!AtEnd() && !EndsValue(s_[pos_])) ++pos_;
    if (pos_ == start) return Error(start, Cat("expected a value for '", key, "', found ", Found()));
    return Utf8(std::u32string_view(s_).substr(start, pos_ - start));
  }

  // key=value|value, ... up to ']' (bracketed) or the end of the text.
  absl::Status ParseConditions(Filter& f, bool bracketed) {
    bool seen[std::size(kKeyNames)] = {};
    bool seen_min = false, seen_max = false;
    for (;;) {
      SkipSpace();
      const size_t key_pos = pos_;
      std::string name;
      while (IsIdChar(Peek())) name.push_back(static_cast<char>(s_[pos_++]));
      if (name.empty()) return Error(key_pos, Cat("expected a filter key (", kKeyList, "), found ", Found()));
      std::optional<Key> key = FindKey(name);
      SkipSpace();
      if (key && *key == Key::kSize) {
        const size_t op_pos = pos_;
        bool at_least;
        if (Peek() == U'>' && pos_ + 1 < s_.size() && s_[pos_ + 1] == U'=') {
          at_least = true;
          pos_ += 2;
        } else if (Peek() == U'≥') {
          at_least = true;
          ++pos_;
        } else if (Peek() == U'<' && !(pos_ + 1 < s_.size() && s_[pos_ + 1] == U'=')) {
          at_least = false;
          ++pos_;
        } else {
          return Error(op_pos, Cat("expected '>=' or '<' after 'size', found ", Found()));
        }
        if ((at_least && seen_min) || (!at_least && seen_max)) {
          values_.Ok(Error(key_pos, Cat("filter key 'size ", at_least ? ">=" : "<", "' given twice")));
        }
        (at_least ? seen_min : seen_max) = true;
        SkipSpace();
        const size_t num_pos = pos_;
        absl::StatusOr<std::string> v = ReadValue("size");
        if (!v.ok()) return v.status();
        if (std::optional<int64_t> fen = SizeFen(*v)) {
          (at_least ? f.min_total_investment : f.max_total_investment) = *fen;
        } else {
          values_.Ok(Error(num_pos, Cat("expected a total investment in 万元 (e.g. size>=500 or size>=1亿), found '",
                                        *v, "'")));
        }
      } else {
        // An unknown key is listed, and its values read past as any key's, so that the
        // conditions after it are read too.
        const size_t k = key ? static_cast<size_t>(*key) : 0;
        if (!key) {
          values_.Ok(Error(key_pos, Cat("unknown filter key '", name, "' (expected one of ", kKeyList, ")")));
        } else if (seen[k]) {
          values_.Ok(Error(key_pos, Cat("filter key '", kKeyNames[k], "' given twice")));
        }
        if (key) seen[k] = true;
        if (Peek() != U'=') return Error(pos_, Cat("expected '=' after '", name, "', found ", Found()));
        ++pos_;
        for (bool first = true;; first = false) {
          SkipSpace();
          const size_t value_pos = pos_;
          if (key && !first &&
              (*key == Key::kBuildType || *key == Key::kAttracted || *key == Key::kSector || *key == Key::kIndustrial)) {
            return Error(value_pos - 1, Cat("'", kKeyNames[k], "' takes one value"));
          }
          absl::StatusOr<std::string> v = ReadValue(key ? kKeyNames[k] : std::string_view(name));
          if (!v.ok()) return v.status();
          if (key) values_.Ok(AddValue(f, *key, *v, value_pos));
          SkipSpace();
          if (Peek() != U'|') break;
          ++pos_;
        }
      }
      SkipSpace();
      if (Peek() == U',') {
        ++pos_;
        continue;
      }
      if (bracketed) {
        if (Peek() == U']') {
          ++pos_;
          return absl::OkStatus();
        }
        return Error(pos_, Cat("expected ',' or ']', found ", Found()));
      }
      if (AtEnd()) return absl::OkStatus();
      return Error(pos_, Cat("expected ',' or the end, found ", Found()));
    }
  }

  template <typename E>
  static absl::StatusOr<E> EnumValue(std::string_view v, std::string_view what, size_t pos) {
    std::optional<E> e = ParseEnum<E>(v);
    if (!e) return Error(pos, Cat("'", v, "' is not ", what, " (expected ", AcceptedEnumValues<E>(), ")"));
    return *e;
  }

  static absl::Status AddValue(Filter& f, Key key, const std::string& v, size_t pos) {
    switch (key) {
      case Key::kCategory: {
        absl::StatusOr<Category> e = EnumValue<Category>(v, "a category", pos);
        if (!e.ok()) return e.status();
        f.categories.push_back(*e);
        return absl::OkStatus();
      }
      case Key::kLevel: {
        absl::StatusOr<Level> e = EnumValue<Level>(v, "a level", pos);
        if (!e.ok()) return e.status();
        f.levels.push_back(*e);
        return absl::OkStatus();
      }
      case Key::kBuildType: {
        absl::StatusOr<BuildType> e = EnumValue<BuildType>(v, "a build type", pos);
        if (!e.ok()) return e.status();
        f.build_type = *e;
        return absl::OkStatus();
      }
      case Key::kSector: {
        absl::StatusOr<Sector> e = EnumValue<Sector>(v, "a sector", pos);
        if (!e.ok()) return e.status();
        f.sector = *e;
        return absl::OkStatus();
      }
      case Key::kRegion: {
        const bool digits = std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || (v.size() != 2 && v.size() != 4 && v.size() != 6)) {
          return Error(pos, Cat("expected a region code or prefix of 2, 4 or 6 digits, found '", v, "'"));
        }
        f.region_prefixes.push_back(v);
        return absl::OkStatus();
      }
      case Key::kAttracted:
      case Key::kIndustrial: {
        std::optional<bool> b = ParseFlag(v);
        if (!b) return Error(pos, Cat("expected 1, 0, 是 or 否 for '", kKeyNames[static_cast<size_t>(key)],
                                      "', found '", v, "'"));
        (key == Key::kAttracted ? f.attracted : f.industrial) = *b;
        return absl::OkStatus();
      }
      case Key::kDepartment: f.departments.push_back(v); return absl::OkStatus();
      case Key::kLeader: f.leaders.push_back(v); return absl::OkStatus();
      case Key::kTag: f.tags.push_back(v); return absl::OkStatus();
      case Key::kCode: f.codes.push_back(v); return absl::OkStatus();
      case Key::kSize: break;
    }
    return absl::OkStatus();
  }

  std::u32string s_;
  const CustomResolver& customs_;
  size_t pos_ = 0;
  RawExpression out_;
  absl::flat_hash_map<std::string, int> term_index_;  // out_.terms by text
};

absl::StatusOr<RawExpression> ParseRaw(std::string_view text, const CustomResolver& customs) {
  absl::StatusOr<std::u32string> decoded = Decode(text);
  if (!decoded.ok()) return decoded.status();
  Parser p(*std::move(decoded), customs);
  return p.ParseAll();
}

// ---- evaluation --------------------------------------------------------------

// True when a numerator or denominator has more than kMaxIntermediateBits bits.
bool TooWide(const Q& q) {
  using boost::multiprecision::msb;
  return (q.num != 0 && msb(boost::multiprecision::abs(q.num)) >= kMaxIntermediateBits) ||
         msb(q.den) >= kMaxIntermediateBits;
}

// Exact decimal text of a literal (a fraction whose denominator divides a power of
// ten): "0.5", "100", "0.95".
std::string NumberText(const Value& v) {
  internal::rational::Q q = internal::rational::Reduce(internal::rational::FromValue(v));
  internal::rational::Int d = q.den;
  int twos = 0, fives = 0;
  while (d % 2 == 0) d /= 2, ++twos;
  while (d % 5 == 0) d /= 5, ++fives;
  if (d != 1) return v.Decimal(12);
  return v.Decimal(std::max(twos, fives));
}

}  // namespace

// ---- public: filters, units --------------------------------------------------

absl::StatusOr<Filter> ParseFilter(std::string_view text) {
  absl::StatusOr<std::u32string> decoded = Decode(text);
  if (!decoded.ok()) return decoded.status();
  static const CustomResolver kNone;
  Parser p(*std::move(decoded), kNone);
  absl::StatusOr<Filter> f = p.ParseFilterOnly();
  if (f.ok()) Normalize(*f);
  return f;
}

std::string FilterText(const Filter& f) {
  std::vector<std::string> parts;
  auto list = [&](std::string_view key, const std::vector<std::string>& values) {
    if (values.empty()) return;
    std::string s = Cat(key, "=");
    for (size_t i = 0; i < values.size(); ++i) Append(&s, i ? "|" : "", QuoteIfNeeded(values[i]));
    parts.push_back(std::move(s));
  };
  auto enums = [&](std::string_view key, const auto& values) {
    std::vector<std::string> ids;
    for (const auto& e : values) ids.emplace_back(EnumId(e));
    list(key, ids);
  };
  enums("category", f.categories);
  enums("level", f.levels);
  if (f.build_type) parts.push_back(Cat("build_type=", EnumId(*f.build_type)));
  list("region", f.region_prefixes);
  list("department", f.departments);
  list("leader", f.leaders);
  list("tag", f.tags);
  if (f.attracted) parts.push_back(Cat("attracted=", *f.attracted ? "1" : "0"));
  if (f.sector) parts.push_back(Cat("sector=", EnumId(*f.sector)));
  if (f.industrial) parts.push_back(Cat("industrial=", *f.industrial ? "1" : "0"));
  if (f.min_total_investment) parts.push_back(Cat("size>=", WanText(*f.min_total_investment)));
  if (f.max_total_investment) parts.push_back(Cat("size<", WanText(*f.max_total_investment)));
  list("code", f.codes);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) Append(&out, i ? "," : "", parts[i]);
  return out;
}

absl::StatusOr<Unit> ParseUnit(std::string_view text) {
  if (std::optional<Unit> unit = ParseEnum<Unit>(text)) return *unit;
  return absl::InvalidArgumentError(
      Cat("unknown unit '", TrimAscii(text), "' (expected count, money, rate, points, multiple or months)"));
}

std::string_view UnitId(Unit unit) { return EnumId(unit); }

int DefaultPlaces(Unit unit) {
  switch (unit) {
    case Unit::kCount:
    case Unit::kMonths: return 0;
    case Unit::kMoney: return 2;
    case Unit::kRate:
    case Unit::kPoints: return 1;
    case Unit::kMultiple: return 2;
  }
  return 2;
}

// ---- public: Expression ------------------------------------------------------

absl::StatusOr<Expression> Expression::Parse(std::string_view text) {
  static const CustomResolver kNone;
  absl::StatusOr<RawExpression> raw = ParseRaw(text, kNone);
  if (!raw.ok()) return raw.status();
  Expression e;
  e.terms_ = std::move(raw->terms);
  for (const RawOp& op : raw->program) {
    e.program_.push_back(Op{static_cast<Op::Kind>(op.kind), op.index, op.number});
  }
  return e;
}

absl::StatusOr<Value> Expression::Evaluate(std::span<const Value> term_values) const {
  if (term_values.size() != terms_.size()) {
    return absl::InvalidArgumentError(
        Cat("expression has ", terms_.size(), " terms but ", term_values.size(), " values were given"));
  }
  std::vector<std::optional<Q>> stack;  // nullopt = not applicable
  stack.reserve(program_.size());
  for (const Op& op : program_) {
    switch (op.kind) {
      case Op::kTerm: {
        const Value& v = term_values[static_cast<size_t>(op.term)];
        if (!v.applicable()) {
          stack.emplace_back();
          break;
        }
        Q q = internal::rational::FromValue(v);
        const IndicatorDef* def = terms_[static_cast<size_t>(op.term)].indicator.def;
        if (def != nullptr && def->unit == Unit::kMoney) q = *internal::rational::Div(q, internal::rational::FromInt(kFenPerWan));
        stack.emplace_back(std::move(q));
        break;
      }
      case Op::kNumber:
        stack.emplace_back(op.number.applicable() ? std::optional<Q>(internal::rational::FromValue(op.number)) : std::nullopt);
        break;
      case Op::kNeg:
        if (stack.back()) stack.back() = internal::rational::Neg(*stack.back());
        break;
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul:
      case Op::kDiv: {
        std::optional<Q> b = std::move(stack.back());
        stack.pop_back();
        std::optional<Q>& a = stack.back();
        if (!a || !b) {
          a.reset();
          break;
        }
        switch (op.kind) {
          case Op::kAdd: a = internal::rational::Add(*a, *b); break;
          case Op::kSub: a = internal::rational::Sub(*a, *b); break;
          case Op::kMul: a = internal::rational::Mul(*a, *b); break;
          default: a = internal::rational::Div(*a, *b); break;  // nullopt on a zero divisor
        }
        if (a && TooWide(*a)) {
          return absl::OutOfRangeError(
              Cat("an intermediate result of the expression needs more than ", kMaxIntermediateBits,
                  " bits (step ", static_cast<size_t>(&op - program_.data()) + 1, " of ", program_.size(),
                  "); keyproj keeps intermediates exact up to that size"));
        }
        break;
      }
    }
  }
  if (stack.size() != 1) return absl::InternalError("malformed expression program");
  if (!stack.back()) return Value();
  return internal::rational::ToValue(*std::move(stack.back()));
}

std::string Expression::ToString() const {
  std::vector<std::string> stack;
  for (const Op& op : program_) {
    switch (op.kind) {
      case Op::kTerm: stack.push_back(terms_[static_cast<size_t>(op.term)].text); break;
      case Op::kNumber: stack.push_back(NumberText(op.number)); break;
      case Op::kNeg: stack.back() = Cat("-", stack.back()); break;
      default: {
        std::string b = std::move(stack.back());
        stack.pop_back();
        const char* sym = op.kind == Op::kAdd ? " + " : op.kind == Op::kSub ? " - " : op.kind == Op::kMul ? " * " : " / ";
        stack.back() = Cat("(", stack.back(), sym, b, ")");
      }
    }
  }
  return stack.empty() ? std::string() : stack.back();
}

// ---- public: CustomIndicatorSet ------------------------------------------------

namespace {

bool ValidCustomId(std::string_view id) {
  if (id.empty() || !IsIdStart(static_cast<unsigned char>(id[0]))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return IsIdChar(static_cast<unsigned char>(c)); });
}

// Distinct terms by their text: an expression's, or a whole set's. A hash, because a
// report template makes a custom indicator of every placeholder, and a template of
// thousands of them made a linear search quadratic (the CLI argument fuzzer).
class TermTable {
 public:
  explicit TermTable(std::vector<ExpressionTerm>& terms) : terms_(terms) {
    for (size_t i = 0; i < terms.size(); ++i) by_text_.try_emplace(terms[i].text, static_cast<int>(i));
  }
  int Add(const ExpressionTerm& t) {
    const auto [it, added] = by_text_.try_emplace(t.text, static_cast<int>(terms_.size()));
    if (added) terms_.push_back(t);
    return it->second;
  }

 private:
  std::vector<ExpressionTerm>& terms_;
  absl::flat_hash_map<std::string, int> by_text_;
};

}  // namespace

absl::StatusOr<CustomIndicatorSet> CustomIndicatorSet::Compile(std::vector<CustomIndicator> defs) {
  return internal::NoThrow("compiling custom indicators", [&]() -> absl::StatusOr<CustomIndicatorSet> {
    absl::flat_hash_map<std::string, int> index;
    for (size_t i = 0; i < defs.size(); ++i) {
      const std::string& id = defs[i].id;
      if (!ValidCustomId(id)) {
        return absl::InvalidArgumentError(
            Cat("custom indicator '", id, "': an id is letters, digits and '_', starting with a letter or '_'"));
      }
      // (Not FindIndicator(id).ok(): a template compiles each of its placeholders to
      // a custom id, and the error of each would be made for nothing.)
      if (IsCatalogueName(id)) {
        return absl::InvalidArgumentError(Cat("custom indicator '", id, "' has the id of a catalogue indicator"));
      }
      if (!index.emplace(id, static_cast<int>(i)).second) {
        return absl::InvalidArgumentError(Cat("custom indicator '", id, "' is defined twice"));
      }
      if (defs[i].places < 0 || defs[i].places > 12) {
        return absl::InvalidArgumentError(Cat("custom indicator '", id, "': places must be 0..12"));
      }
    }
    const CustomResolver resolve = [&index](std::string_view id) {
      auto it = index.find(std::string(id));
      return it == index.end() ? -1 : it->second;
    };
    std::vector<RawExpression> raw;
    raw.reserve(defs.size());
    for (const CustomIndicator& d : defs) {
      absl::StatusOr<RawExpression> r = ParseRaw(d.expression, resolve);
      if (!r.ok()) return absl::InvalidArgumentError(Cat("custom indicator '", d.id, "': ", std::string(r.status().message())));
      raw.push_back(*std::move(r));
    }

    // Cycles: depth-first over the references, in definition order.
    const size_t n = defs.size();
    std::vector<uint8_t> color(n, 0);  // 0 new, 1 on the stack, 2 done
    std::vector<int> order;            // post-order: dependencies first
    std::vector<int> path;
    // A chain of references is a nesting like '(' and bounded alike: the walk below
    // recurses once per level (docs/limits.md). levels[i]: the custom indicators on
    // the longest chain from i, i included.
    std::vector<int> levels(n, 1);
    auto too_deep = [&](int from) {
      return absl::InvalidArgumentError(Cat("custom indicators reference each other more than ", kMaxDepth,
                                            " levels deep, from '", defs[static_cast<size_t>(from)].id, "'"));
    };
    std::function<absl::Status(int)> visit = [&](int i) -> absl::Status {
      color[static_cast<size_t>(i)] = 1;
      path.push_back(i);
      for (const RawOp& op : raw[static_cast<size_t>(i)].program) {
        if (op.kind != RawOp::kCustom) continue;
        const int j = op.index;
        if (color[static_cast<size_t>(j)] == 1) {
          std::string cycle;
          auto from = std::find(path.begin(), path.end(), j);
          for (auto it = from; it != path.end(); ++it) Append(&cycle, defs[static_cast<size_t>(*it)].id, " -> ");
          Append(&cycle, defs[static_cast<size_t>(j)].id);
          return absl::InvalidArgumentError(Cat("custom indicators form a cycle: ", cycle));
        }
        if (color[static_cast<size_t>(j)] == 0) {
          if (path.size() >= static_cast<size_t>(kMaxDepth)) return too_deep(path.front());
          if (absl::Status st = visit(j); !st.ok()) return st;
        }
        levels[static_cast<size_t>(i)] = std::max(levels[static_cast<size_t>(i)], levels[static_cast<size_t>(j)] + 1);
        if (levels[static_cast<size_t>(i)] > kMaxDepth) return too_deep(i);
      }
      path.pop_back();
      color[static_cast<size_t>(i)] = 2;
      order.push_back(i);
      return absl::OkStatus();
    };
    for (size_t i = 0; i < n; ++i) {
      if (color[i] == 0) {
        if (absl::Status st = visit(static_cast<int>(i)); !st.ok()) return st;
      }
    }

    // Flatten, dependencies first.
    std::vector<Expression> flat(n);
    size_t steps = 0;  // of the whole set, bounded by kMaxSetSteps
    for (int i : order) {
      const RawExpression& r = raw[static_cast<size_t>(i)];
      Expression& e = flat[static_cast<size_t>(i)];
      TermTable terms(e.terms_);
      for (const RawOp& op : r.program) {
        if (op.kind == RawOp::kCustom) {
          const Expression& sub = flat[static_cast<size_t>(op.index)];
          steps += sub.program_.size();
          if (steps > kMaxSetSteps) {
            return absl::InvalidArgumentError(
                Cat("custom indicator '", defs[static_cast<size_t>(i)].id, "': with the custom indicators it uses "
                    "written out, the set has more than ", kMaxSetSteps, " steps (each use of '",
                    defs[static_cast<size_t>(op.index)].id, "' copies its ", sub.program_.size(), ")"));
          }
          for (const Op& sop : sub.program_) {
            Op copy = sop;
            if (copy.kind == Op::kTerm) copy.term = terms.Add(sub.terms_[static_cast<size_t>(sop.term)]);
            e.program_.push_back(copy);
          }
        } else if (op.kind == RawOp::kTerm) {
          ++steps;
          e.program_.push_back(Op{Op::kTerm, terms.Add(r.terms[static_cast<size_t>(op.index)]), Value()});
        } else {
          ++steps;
          e.program_.push_back(Op{static_cast<Op::Kind>(op.kind), 0, op.number});
        }
      }
    }

    CustomIndicatorSet set;
    TermTable set_terms(set.terms_);
    for (size_t i = 0; i < n; ++i) {
      Compiled c;
      if (defs[i].label.empty()) defs[i].label = defs[i].id;
      c.def = std::move(defs[i]);
      c.expression = std::move(flat[i]);
      for (const ExpressionTerm& t : c.expression.terms()) c.set_terms.push_back(set_terms.Add(t));
      set.indicators_.push_back(std::move(c));
    }
    set.by_id_.resize(n);
    std::iota(set.by_id_.begin(), set.by_id_.end(), 0);
    std::sort(set.by_id_.begin(), set.by_id_.end(), [&set](int a, int b) {
      return set.indicators_[static_cast<size_t>(a)].def.id < set.indicators_[static_cast<size_t>(b)].def.id;
    });
    return set;
  });
}

const CustomIndicatorSet::Compiled* CustomIndicatorSet::Find(std::string_view id) const {
  const int i = IndexOf(id);
  return i < 0 ? nullptr : &indicators_[static_cast<size_t>(i)];
}

int CustomIndicatorSet::IndexOf(std::string_view id) const {
  const auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id, [this](int i, std::string_view v) {
    return std::string_view(indicators_[static_cast<size_t>(i)].def.id) < v;
  });
  return it != by_id_.end() && indicators_[static_cast<size_t>(*it)].def.id == id ? *it : -1;
}

absl::StatusOr<Value> CustomIndicatorSet::Evaluate(size_t i, std::span<const Value> set_term_values) const {
  if (i >= indicators_.size()) return absl::InvalidArgumentError(Cat("no custom indicator ", i));
  if (set_term_values.size() != terms_.size()) {
    return absl::InvalidArgumentError(
        Cat("the set has ", terms_.size(), " terms but ", set_term_values.size(), " values were given"));
  }
  const Compiled& c = indicators_[i];
  std::vector<Value> values;
  values.reserve(c.set_terms.size());
  for (int t : c.set_terms) values.push_back(set_term_values[static_cast<size_t>(t)]);
  absl::StatusOr<Value> v = c.expression.Evaluate(values);
  if (!v.ok() || !v->applicable() || c.def.unit != Unit::kMoney) return v;
  return internal::rational::ToValue(internal::rational::Mul(internal::rational::FromValue(*v), internal::rational::FromInt(kFenPerWan)));
}

}  // namespace keyproj
