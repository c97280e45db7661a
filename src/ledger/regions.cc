#include "keyproj/regions.h"

namespace keyproj {

std::optional<int32_t> RegionNames::ParseCode(std::string_view text) {
  if (text.size() != 2 && text.size() != 4 && text.size() != 6) return std::nullopt;
  int32_t code = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    code = code * 10 + (c - '0');
  }
  if (text[0] == '0') return std::nullopt;
  return code;
}

std::string_view RegionNames::Find(std::string_view code) const {
  const std::optional<int32_t> c = ParseCode(code);
  return c ? Find(*c) : std::string_view();
}

}  // namespace keyproj
