// Names of administrative divisions (GB/T 2260) for reports: 610403 -> 杨陵区.
//
// The ledger itself carries only the 6-digit region code of each project; a report
// grouped by county, city or province names them from an optional regions.csv in
// the ledger folder (docs/ledger.md, "regions.csv"):
//
//   region,name            (or 行政区划代码,名称)
//   61,陕西省
//   6104,咸阳市
//   610403,杨陵区
//
// A 2-digit code names a province, 4 digits a city, 6 digits a county. Reading
// regions.csv is csv_loader.h's LoadRegionNames.
#ifndef KEYPROJ_REGIONS_H_
#define KEYPROJ_REGIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"

namespace keyproj {

class RegionNames {
 public:
  // The name of a 2-, 4- or 6-digit code; "" when not known.
  std::string_view Find(int32_t code) const {
    auto it = names_.find(code);
    return it == names_.end() ? std::string_view() : std::string_view(it->second);
  }
  // As Find, for a code as text ("610403", "6104").
  std::string_view Find(std::string_view code) const;
  // "610403" -> 610403; nullopt unless 2, 4 or 6 digits, not starting with 0.
  static std::optional<int32_t> ParseCode(std::string_view text);
  size_t size() const { return names_.size(); }
  bool empty() const { return names_.empty(); }

  // Every named code and its name, in no particular order (a snapshot stores them, a
  // partial file carries them).
  const absl::flat_hash_map<int32_t, std::string>& all() const { return names_; }

  // False when the code is already named.
  bool Add(int32_t code, std::string name) { return names_.try_emplace(code, std::move(name)).second; }

 private:
  absl::flat_hash_map<int32_t, std::string> names_;
};

}  // namespace keyproj

#endif  // KEYPROJ_REGIONS_H_
