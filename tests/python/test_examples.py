"""The examples in examples/python run end to end (shortened) and print what they promise."""

import re
import subprocess
import sys

from conftest import ROOT

EXAMPLES = ROOT / "examples" / "python"


def run(script, *args):
    r = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return r.stdout


def percent(pattern, out):
    m = re.search(pattern, out)
    assert m, out[-2000:]
    return float(m.group(1))


def test_custom_layer_example_learns_the_spirals():
    out = run("custom_layer.py")
    assert "py.Swish(features=64)" in out
    assert percent(r"validation accuracy ([\d.]+)%", out) > 95.0


def test_lenet_then_transfer_learning(mnist_dir, fashion_mnist_dir, tmp_path):
    out = run("lenet_mnist.py", "--epochs", "1", "--limit", "12000", "--out", str(tmp_path),
              "--data-dir", str(mnist_dir))
    assert percent(r"test accuracy ([\d.]+)%", out) > 90.0
    model = tmp_path / "model.ember"
    assert model.exists()
    out = run("transfer_learning.py", "--model", str(model), "--epochs", "1", "--mnist-dir", str(mnist_dir),
              "--fashion-dir", str(fashion_mnist_dir))
    assert f"loading {model}" in out
    assert "frozen tensors unchanged: True" in out
    before = percent(r"MNIST classifier on Fashion-MNIST: ([\d.]+)%", out)
    after = percent(r"Fashion-MNIST test accuracy ([\d.]+)%", out)
    assert after > 65.0 and after > before + 20.0, (before, after)
