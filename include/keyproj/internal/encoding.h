// Internal: GB18030 conversion that tells the loader where it failed.
#ifndef KEYPROJ_SRC_CSV_ENCODING_H_
#define KEYPROJ_SRC_CSV_ENCODING_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace keyproj::internal {

struct ConversionError {
  size_t offset = 0;    // input byte offset of the first sequence that failed
  std::string message;  // "invalid byte sequence at byte offset 17"
};

// GB18030 (GBK, GB2312) -> UTF-8 with glibc iconv. False on failure, *error says
// where.
bool Gb18030ToUtf8(std::string_view bytes, std::string* out, ConversionError* error);

// The ways FindInvalidUtf8 can check, for tests that must try each one this CPU has:
// one character at a time, or the SIMD check sixteen (SSSE3) or 64 (AVX2) bytes a
// step with the scalar decoder finishing. FindInvalidUtf8 takes the widest there is.
enum class Utf8Check { kScalar, kSsse3, kAvx2 };
bool HasUtf8Check(Utf8Check check);
// FindInvalidUtf8 with the given check (or, if this CPU lacks it, a narrower one).
size_t FindInvalidUtf8With(Utf8Check check, std::string_view bytes);

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_CSV_ENCODING_H_
