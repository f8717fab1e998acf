#include "ember/core/error.h"

namespace ember {

void ErrorContext::set_module(std::string_view type_name) {
  if (!module_.empty()) return;
  module_ = type_name;
  compose();
}

void ErrorContext::prepend_path(std::string_view key) {
  if (key.empty()) return;
  path_ = path_.empty() ? std::string(key) : std::string(key) + "." + path_;
  compose();
}

void ErrorContext::compose() {
  if (module_.empty()) {
    full_ = body_;
    return;
  }
  full_ = "[" + module_;
  if (!path_.empty()) full_ += " '" + path_ + "'";
  full_ += "] " + body_;
}

namespace detail {
void throw_internal(const char* file, int line, const char* cond, const std::string& msg) {
  throw InternalError(str_cat("[internal] ", file, ":", line, ": check '", cond, "' failed. ", msg,
                              " This is a bug in Ember, please report it."));
}
}  // namespace detail

}  // namespace ember
