// Private to the engine: what target-set and scoring-scheme files share on top of
// the TOML reader (toml_file.h): typed field access with positioned errors, the
// [indicators] table of custom indicators, and resolving an indicator id to its unit
// and label.
#ifndef KEYPROJ_SRC_ENGINE_SPEC_FILE_H_
#define KEYPROJ_SRC_ENGINE_SPEC_FILE_H_

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/internal/error_list.h"
#include "keyproj/internal/rational.h"
#include "assess/toml_file.h"
#include "keyproj/expression.h"
#include "keyproj/value.h"

namespace keyproj::spec {

// Every key of `table` must be one of `allowed`; `what` names the table in the
// error ("[[rule]]").
absl::Status CheckKeys(const toml::Node& table, std::initializer_list<std::string_view> allowed,
                       std::string_view what);

// A string member; nullopt when absent. Error when it is not a string.
absl::StatusOr<std::optional<std::string>> GetString(const toml::Node& table, std::string_view key);
absl::StatusOr<std::optional<bool>> GetBool(const toml::Node& table, std::string_view key);
absl::StatusOr<std::optional<int>> GetInt(const toml::Node& table, std::string_view key, int min, int max);
// A plain exact number: a TOML number or a string holding one ("22.5").
absl::StatusOr<std::optional<internal::rational::Q>> GetNumber(const toml::Node& table, std::string_view key);
std::optional<internal::rational::Q> NumberOf(const toml::Node& node);

// The file's [indicators] table (one sub-table per custom indicator: expression,
// label, unit, places; or `id = "expression"`), compiled with those defined elsewhere
// (`known`); an error about one of the file's indicators is put at its place in the
// file. Every definition's problem is kept in `problems` (then nullopt); on success
// *file holds the file's own definitions, in file order.
std::optional<CustomIndicatorSet> ReadIndicators(const toml::Node& root, std::span<const CustomIndicator> known,
                                                 std::vector<CustomIndicator>* file, internal::ErrorList& problems);

// What a file needs to know of an indicator id.
struct IndicatorInfo {
  std::string id;
  std::string label;
  Unit unit;
  int places;
  bool builds_up_in_year = false;  // IndicatorDef's (a custom indicator: false)
};
// A custom indicator of `customs` or a catalogue id; error (at `where`) otherwise.
absl::StatusOr<IndicatorInfo> ResolveIndicator(std::string_view id, const CustomIndicatorSet& customs,
                                               const toml::Node& where, bool at_key);

// Exact decimal text of q with at most max_places decimals (trailing zeros
// trimmed; half-up when q needs more).
std::string ExactText(const internal::rational::Q& q, int max_places = 10);

}  // namespace keyproj::spec

#endif  // KEYPROJ_SRC_ENGINE_SPEC_FILE_H_
