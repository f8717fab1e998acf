// The `ember` command line: train, evaluate, predict, info. `cli_main` is shared by the `ember`
// binary (apps/main.cpp) and `python -m ember` (python/src/cli.cpp).
#include "apps/cli.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "ember/core/error.h"

namespace ember::apps {
int run_train(int argc, char** argv);
int run_evaluate(int argc, char** argv);
int run_predict(int argc, char** argv);
int run_info(int argc, char** argv);
}  // namespace ember::apps

namespace {
void usage(FILE* out) {
  std::fprintf(out,
               "usage: ember <command> [options]\n\n"
               "commands:\n"
               "  train     train a built-in model (lenet5, bigdl-cnn, vgg16-cifar, resnet20-cifar) on a data set\n"
               "  evaluate  accuracy and loss of a saved model on a data set\n"
               "  predict   predicted classes for a data set or image files\n"
               "  info      summary of a model file\n\n"
               "Run 'ember <command> --help' for the options of a command.\n");
}
}  // namespace

int ember::apps::cli_main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  using Run = int (*)(int, char**);
  Run run = cmd == "train" ? ember::apps::run_train
            : cmd == "evaluate" ? ember::apps::run_evaluate
            : cmd == "predict"  ? ember::apps::run_predict
            : cmd == "info"     ? ember::apps::run_info
                                : nullptr;
  if (run == nullptr) {
    std::fprintf(stderr, "ember: unknown command '%s': expected train, evaluate, predict or info (see 'ember --help')\n",
                 cmd.c_str());
    return 2;
  }
  try {
    return run(argc - 1, argv + 1);
  } catch (const ember::IOError& e) {
    // A missing or unreadable file, a malformed file or a bad value is the user's input: exit 2
    // like a wrong flag. Anything else (a diverging run, a bug) exits 1.
    std::fprintf(stderr, "ember %s: error: %s\n", cmd.c_str(), e.what());
    return 2;
  } catch (const ember::FormatError& e) {
    std::fprintf(stderr, "ember %s: error: %s\n", cmd.c_str(), e.what());
    return 2;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "ember %s: error: %s\n", cmd.c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ember %s: error: %s\n", cmd.c_str(), e.what());
    return 1;
  }
}
