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
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define KEYPROJ_UTF8_SSSE3 1
#else
#define KEYPROJ_UTF8_SSSE3 0
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

// The first bad byte by decoding: the reference, and what the SIMD check leaves over.
size_t ScalarFindInvalidUtf8(std::string_view bytes) {
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


#if KEYPROJ_UTF8_SSSE3
// The check of Keiser and Lemire ("Validating UTF-8 in less than one instruction per
// byte", 2021): it looks up each byte's high nibble, the previous byte's two nibbles,
// and whether one of the two or three bytes before it starts a 3- or 4-byte
// character; any mismatch sets a bit. Each bit is one kind of error; a byte pair is
// bad when all three lookups agree. The tables are the same at every vector width.
constexpr char kTooShort = 1 << 0;   // lead then ASCII or lead
constexpr char kTooLong = 1 << 1;    // ASCII then continuation
constexpr char kOverlong3 = 1 << 2;  // E0 80..9F
constexpr char kTooLarge = 1 << 3;   // F4 90.., F5..FF
constexpr char kSurrogate = 1 << 4;  // ED A0..BF
constexpr char kOverlong2 = 1 << 5;  // C0, C1
constexpr char kTooLarge1000 = 1 << 6;  // F5..FF 80..8F
constexpr char kOverlong4 = 1 << 6;     // F0 80..8F
constexpr char kTwoConts = static_cast<char>(1 << 7);  // continuation then continuation
constexpr char kCarry = kTooShort | kTooLong | kTwoConts;
constexpr char kLarge = kCarry | kTooLarge | kTooLarge1000;
alignas(16) constexpr char kByte1High[16] = {
    kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong,  // 0_______
    kTwoConts, kTwoConts, kTwoConts, kTwoConts,                                       // 10______
    kTooShort | kOverlong2,                                                           // 1100____
    kTooShort,                                                                        // 1101____
    kTooShort | kOverlong3 | kSurrogate,                                              // 1110____
    kTooShort | kTooLarge | kTooLarge1000 | kOverlong4};                              // 1111____
alignas(16) constexpr char kByte1Low[16] = {
    kCarry | kOverlong3 | kOverlong2 | kOverlong4,  // ____0000
    kCarry | kOverlong2,                            // ____0001
    kCarry, kCarry,                                 // ____001_
    kCarry | kTooLarge,                             // ____0100
    kLarge, kLarge, kLarge, kLarge, kLarge, kLarge, kLarge, kLarge,
    kLarge | kSurrogate,  // ____1101
    kLarge, kLarge};
alignas(16) constexpr char kByte2High[16] = {
    kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,  // 0_______
    kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4,             // 1000____
    kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge,                              // 1001____
    kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,                              // 101_____
    kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,
    kTooShort, kTooShort, kTooShort, kTooShort};  // 11______
// A block that ends inside a character: its last three bytes above these. The
// 16-byte check uses the last sixteen.
alignas(32) constexpr unsigned char kMaxComplete[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xEF, 0xDF, 0xBF};

// The SIMD checks cannot say where the first bad byte is. Each returns a character
// boundary before which everything is valid and complete, and the decoder goes on
// from there: from a block before the one that failed (its last bytes may open the
// character the failing block found cut short), or from a block before the end.
size_t BackToCharacterStart(const unsigned char* s, size_t q) {
  for (int k = 0; k < 3 && q > 0 && (s[q] & 0xC0) == 0x80; ++k) --q;
  return q;
}

// Sixteen bytes a step.
__attribute__((target("ssse3"))) size_t Ssse3ValidPrefix(const unsigned char* s, size_t n) {
  const __m128i byte1_high = _mm_load_si128(reinterpret_cast<const __m128i*>(kByte1High));
  const __m128i byte1_low = _mm_load_si128(reinterpret_cast<const __m128i*>(kByte1Low));
  const __m128i byte2_high = _mm_load_si128(reinterpret_cast<const __m128i*>(kByte2High));
  const __m128i max_complete = _mm_load_si128(reinterpret_cast<const __m128i*>(kMaxComplete + 16));
  const __m128i nibble = _mm_set1_epi8(0x0F);
  __m128i prev = _mm_setzero_si128();
  __m128i prev_incomplete = _mm_setzero_si128();
  size_t i = 0;
  const __m128i zero = _mm_setzero_si128();
  for (; i + 16 <= n; i += 16) {
    const __m128i in = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    __m128i error;
    if (_mm_movemask_epi8(in) == 0) {
      error = prev_incomplete;  // ASCII: bad only if the block before left a character open
    } else {
      const __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
      const __m128i special = _mm_and_si128(
          _mm_and_si128(_mm_shuffle_epi8(byte1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), nibble)),
                        _mm_shuffle_epi8(byte1_low, _mm_and_si128(prev1, nibble))),
          _mm_shuffle_epi8(byte2_high, _mm_and_si128(_mm_srli_epi16(in, 4), nibble)));
      // The second and third bytes after a 3- or 4-byte lead must be continuations:
      // only there may a continuation follow a continuation (kTwoConts).
      const __m128i third = _mm_subs_epu8(_mm_alignr_epi8(in, prev, 14), _mm_set1_epi8(0xE0 - 0x80));
      const __m128i fourth = _mm_subs_epu8(_mm_alignr_epi8(in, prev, 13), _mm_set1_epi8(0xF0 - 0x80));
      const __m128i must_continue = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8(static_cast<char>(0x80)));
      error = _mm_xor_si128(must_continue, special);
    }
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(error, zero)) != 0xFFFF) break;
    prev_incomplete = _mm_subs_epu8(in, max_complete);
    prev = in;
  }
  return BackToCharacterStart(s, i >= 16 ? i - 16 : 0);
}

// The same check 32 bytes a vector, two vectors a step: a step of ASCII (most of a
// ledger: codes, dates, amounts) is one load pair and one test. Run only where the
// CPU has AVX2.
struct Avx2Tables {
  __m256i byte1_high, byte1_low, byte2_high, nibble;
};

__attribute__((target("avx2"), always_inline)) inline __m256i Avx2Errors(__m256i in, __m256i prev,
                                                                        const Avx2Tables& t) {
  // The bytes 1, 2 and 3 before each of in's: the lanes' carry is prev's upper half.
  const __m256i before = _mm256_permute2x128_si256(prev, in, 0x21);
  const __m256i prev1 = _mm256_alignr_epi8(in, before, 15);
  const __m256i special = _mm256_and_si256(
      _mm256_and_si256(_mm256_shuffle_epi8(t.byte1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), t.nibble)),
                       _mm256_shuffle_epi8(t.byte1_low, _mm256_and_si256(prev1, t.nibble))),
      _mm256_shuffle_epi8(t.byte2_high, _mm256_and_si256(_mm256_srli_epi16(in, 4), t.nibble)));
  const __m256i third = _mm256_subs_epu8(_mm256_alignr_epi8(in, before, 14), _mm256_set1_epi8(0xE0 - 0x80));
  const __m256i fourth = _mm256_subs_epu8(_mm256_alignr_epi8(in, before, 13), _mm256_set1_epi8(0xF0 - 0x80));
  const __m256i must_continue =
      _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(static_cast<char>(0x80)));
  return _mm256_xor_si256(must_continue, special);
}

__attribute__((target("avx2"))) size_t Avx2ValidPrefix(const unsigned char* s, size_t n) {
  const Avx2Tables t{
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByte1High))),
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByte1Low))),
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByte2High))),
      _mm256_set1_epi8(0x0F)};
  const __m256i max_complete = _mm256_load_si256(reinterpret_cast<const __m256i*>(kMaxComplete));
  __m256i prev = _mm256_setzero_si256();
  __m256i prev_incomplete = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i + 32));
    __m256i error;
    if (_mm256_movemask_epi8(_mm256_or_si256(a, b)) == 0) {
      error = prev_incomplete;  // ASCII: bad only if the step before left a character open
    } else {
      error = _mm256_or_si256(Avx2Errors(a, prev, t), Avx2Errors(b, a, t));
    }
    if (!_mm256_testz_si256(error, error)) break;
    prev_incomplete = _mm256_subs_epu8(b, max_complete);
    prev = b;
  }
  return BackToCharacterStart(s, i >= 32 ? i - 32 : 0);
}

bool HasSsse3() {
  static const bool has = __builtin_cpu_supports("ssse3");
  return has;
}
bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

}  // namespace

namespace internal {
bool HasUtf8Check(Utf8Check check) {
  switch (check) {
    case Utf8Check::kScalar: return true;
#if KEYPROJ_UTF8_SSSE3
    case Utf8Check::kSsse3: return HasSsse3();
    case Utf8Check::kAvx2: return HasAvx2();
#else
    case Utf8Check::kSsse3:
    case Utf8Check::kAvx2: return false;
#endif
  }
  return false;
}

size_t FindInvalidUtf8With(Utf8Check check, std::string_view bytes) {
  size_t start = 0;
  [[maybe_unused]] const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
#if KEYPROJ_UTF8_SSSE3
  if (check == Utf8Check::kAvx2 && HasAvx2()) {
    start = Avx2ValidPrefix(s, bytes.size());
  } else if (check != Utf8Check::kScalar && HasSsse3()) {
    start = Ssse3ValidPrefix(s, bytes.size());
  }
#endif
  const size_t bad = ScalarFindInvalidUtf8(bytes.substr(start));
  return bad == std::string_view::npos ? bad : start + bad;
}
}  // namespace internal

size_t FindInvalidUtf8(std::string_view bytes) {
  // The widest check: FindInvalidUtf8With falls back to what the CPU has.
  if (bytes.size() < 64) return ScalarFindInvalidUtf8(bytes);
  return internal::FindInvalidUtf8With(internal::Utf8Check::kAvx2, bytes);
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
