#include "ember/optim/config_util.h"

#include <cctype>
#include <sstream>

namespace ember::optim::detail {

std::string config_repr(const nn::Config& config) {
  std::ostringstream os;
  nn::detail::ReprVisitor v{os};
  for (const auto& [name, value] : config) std::visit([&](const auto& x) { v(name.c_str(), x); }, value);
  return os.str();
}

void check_config_keys(std::string_view where, const nn::Config& config, const nn::Config& known) {
  for (const auto& [key, value] : config) {
    bool found = false;
    for (const auto& [k, v] : known) found = found || k == key;
    if (found) continue;
    std::string names;
    for (const auto& [k, v] : known) names += (names.empty() ? "" : ", ") + k;
    throw ValueError(::ember::detail::str_cat("[", where, "] unknown option '", key, "': expected one of ",
                                              names.empty() ? std::string("(none)") : names));
  }
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace ember::optim::detail
