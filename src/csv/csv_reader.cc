#include "csv/csv_reader.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace keyproj::internal {
namespace {

inline bool IsDelimiter(char c) { return c == ',' || c == '\n' || c == '\r'; }

// Index of the first ',', '\n' or '\r' at or after i, or n.
inline size_t FindDelimiter(const char* p, size_t i, size_t n) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                                     _mm_cmpeq_epi8(v, cr));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
    i += 16;
  }
#endif
  while (i < n && !IsDelimiter(p[i])) ++i;
  return i;
}

std::string Printable(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string(1, c);
  return absl::StrCat("byte 0x", absl::Hex(u, absl::kZeroPad2));
}

}  // namespace

void CsvReader::CountLineBreaks(size_t begin, size_t end) {
  const char* p = data_.data();
  for (size_t i = begin; i < end; ++i) {
    if (p[i] == '\n') {
      ++line_;
    } else if (p[i] == '\r' && (i + 1 >= data_.size() || p[i + 1] != '\n')) {
      ++line_;
    }
  }
}

bool CsvReader::ReadQuoted() {
  const char* p = data_.data();
  const size_t n = data_.size();
  const int64_t open_line = line_;
  const size_t begin = pos_ + 1;
  size_t i = begin;
  bool escaped = false;
  size_t close = 0;
  for (;;) {
    const void* q = i < n ? std::memchr(p + i, '"', n - i) : nullptr;
    if (q == nullptr) {
      CountLineBreaks(i, n);
      fatal_ = CsvError{open_line, static_cast<int>(fields_.size() + 1),
                        absl::StrCat("unterminated quoted field: the quote opened on line ", open_line,
                                     " never closes, so the rest of the file cannot be read")};
      pos_ = n;
      return false;
    }
    const size_t qi = static_cast<size_t>(static_cast<const char*>(q) - p);
    CountLineBreaks(i, qi);
    if (qi + 1 < n && p[qi + 1] == '"') {
      escaped = true;
      i = qi + 2;
      continue;
    }
    close = qi;
    break;
  }
  const std::string_view raw(p + begin, close - begin);
  if (escaped) {
    const size_t offset = scratch_.size();
    for (size_t k = 0; k < raw.size(); ++k) {
      scratch_.push_back(raw[k]);
      if (raw[k] == '"') ++k;  // the second quote of a ""
    }
    unescaped_.push_back({fields_.size(), offset, scratch_.size() - offset});
    fields_.emplace_back();  // fixed up when the record is complete
  } else {
    fields_.push_back(raw);
  }
  pos_ = close + 1;
  if (pos_ < n && !IsDelimiter(p[pos_])) {
    errors_.push_back(CsvError{
        line_, static_cast<int>(fields_.size()),
        absl::StrCat("unexpected ", Printable(p[pos_]),
                     " after the closing quote of a quoted field (a quote inside a field is "
                     "written as two quotes \"\")")});
    pos_ = FindDelimiter(p, pos_, n);
  }
  return true;
}

void CsvReader::SkipBlankLines() {
  const char* p = data_.data();
  const size_t n = data_.size();
  while (pos_ < n) {
    if (p[pos_] == '\n') {
      ++pos_;
      ++line_;
    } else if (p[pos_] == '\r') {
      ++pos_;
      if (pos_ < n && p[pos_] == '\n') ++pos_;
      ++line_;
    } else {
      break;
    }
  }
}

bool CsvReader::Next() {
  fields_.clear();
  errors_.clear();
  scratch_.clear();
  unescaped_.clear();
  if (fatal_) return false;
  const char* p = data_.data();
  const size_t n = data_.size();
  SkipBlankLines();
  if (pos_ >= n) return false;
  record_line_ = line_;
  record_begin_ = pos_;
  for (;;) {
    if (pos_ < n && p[pos_] == '"') {
      if (!ReadQuoted()) {
        fields_.clear();
        return false;
      }
    } else {
      const size_t end = FindDelimiter(p, pos_, n);
      fields_.emplace_back(p + pos_, end - pos_);
      pos_ = end;
    }
    if (pos_ >= n) break;
    const char d = p[pos_++];
    if (d == ',') continue;
    // A line break ends the record.
    if (d == '\r' && pos_ < n && p[pos_] == '\n') ++pos_;
    ++line_;
    break;
  }
  for (const Unescaped& u : unescaped_) {
    fields_[u.field] = std::string_view(scratch_.data() + u.offset, u.size);
  }
  return true;
}

CsvPosition LocateOffset(std::string_view data, size_t offset) {
  CsvPosition pos;
  if (offset > data.size()) offset = data.size();
  bool in_quotes = false;
  bool field_start = true;
  for (size_t i = 0; i < offset; ++i) {
    const char c = data[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= data.size() || data[i + 1] != '\n'))) {
      ++pos.line;
      if (!in_quotes) {
        pos.field = 1;
        field_start = true;
      }
      continue;
    }
    if (c == '\r') continue;  // the CR of a CRLF
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < data.size() && data[i + 1] == '"') {
          ++i;
        } else {
          in_quotes = false;
        }
      }
      continue;
    }
    if (c == ',') {
      ++pos.field;
      field_start = true;
      continue;
    }
    if (c == '"' && field_start) in_quotes = true;
    field_start = false;
  }
  return pos;
}

namespace {

// Counts of '"', '\n' and '\r' in [begin, end), sixteen bytes at a time.
struct ByteCounts {
  size_t quotes = 0, lfs = 0, crs = 0;
};
ByteCounts CountBytes(const char* p, size_t begin, size_t end) {
  ByteCounts c;
  size_t i = begin;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i zero = _mm_setzero_si128();
  while (i + 16 <= end) {
    // Up to 255 blocks into byte counters (each match subtracts -1), then summed.
    __m128i q = zero, l = zero, r = zero;
    const size_t blocks = std::min<size_t>((end - i) / 16, 255);
    for (size_t b = 0; b < blocks; ++b, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      q = _mm_sub_epi8(q, _mm_cmpeq_epi8(v, quote));
      l = _mm_sub_epi8(l, _mm_cmpeq_epi8(v, lf));
      r = _mm_sub_epi8(r, _mm_cmpeq_epi8(v, cr));
    }
    auto sum = [&](__m128i x) {
      const __m128i s = _mm_sad_epu8(x, zero);
      return static_cast<size_t>(_mm_cvtsi128_si32(s)) + static_cast<size_t>(_mm_extract_epi16(s, 4));
    };
    c.quotes += sum(q);
    c.lfs += sum(l);
    c.crs += sum(r);
  }
#endif
  for (; i < end; ++i) {
    c.quotes += p[i] == '"';
    c.lfs += p[i] == '\n';
    c.crs += p[i] == '\r';
  }
  return c;
}

}  // namespace

std::vector<CsvCut> CutCsv(std::string_view data, size_t begin, int64_t line, size_t part_bytes,
                           int64_t* end_line) {
  std::vector<CsvCut> cuts;
  cuts.push_back({begin, line});
  if (part_bytes == 0) part_bytes = 1;
  const char* p = data.data();
  const size_t n = data.size();
  bool odd = false;  // an odd count of '"' since begin
  size_t i = begin;
  // Byte by byte over [i, end): quotes for the parity, line breaks for the line
  // (as CsvReader counts them), and a cut at the first '\n' at or after `cut_from`
  // with an even count of quotes.
  auto scalar = [&](size_t end, size_t cut_from) {
    for (; i < end; ++i) {
      const char c = p[i];
      if (c == '"') {
        odd = !odd;
      } else if (c == '\n') {
        ++line;
        if (!odd && i + 1 > cut_from && i + 1 < n) {
          cuts.push_back({i + 1, line});
          ++i;
          return true;
        }
      } else if (c == '\r' && (i + 1 >= n || p[i + 1] != '\n')) {
        ++line;
      }
    }
    return false;
  };
  for (;;) {
    // Up to the next place a cut may be: counted in bulk unless a CR is there (a
    // lone CR counts as a line break; a CR of a CRLF does not).
    const size_t until = std::min(n, cuts.back().offset + part_bytes - 1);
    if (i < until) {
      const ByteCounts c = CountBytes(p, i, until);
      if (c.crs == 0) {
        odd ^= (c.quotes & 1) != 0;
        line += static_cast<int64_t>(c.lfs);
        i = until;
      } else {
        scalar(until, n);  // cut_from = n: no cut here
      }
    }
    if (i >= n) break;
    // From there, to the first '\n' outside quotes (by parity).
    if (!scalar(n, until)) break;
  }
  if (end_line != nullptr) *end_line = line;
  return cuts;
}

}  // namespace keyproj::internal
