#include "args.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

namespace ember::apps {

Args::Args(std::string command, std::string summary, std::string positionals)
    : command_(std::move(command)), summary_(std::move(summary)), positional_usage_(std::move(positionals)) {}

Args& Args::flag(const std::string& name, const std::string& default_value, const std::string& help, bool boolean) {
  order_.push_back(name);
  flags_[name] = Flag{default_value, help, boolean, false};
  return *this;
}

void Args::fail(const std::string& message) const {
  std::fprintf(stderr, "ember %s: %s (see 'ember %s --help')\n", command_.c_str(), message.c_str(), command_.c_str());
  std::exit(2);
}

void Args::parse(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf("usage: ember %s [options]%s%s\n%s\n\noptions:\n", command_.c_str(),
                  positional_usage_.empty() ? "" : " ", positional_usage_.c_str(), summary_.c_str());
      for (const auto& name : order_) {
        const Flag& f = flags_.at(name);
        std::string left = "--" + name + (f.boolean ? "" : " VALUE");
        std::printf("  %-26s %s%s\n", left.c_str(), f.help.c_str(),
                    f.value.empty() || f.boolean ? "" : (" [default: " + f.value + "]").c_str());
      }
      std::exit(0);
    }
    if (a.rfind("--", 0) != 0) {
      positionals_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    auto it = flags_.find(name);
    if (it == flags_.end()) fail("unknown flag --" + name);
    Flag& f = it->second;
    if (f.boolean) {
      if (has_value) fail("flag --" + name + " takes no value");
      f.value = "true";
    } else {
      if (!has_value) {
        if (i + 1 >= argc) fail("flag --" + name + " needs a value");
        value = argv[++i];
      }
      f.value = value;
    }
    f.given = true;
  }
}

std::string Args::str(const std::string& name) const { return flags_.at(name).value; }
bool Args::on(const std::string& name) const { return flags_.at(name).value == "true"; }
bool Args::given(const std::string& name) const { return flags_.at(name).given; }

int64_t Args::integer(const std::string& name) const {
  const std::string& v = flags_.at(name).value;
  char* end = nullptr;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0') fail("flag --" + name + " expects an integer, got '" + v + "'");
  return x;
}

double Args::real(const std::string& name) const {
  const std::string& v = flags_.at(name).value;
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0') fail("flag --" + name + " expects a number, got '" + v + "'");
  return x;
}

void Args::require_file(const std::string& path, const std::string& what) const {
  struct stat st{};
  if (path.empty() || stat(path.c_str(), &st) != 0) fail(what + " '" + path + "' does not exist");
}

}  // namespace ember::apps
