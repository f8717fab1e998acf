#pragma once
/// Helpers shared by optim methods and schedules: Config printing and key checks.

#include <string>
#include <string_view>

#include "ember/nn/options.h"

namespace ember::optim::detail {

/// "a=1, b=0.5, c='x'" from a Config, printed the way nn::options_repr prints an options struct.
std::string config_repr(const nn::Config& config);

/// Throws ValueError from `where` (e.g. "optim.SGD") for the first key of `config` that is not a key
/// of `known` (the defaults' Config), listing the known keys. from_config silently ignores unknown
/// keys, so factories call this first: a misspelt "lr" must not be dropped without a word.
void check_config_keys(std::string_view where, const nn::Config& config, const nn::Config& known);

/// Lower-case copy (for case-insensitive registry names).
std::string to_lower(std::string_view s);

}  // namespace ember::optim::detail
