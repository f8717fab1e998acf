// `python -m ember`: the same command line as the `ember` binary (apps/cli.cpp).
#include <string>
#include <vector>

#include "apps/cli.h"
#include "bindings.h"

namespace ember::python {

void bind_cli(py::module_& m) {
  m.def(
      "_cli_main",
      [](std::vector<std::string> argv) {
        std::vector<char*> ptrs;
        for (std::string& a : argv) ptrs.push_back(a.data());
        ptrs.push_back(nullptr);
        py::gil_scoped_release release;  // training runs for minutes; other Python threads keep going
        return apps::cli_main(static_cast<int>(argv.size()), ptrs.data());
      },
      py::arg("argv"), "Runs `ember <command> [options]`; argv[0] is the program name. Returns the exit status.");
}

}  // namespace ember::python
