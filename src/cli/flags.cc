#include "cli/flags.h"

#include <iostream>

#include "keyproj/internal/text.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;

absl::StatusOr<Flags> Flags::Parse(const std::vector<std::string>& args,
                                   const std::vector<FlagSpec>& specs) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) {
      return absl::InvalidArgumentError(Cat("unexpected argument '", arg, "'"));
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
    if (spec == nullptr) return absl::InvalidArgumentError(Cat("unknown option --", name));
    if (spec->takes_value && !has_value) {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(Cat("--", name, " needs a value"));
      value = args[++i];
    } else if (!spec->takes_value && has_value) {
      return absl::InvalidArgumentError(Cat("--", name, " takes no value"));
    }
    if (flags.values_.contains(name) && !spec->repeatable) {
      return absl::InvalidArgumentError(Cat("--", name, " given twice"));
    }
    flags.values_[name].push_back(value);
  }
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

absl::StatusOr<LoadOptions> LoadOptionsFromFlags(const Flags& flags) {
  LoadOptions options;
  if (std::optional<std::string> e = flags.Get("encoding")) {
    if (*e == "auto") options.encoding = Encoding::kAuto;
    else if (*e == "utf8" || *e == "utf-8") options.encoding = Encoding::kUtf8;
    else if (*e == "gb18030" || *e == "gbk") options.encoding = Encoding::kGb18030;
    else return absl::InvalidArgumentError(Cat("--encoding ", *e, ": use auto, utf8 or gb18030"));
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
    options.fx_rates.emplace_back(fx.substr(0, eq), fx.substr(eq + 1));
  }
  return options;
}

}  // namespace keyproj::cli
