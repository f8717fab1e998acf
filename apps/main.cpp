// The `ember` binary: everything happens in cli_main.
#include "apps/cli.h"

int main(int argc, char** argv) { return ember::apps::cli_main(argc, argv); }
