// How a project is classified in the ledger: category (项目类别), key-project level
// (项目级别) and build type (建设性质).
#ifndef KEYPROJ_CLASSIFICATION_H_
#define KEYPROJ_CLASSIFICATION_H_

#include <cstdint>
#include <span>

#include "keyproj/enum_table.h"

namespace keyproj {

// Values are stored in ledgers and cross the C ABI: only ever append.
enum class Category : uint8_t {
  kUnknown = 0,
  kIndustry = 1,
  kUrban = 2,
  kLivelihood = 3,
  kCultureTourism = 4,
  kEcology = 5,
  kAgriculture = 6,
  kInfrastructure = 7,
  kOther = 8,
};

enum class Level : uint8_t {
  kUnknown = 0,
  kNational = 1,
  kProvincial = 2,
  kMunicipal = 3,
  kCounty = 4,
};

enum class BuildType : uint8_t {
  kUnknown = 0,
  kNew = 1,
  kContinuing = 2,
};

template <>
struct EnumTraits<Category> {
  static std::span<const EnumEntry<Category>> entries() {
    static constexpr EnumEntry<Category> kEntries[] = {
        {Category::kIndustry, "industry", "产业", "产业项目|工业"},
        {Category::kUrban, "urban", "城建", "城市建设|城建项目"},
        {Category::kLivelihood, "livelihood", "社会民生", "民生|社会事业"},
        {Category::kCultureTourism, "culture_tourism", "文旅", "文化旅游|文旅项目"},
        {Category::kEcology, "ecology", "生态环保", "生态|环保"},
        {Category::kAgriculture, "agriculture", "农业农村", "农业|乡村振兴"},
        {Category::kInfrastructure, "infrastructure", "基础设施", "基础设施建设"},
        {Category::kOther, "other", "其他", ""},
    };
    return kEntries;
  }
};

template <>
struct EnumTraits<Level> {
  static std::span<const EnumEntry<Level>> entries() {
    static constexpr EnumEntry<Level> kEntries[] = {
        {Level::kNational, "national", "国家", "国家级|国家重点"},
        {Level::kProvincial, "provincial", "省级", "省|省重点"},
        {Level::kMunicipal, "municipal", "市级", "市|市重点"},
        {Level::kCounty, "county", "县区级", "县级|区级|县|区|县重点"},
    };
    return kEntries;
  }
};

template <>
struct EnumTraits<BuildType> {
  static std::span<const EnumEntry<BuildType>> entries() {
    static constexpr EnumEntry<BuildType> kEntries[] = {
        {BuildType::kNew, "new", "新建", "新开工"},
        {BuildType::kContinuing, "continuing", "续建", ""},
    };
    return kEntries;
  }
};

// 招商引资 flag: not known is kept apart from "no".
enum class Attracted : uint8_t { kUnknown = 0, kNo = 1, kYes = 2 };

// The words of a yes/no cell or filter value (attracted, industrial): one vocabulary
// for the CSV loader and --filter alike. Group keys and filter text write 1 and 0.
enum class YesNo : uint8_t { kNo = 0, kYes = 1 };

template <>
struct EnumTraits<YesNo> {
  static std::span<const EnumEntry<YesNo>> entries() {
    static constexpr EnumEntry<YesNo> kEntries[] = {
        {YesNo::kYes, "yes", "是", "y|true|1|√|✓|✔"},  // a sheet's tick
        {YesNo::kNo, "no", "否", "n|false|0|×|✗|✘"},
    };
    return kEntries;
  }
};

}  // namespace keyproj

#endif  // KEYPROJ_CLASSIFICATION_H_
