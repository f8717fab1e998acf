#!/usr/bin/python3
"""Regenerates every PyTorch fixture under tests/fixtures/ (run with Debian's python3-torch):

    /usr/bin/python3 tools/make_fixtures.py

Each tools/fixtures/gen_*.py module has a main() that writes its files. Seeds are fixed, so a rerun
reproduces the committed files exactly.
"""
import glob
import importlib.util
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "fixtures"))
for path in sorted(glob.glob(os.path.join(here, "fixtures", "gen_*.py"))):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.main()
    print("wrote fixtures from", os.path.basename(path))
