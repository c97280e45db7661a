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

}  // namespace keyproj::internal

#endif  // KEYPROJ_SRC_CSV_ENCODING_H_
