// Small text helpers over std::string_view.
//
// Debian's Abseil is built with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW
// is 0), so absl::StrCat and friends do not take std::string_view. keyproj speaks
// std::string_view everywhere and uses these instead.
#ifndef KEYPROJ_TEXT_H_
#define KEYPROJ_TEXT_H_

#include <algorithm>
#include <charconv>
#include <concepts>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace keyproj::internal {

namespace text_internal {
inline void AppendOne(std::string& out, std::string_view s) { out.append(s); }
inline void AppendOne(std::string& out, const char* s) { out.append(s); }
inline void AppendOne(std::string& out, const std::string& s) { out.append(s); }
inline void AppendOne(std::string& out, char c) { out.push_back(c); }
#if !defined(ABSL_USES_STD_STRING_VIEW)
// absl::Status::message() and friends.
inline void AppendOne(std::string& out, absl::string_view s) { out.append(s.data(), s.size()); }
#endif
template <std::integral T>
  requires(!std::same_as<T, char> && !std::same_as<T, bool>)
void AppendOne(std::string& out, T v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}
}  // namespace text_internal

// Appends the text of each argument (strings, characters, integers) to *out.
template <typename... Args>
void Append(std::string* out, const Args&... args) {
  (text_internal::AppendOne(*out, args), ...);
}

// The concatenated text of the arguments: Cat("line ", 17, ": ", reason).
template <typename... Args>
std::string Cat(const Args&... args) {
  std::string out;
  Append(&out, args...);
  return out;
}

constexpr char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// Strips ASCII spaces, tabs, CR and LF from both ends.
constexpr std::string_view TrimAscii(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// "a, b,,c" -> {"a", "b", "c"}: the items between `sep`, each trimmed (TrimAscii),
// the empty ones dropped. Views into `text`.
inline std::vector<std::string_view> SplitTrimmed(std::string_view text, char sep = ',') {
  std::vector<std::string_view> out;
  for (;;) {
    const size_t at = text.find(sep);
    const std::string_view item = TrimAscii(text.substr(0, at));
    if (!item.empty()) out.push_back(item);
    if (at == std::string_view::npos) return out;
    text.remove_prefix(at + 1);
  }
}

inline constexpr std::string_view kAsciiSpaces = " \t\r\n";
inline constexpr std::string_view kIdeographicSpace = "\u3000";  // E3 80 80, a Chinese IME's space

// Strips, from both ends, the ASCII characters of `ascii` (by default spaces, tabs,
// CR and LF) and the ideographic space U+3000, in any mix.
constexpr std::string_view TrimSpaces(std::string_view s, std::string_view ascii = kAsciiSpaces) {
  auto in = [ascii](char c) {
    for (char a : ascii) {
      if (a == c) return true;
    }
    return false;
  };
  for (;;) {
    if (!s.empty() && in(s.front())) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && in(s.back())) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return s;
}

// Appends one CSV field (RFC 4180): as it is, or in double quotes with its quotes
// doubled when it holds a comma, a quote or a line break, or starts or ends with a
// space or a tab (which a reader that trims cells, keyproj's loader too, would lose).
inline void AppendCsvField(std::string* out, std::string_view field) {
  bool quote = !field.empty() && (field.front() == ' ' || field.front() == '\t' || field.back() == ' ' ||
                                  field.back() == '\t');
  for (size_t i = 0; i < field.size() && !quote; ++i) {
    const char c = field[i];
    quote = c == ',' || c == '"' || c == '\n' || c == '\r';
  }
  if (!quote) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

// Decodes the UTF-8 sequence starting at s[i] into *cp and returns its length, or
// returns 0 when it is not a valid sequence (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF, no truncated sequence at the end of s).
inline size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp) {
  const size_t n = s.size();
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](size_t k) { return i + k < n && (byte(k) & 0xC0) == 0x80; };
  const unsigned char c = byte(0);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c < 0xC2) return 0;  // continuation byte, or overlong C0/C1
  if (c < 0xE0) {
    if (!cont(1)) return 0;
    *cp = (char32_t{c & 0x1Fu} << 6) | (byte(1) & 0x3Fu);
    return 2;
  }
  if (c < 0xF0) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && byte(1) >= 0xA0) return 0;  // UTF-16 surrogate
    *cp = (char32_t{c & 0x0Fu} << 12) | (char32_t{byte(1) & 0x3Fu} << 6) | (byte(2) & 0x3Fu);
    return 3;
  }
  if (c < 0xF5) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    *cp = (char32_t{c & 0x07u} << 18) | (char32_t{byte(1) & 0x3Fu} << 12) |
          (char32_t{byte(2) & 0x3Fu} << 6) | (byte(3) & 0x3Fu);
    return 4;
  }
  return 0;
}

// Appends the UTF-8 bytes of the code point cp (at most U+10FFFF; a surrogate is
// written as its three bytes, unchecked).
inline void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// How many edits (a character left out, added, changed, or two neighbours swapped)
// turn `a` into `b`, counting characters (UTF-8 code points; a byte that is not
// UTF-8 is one), or `cap` when it is `cap` or more -- the "did you mean" of an
// option or a column name, where only a near one matters.
inline size_t EditDistance(std::string_view a, std::string_view b, size_t cap = 3) {
  auto chars = [](std::string_view s) {
    std::vector<char32_t> out;
    for (size_t i = 0; i < s.size();) {
      char32_t cp = 0;
      const size_t n = DecodeUtf8(s, i, &cp);
      out.push_back(n == 0 ? 0xDC00 + static_cast<unsigned char>(s[i]) : cp);
      i += n == 0 ? 1 : n;
    }
    return out;
  };
  const std::vector<char32_t> x = chars(a), y = chars(b);
  if ((x.size() > y.size() ? x.size() - y.size() : y.size() - x.size()) >= cap) return cap;
  // Optimal string alignment, rows of the table kept three at a time.
  std::vector<size_t> before(y.size() + 1), prev(y.size() + 1), cur(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    before.swap(prev);
    prev.swap(cur);
  }
  return std::min(prev[y.size()], cap);
}

// Whether `typed` is most likely a mistyped `name`: at most 2 edits, and fewer than
// half of name's characters (so that no short name is "near" everything).
inline bool NearMiss(std::string_view typed, std::string_view name) {
  const size_t d = EditDistance(typed, name);
  if (d > 2) return false;
  size_t chars = 0;
  for (size_t i = 0; i < name.size(); ++i) chars += (static_cast<unsigned char>(name[i]) & 0xC0) != 0x80;
  return 2 * d < chars;
}

}  // namespace keyproj::internal

#endif  // KEYPROJ_TEXT_H_
