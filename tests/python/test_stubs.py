"""The type stubs shipped with the package (python/ember/_ember/**.pyi) match the bindings."""

import shutil
import subprocess

import pytest

from conftest import ROOT

STUBS = ROOT / "python" / "ember" / "_ember"


def stub_files(root):
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.pyi"))}


def test_committed_stubs_are_current(tmp_path):
    if shutil.which("pybind11-stubgen", path=str(ROOT / ".venv" / "bin")) is None:
        pytest.skip("pybind11-stubgen is not in .venv (scripts/setup installs it)")
    subprocess.run([str(ROOT / "scripts" / "gen-stubs"), str(tmp_path)], check=True, capture_output=True, text=True)
    fresh, committed = stub_files(tmp_path / "_ember"), stub_files(STUBS)
    assert sorted(fresh) == sorted(committed), "stub files differ: run scripts/gen-stubs"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"stale stubs {stale}: run scripts/gen-stubs after changing a binding"
    # The stubs describe the real API: a layer's constructor and a method with its docstring.
    assert "class Linear(Module)" in committed["nn.pyi"]
    assert "def set_end_when(" in committed["train.pyi"]
    assert (ROOT / "python" / "ember" / "py.typed").exists()
