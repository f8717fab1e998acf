#pragma once
/// A small flag parser for the `ember` subcommands: `--name value`, `--name=value` and boolean
/// `--name`; positional arguments; `--help` from the declared flags. Misuse exits with status 2 and
/// one line on stderr naming the problem.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ember::apps {

class Args {
 public:
  /// `command` ("train"), a one-line summary, and usage of positionals ("MODEL_FILE").
  Args(std::string command, std::string summary, std::string positionals = "");
  /// Declares a flag with a default ("" for none) and help text; `boolean` flags take no value.
  Args& flag(const std::string& name, const std::string& default_value, const std::string& help, bool boolean = false);
  /// Parses argv (argv[0] is the command); prints help and exits 0 on --help.
  void parse(int argc, char** argv);

  std::string str(const std::string& name) const;
  int64_t integer(const std::string& name) const;
  double real(const std::string& name) const;
  bool on(const std::string& name) const;
  bool given(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  /// Exits with status 2 after printing "ember <command>: <message> (see 'ember <command> --help')".
  [[noreturn]] void fail(const std::string& message) const;
  /// fail() unless `path` exists; `what` names it ("model file").
  void require_file(const std::string& path, const std::string& what) const;

 private:
  struct Flag {
    std::string value, help;
    bool boolean = false, given = false;
  };
  std::string command_, summary_, positional_usage_;
  std::vector<std::string> order_;
  std::map<std::string, Flag> flags_;
  std::vector<std::string> positionals_;
};

}  // namespace ember::apps
