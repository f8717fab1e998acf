// The `ember` command line. Subcommands grow with the library (train, evaluate, predict, info, ...).
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

namespace ember::apps {
int run_demo(int argc, char** argv);
}

namespace {
void usage(FILE* out) {
  std::fprintf(out,
               "usage: ember <command> [options]\n\n"
               "commands:\n"
               "  demo    train a small classifier on synthetic data and report test accuracy\n\n"
               "Run 'ember <command> --help' for the options of a command.\n");
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  try {
    if (cmd == "demo") return ember::apps::run_demo(argc - 1, argv + 1);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ember %s: error: %s\n", cmd.c_str(), e.what());
    return 1;
  }
  std::fprintf(stderr, "ember: unknown command '%s'\n", cmd.c_str());
  usage(stderr);
  return 2;
}
