#include "cli/flags.h"

#include <algorithm>
#include <iostream>

#include "keyproj/internal/error_list.h"
#include "keyproj/internal/text.h"
#include "keyproj/ledger_builder.h"

namespace keyproj::cli {

using ::keyproj::internal::Append;
using ::keyproj::internal::Cat;

namespace {

// The option a mistyped one most likely meant: the nearest by edits (a letter left
// out, added, changed or two swapped; '_' for '-' counts as none), at most 2 edits and
// fewer than half its letters; "" when none is that near.
std::string_view NearestFlag(std::string_view typed, const std::vector<FlagSpec>& specs) {
  if (typed.size() > 64) return {};  // no option is that long: nothing to measure
  std::string t(typed);
  std::replace(t.begin(), t.end(), '_', '-');
  std::string_view best;
  size_t best_distance = 3;
  for (const FlagSpec& s : specs) {
    if (!internal::NearMiss(t, s.name)) continue;
    if (const size_t n = internal::EditDistance(t, s.name); n < best_distance) {
      best = s.name;
      best_distance = n;
    }
  }
  return best;
}

}  // namespace

absl::StatusOr<Flags> Flags::Parse(const std::vector<std::string>& args,
                                   const std::vector<FlagSpec>& specs) {
  Flags flags;
  // Every mistake of the command line at once (two typos are two runs otherwise).
  internal::ErrorList problems;
  auto problem = [&](std::string message) { problems.Ok(absl::InvalidArgumentError(message)); };
  for (size_t i = 0; i < args.size(); ++i) {
    // -h is --help, as in most tools and at keyproj's top level (`keyproj -h`).
    const std::string& arg = args[i] == kShortHelp ? "--help" : args[i];
    if (arg.rfind("--", 0) != 0) {
      // The ledger folder may be named without --data (`keyproj validate ledger/`):
      // what a newcomer types first.
      const bool takes_data = std::any_of(specs.begin(), specs.end(), [](const FlagSpec& s) {
        return s.name == "data" && s.takes_value;
      });
      if (takes_data && !arg.empty() && arg[0] != '-' && !flags.values_.contains("data")) {
        flags.values_["data"].push_back(arg);
        continue;
      }
      problem(Cat("unexpected argument '", arg, "'"));
      continue;
    }
    std::string name = arg.substr(2), value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      const std::string_view near = NearestFlag(name, specs);
      problem(Cat("unknown option --", name, near.empty() ? "" : Cat(" (did you mean --", near, "?)")));
      // Its value, if it took one, is not a second mistake: a word after it that is
      // no option is passed over (`--as_of 2024-09-30`).
      if (!has_value && i + 1 < args.size() && args[i + 1].rfind("-", 0) != 0) ++i;
      continue;
    }
    if (spec->takes_value && !has_value && spec->value_optional) {
      // A bare --name: the empty value.
    } else if (spec->takes_value && !has_value) {
      // The next word, unless it is another option: `--regions --as-of 2024-09` has
      // left out the file, it does not name one "--as-of".
      if (i + 1 >= args.size() || (args[i + 1].rfind("--", 0) == 0 && args[i + 1].size() > 2)) {
        problem(Cat("--", name, " needs a value"));
        continue;
      }
      value = args[++i];
    } else if (!spec->takes_value && has_value) {
      problem(Cat("--", name, " takes no value"));
      continue;
    }
    if (flags.values_.contains(name) && !spec->repeatable) {
      problem(Cat("--", name, " given twice"));
      continue;
    }
    flags.values_[name].push_back(value);
  }
  if (!problems.empty()) return problems.status();
  return flags;
}

std::optional<std::string> Flags::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

int UsageError(std::string_view command, std::string_view message) {
  std::cerr << "keyproj " << command << ": " << message << "\n(keyproj " << command
            << " --help lists the options)\n";
  return 2;  // kExitUsage (commands.h)
}

int FileError(std::string_view command, std::string_view file, const absl::Status& status) {
  std::cerr << "keyproj " << command << ": " << file << ": " << status.message() << "\n";
  return 2;  // kExitUsage (commands.h)
}

namespace {

// Library option -> the flag that sets it.
struct OptionFlag {
  std::string_view option;
  std::string_view flag;
};
constexpr OptionFlag kOptionFlags[] = {
    {"encoding", "--encoding"},         {"lenient", "--lenient"},
    {"fx_rates", "--fx"},               {"duplicate_months", "--merge-duplicates"},
    {"as_of", "--as-of"},               {"scores_group_by", "--group-by"},
    {"targets_group_by", "--group-by"}, {"stalled_months", "--stalled-months"},
    {"report_deadline_day", "--deadline-day"}, {"land_to_start_days", "--land-start-days"},
    {"countdown_days", "--countdown-days"},     {"signed_months", "--signed-months"},
};

}  // namespace

std::string FlagsForOptions(std::string_view message) {
  std::string out;
  size_t i = 0;
  while (i < message.size()) {
    bool replaced = false;
    if (message[i] == '\'') {
      const std::string_view rest = message.substr(i + 1);
      for (const OptionFlag& o : kOptionFlags) {
        if (!rest.starts_with(o.option) || rest.size() == o.option.size()) continue;
        const char next = rest[o.option.size()];
        const size_t close = rest.find('\'', o.option.size());
        if ((next != '\'' && next != '=') || close == std::string_view::npos) continue;
        out.append(o.flag);
        if (next == '=') Append(&out, " ", rest.substr(o.option.size() + 1, close - o.option.size() - 1));
        i += close + 2;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(message[i++]);
  }
  return out;
}

absl::StatusOr<LoadOptions> LoadOptionsFromFlags(const Flags& flags) {
  LoadOptions options;
  if (std::optional<std::string> e = flags.Get("encoding")) {
    const std::optional<Encoding> encoding = ParseEnum<Encoding>(*e);
    if (!encoding) return absl::InvalidArgumentError(Cat("--encoding ", *e, ": use auto, utf8 or gb18030"));
    options.encoding = *encoding;
  }
  options.lenient = flags.Has("lenient");
  if (std::optional<std::string> m = flags.Get("merge-duplicates")) {
    if (*m != "sum") return absl::InvalidArgumentError(Cat("--merge-duplicates ", *m, ": only 'sum' is known"));
    options.duplicate_months = DuplicateMonths::kSum;
  }
  for (const std::string& fx : flags.GetAll("fx")) {
    size_t eq = fx.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == fx.size()) {
      return absl::InvalidArgumentError(Cat("--fx ", fx, ": write it as CUR=RATE, e.g. USD=7.1"));
    }
    // The rate's syntax is the builder's own check (CheckFxRate), made here so that
    // a typo is bad usage, said once before anything is read, and not a problem of
    // the ledger followed by "needs an exchange rate" on every row in that currency.
    if (absl::Status st = CheckFxRate(fx.substr(0, eq), fx.substr(eq + 1)); !st.ok()) {
      return absl::InvalidArgumentError(Cat("--fx ", fx, ": ", st.message(), " (e.g. USD=7.1)"));
    }
    options.fx_rates.emplace_back(fx.substr(0, eq), fx.substr(eq + 1));
  }
  return options;
}

}  // namespace keyproj::cli
