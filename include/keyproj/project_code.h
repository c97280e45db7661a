// The national unified project code (全国投资项目在线审批监管平台 项目代码).
//
// Two forms are in use side by side, both 24 characters:
//   GB/T 40058-2021 (from 2020-11): YYYY-AAAAAA-DD-TT-RRRRRC  (5 random + 1 check char)
//   older form (before 2020):       YYYY-AAAAAA-BB-CC-NNNNNN  (6-digit serial)
// They differ only in the last group, so the year decides (<= 2019 older, >= 2021
// unified; in 2020 a letter in the last group means unified). The check character's
// algorithm is not public, so it is never used to reject a code.
//
// A code that starts like a national code (4 digits, '-', 6 digits, '-') is checked
// in full: a typo there should not quietly turn it into a local id. Anything else is
// a local id and is not validated.
#ifndef KEYPROJ_PROJECT_CODE_H_
#define KEYPROJ_PROJECT_CODE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "keyproj/internal/text.h"

namespace keyproj {

enum class ProjectCodeForm : uint8_t {
  kLocal = 0,    // not a national code: a bureau's own id
  kLegacy = 1,   // YYYY-AAAAAA-BB-CC-NNNNNN
  kUnified = 2,  // GB/T 40058-2021
};

struct ProjectCodeInfo {
  ProjectCodeForm form = ProjectCodeForm::kLocal;
  int year = 0;        // 0 for a local id
  int32_t region = 0;  // 6-digit division code; 0 for a local id
};

// Years a national code may carry. The approval platform began issuing codes in
// 2014-2015; earlier years are accepted for projects carried over onto it.
inline constexpr int kMinCodeYear = 2000;
inline constexpr int kMaxCodeYear = 2099;

// Whether the first two digits of a GB/T 2260 division code name a province-level
// division that exists.
constexpr bool IsProvinceCode(int p) {
  switch (p) {
    case 11: case 12: case 13: case 14: case 15:
    case 21: case 22: case 23:
    case 31: case 32: case 33: case 34: case 35: case 36: case 37:
    case 41: case 42: case 43: case 44: case 45: case 46:
    case 50: case 51: case 52: case 53: case 54:
    case 61: case 62: case 63: case 64: case 65:
    case 71: case 81: case 82:
      return true;
    default:
      return false;
  }
}

// Recognises and checks a code. Error: a code shaped like a national one that fails
// a check, with the reason.
inline absl::StatusOr<ProjectCodeInfo> ParseProjectCode(std::string_view code) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto digits = [&](size_t pos, size_t n) {
    for (size_t i = pos; i < pos + n; ++i) {
      if (i >= code.size() || !digit(code[i])) return false;
    }
    return true;
  };
  auto number = [&](size_t pos, size_t n) {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (code[i] - '0');
    return v;
  };
  const bool looks_national =
      code.size() >= 12 && digits(0, 4) && code[4] == '-' && digits(5, 6) && code[11] == '-';
  if (!looks_national) return ProjectCodeInfo{};

  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        internal::Cat("project code '", code, "' looks like a national project code but ", why,
                     " (expected YYYY-AAAAAA-DD-TT-RRRRRC or YYYY-AAAAAA-BB-CC-NNNNNN)"));
  };
  if (code.size() != 24) return bad(internal::Cat("has ", code.size(), " characters, not 24"));
  if (!digits(12, 2) || code[14] != '-' || !digits(15, 2) || code[17] != '-') {
    return bad("the third and fourth groups must be two digits each");
  }
  bool has_letter = false;
  for (size_t i = 18; i < 24; ++i) {
    const char c = code[i];
    if (c >= 'A' && c <= 'Z') {
      has_letter = true;
    } else if (!digit(c)) {
      return bad("the last group must be digits or capital letters");
    }
  }
  ProjectCodeInfo info;
  info.year = number(0, 4);
  info.region = number(5, 6);
  if (info.year < kMinCodeYear || info.year > kMaxCodeYear) {
    return bad(internal::Cat("year ", info.year, " is not plausible"));
  }
  if (!IsProvinceCode(info.region / 10000)) {
    return bad(internal::Cat("division code ", code.substr(5, 6), " names no province"));
  }
  if (info.year <= 2019) {
    if (has_letter) return bad("a code before 2020 ends in a 6-digit serial");
    info.form = ProjectCodeForm::kLegacy;
  } else if (info.year >= 2021 || has_letter) {
    info.form = ProjectCodeForm::kUnified;
  } else {
    info.form = ProjectCodeForm::kLegacy;  // 2020 with an all-digit last group
  }
  return info;
}

}  // namespace keyproj

#endif  // KEYPROJ_PROJECT_CODE_H_
