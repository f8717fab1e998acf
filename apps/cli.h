#pragma once
/// The `ember` command line as a function, so that the binary and `python -m ember` run the same code.

namespace ember::apps {

/// Runs `ember <command> [options]` with argv[0] the program name. Returns the exit status: 0 on
/// success, 2 for bad flags, missing or malformed files and bad values, 1 for other failures.
int cli_main(int argc, char** argv);

}  // namespace ember::apps
