// UTF-8 validation and GB18030 <-> UTF-8 conversion (glibc iconv).
#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "keyproj/internal/encoding.h"
#include "keyproj/internal/text.h"
#include "keyproj/encoding.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace keyproj {
namespace {

// Converts with iconv. False on a bad input sequence (*error names its offset) or
// when iconv cannot be opened (offset 0).
bool Convert(std::string_view bytes, const char* to, const char* from, std::string* out,
             internal::ConversionError* error) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    error->offset = 0;
    error->message = absl::StrCat("cannot convert ", from, " to ", to,
                                  ": iconv_open failed: ", std::strerror(errno));
    return false;
  }
  out->clear();
  out->resize(bytes.size() + bytes.size() / 2 + 16);
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  size_t used = 0;
  bool ok = true;
  while (in_left > 0) {
    char* dst = out->data() + used;
    size_t out_left = out->size() - used;
    const size_t r = iconv(cd, &in, &in_left, &dst, &out_left);
    used = out->size() - out_left;
    if (r != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      out->resize(out->size() * 2 + 16);
      continue;
    }
    const int err = errno;
    error->offset = bytes.size() - in_left;
    if (err == EILSEQ) {
      error->message = absl::StrCat("invalid ", from, " byte sequence at byte offset ", error->offset);
    } else if (err == EINVAL) {
      error->message =
          absl::StrCat("incomplete ", from, " sequence at the end (byte offset ", error->offset, ")");
    } else {
      error->message = absl::StrCat("converting ", from, " to ", to, " failed at byte offset ",
                                    error->offset, ": ", std::strerror(err));
    }
    ok = false;
    break;
  }
  iconv_close(cd);
  out->resize(ok ? used : 0);
  return ok;
}

}  // namespace

size_t FindInvalidUtf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, sixteen (then eight) bytes at a time.
#if defined(__SSE2__)
    while (i + 16 <= n) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      if (_mm_movemask_epi8(v) != 0) break;
      i += 16;
    }
#endif
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if ((w & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    while (i < n && s[i] < 0x80) ++i;
    if (i >= n) break;
    // Runs of multibyte characters (Chinese text) stay in this loop. The common
    // case, a 3-byte character other than the E0/ED leads that need a range check,
    // is one masked compare.
    do {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      if (i + 4 <= n) {
        uint32_t w;
        std::memcpy(&w, s + i, 4);
        if ((w & 0x00C0C0F0u) == 0x008080E0u && s[i] != 0xE0 && s[i] != 0xED) {
          i += 3;
          continue;
        }
      }
#endif
      char32_t cp;
      const size_t len = internal::DecodeUtf8(bytes, i, &cp);
      if (len == 0) return i;
      i += len;
    } while (i < n && s[i] >= 0x80);
  }
  return std::string_view::npos;
}

namespace internal {
bool Gb18030ToUtf8(std::string_view bytes, std::string* out, ConversionError* error) {
  return Convert(bytes, "UTF-8", "GB18030", out, error);
}
}  // namespace internal

absl::StatusOr<std::string> Gb18030ToUtf8(std::string_view bytes) {
  std::string out;
  internal::ConversionError error;
  if (!Convert(bytes, "UTF-8", "GB18030", &out, &error)) {
    return absl::InvalidArgumentError(absl::StrCat("not GB18030: ", error.message));
  }
  return out;
}

absl::StatusOr<std::string> Utf8ToGb18030(std::string_view utf8) {
  // iconv's UTF-8 decoder is not the reference: check the input first.
  if (const size_t bad = FindInvalidUtf8(utf8); bad != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("not valid UTF-8 at byte offset ", bad));
  }
  std::string out;
  internal::ConversionError error;
  if (!Convert(utf8, "GB18030", "UTF-8", &out, &error)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot write as GB18030: ", error.message));
  }
  return out;
}

}  // namespace keyproj
