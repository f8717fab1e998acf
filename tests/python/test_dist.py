"""ember.dist from Python: the collective's operations on thread ranks, CollectiveError with the failing rank,
a wrong secret and an oversized frame rejected, and DistributedOptimizer equal to local training."""

import copy
import socket
import struct
import threading

import numpy as np
import pytest

import ember
from ember import dist, nn, optim

SECRET = b"s" * 32


def run_ranks(n, body, secrets=None, timeout=10.0):
    """Runs body(collective, rank) on n thread ranks; returns {rank: result or exception}."""
    listeners = [dist.Listener("127.0.0.1") for _ in range(n)]
    peers = [f"127.0.0.1:{l.port}" for l in listeners]
    out = {}

    def rank(r):
        try:
            c = dist.Collective(listeners[r], rank=r, world_size=n, peers=peers,
                                secret=(secrets or [SECRET] * n)[r], timeout=timeout)
            out[r] = body(c, r)
        except Exception as e:  # noqa: BLE001 - the test inspects it
            out[r] = e

    threads = [threading.Thread(target=rank, args=(r,)) for r in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("size", [5, 100003])  # the direct path and the ring
def test_all_reduce_and_shards(n, size):
    def body(c, r):
        a = np.arange(size, dtype=np.float64) * (r + 1)
        c.all_reduce(a)
        b = np.full(size, float(r + 1), np.float32)
        c.reduce_scatter(b)
        begin, end = c.shard_range(size)
        return a, b[begin:end], c.all_reduce([1.0, float(r)]), c.gather_bytes(bytes([r]) * r)

    out = run_ranks(n, body)
    total = n * (n + 1) / 2
    for r in range(n):
        a, shard, sums, gathered = out[r]
        np.testing.assert_array_equal(a, np.arange(size, dtype=np.float64) * total)
        np.testing.assert_array_equal(shard, np.full(len(shard), total, np.float32))
        assert sums == [n, n * (n - 1) / 2]
        assert gathered == ([bytes([k]) * k for k in range(n)] if r == 0 else [])
    assert sum(len(out[r][1]) for r in range(n)) == size


def test_wrong_secret_is_rejected_naming_the_rank():
    out = run_ranks(2, lambda c, r: None, secrets=[SECRET, b"x" * 32], timeout=3)
    assert isinstance(out[0], dist.CollectiveError) and isinstance(out[1], dist.CollectiveError)
    assert out[0].failed_rank == 1
    assert "claiming rank 1" in out[0].cause and "does not know this job's secret" in out[0].cause
    assert isinstance(out[0], RuntimeError)


def test_abort_reaches_every_rank_with_the_cause():
    def body(c, r):
        if r == 2:
            c.abort("out of memory in rank 2's data loader")
            return None
        c.all_reduce(np.ones(10, np.float32))

    out = run_ranks(3, body)
    for r in (0, 1):
        assert isinstance(out[r], dist.CollectiveError)
        assert out[r].failed_rank == 2 and out[r].cause == "out of memory in rank 2's data loader"
        assert "rank 2 failed: out of memory" in str(out[r])


def test_an_oversized_handshake_frame_is_refused():
    listener = dist.Listener("127.0.0.1")
    result = {}

    def rank0():
        try:
            dist.Collective(listener, rank=0, world_size=2, peers=[f"127.0.0.1:{listener.port}", "127.0.0.1:1"],
                            secret=SECRET, timeout=3)
        except dist.CollectiveError as e:
            result["error"] = e

    t = threading.Thread(target=rank0)
    t.start()
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as s:
        s.recv(64)  # the challenge
        s.sendall(struct.pack("<Q", 1 << 40))  # "a 1 TiB answer follows"
        t.join(30)
    assert "error" in result
    assert "1099511627776" in str(result["error"]), str(result["error"])


def test_listener_is_taken_once():
    listener = dist.Listener("127.0.0.1")
    dist.Collective(listener, rank=0, world_size=1, peers=[f"127.0.0.1:{listener.port}"], secret=SECRET)
    with pytest.raises(ValueError, match="already taken"):
        dist.Collective(listener, rank=0, world_size=1, peers=[f"127.0.0.1:{listener.port}"], secret=SECRET)


def test_distributed_optimizer_equals_local_training():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 6))
    y = rng.integers(0, 3, 64)
    ember.manual_seed(2)
    model = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3), nn.LogSoftMax()).to(ember.float64)
    # Rank r holds rows r, r + 2, ...: with batch 8 (4 per rank) and no shuffling, local batch k is the
    # union of the ranks' batch k when the local rows are ordered rank 0's 4, rank 1's 4, ...
    shards = [(x[r::2], y[r::2]) for r in range(2)]
    order = np.concatenate([np.concatenate([np.arange(r, 64, 2)[4 * k:4 * k + 4] for r in range(2)]) for k in range(8)])
    models = [copy.deepcopy(model) for _ in range(2)]

    def body(c, r):
        opt = dist.DistributedOptimizer(c, models[r], shards[r], nn.ClassNLLCriterion(), 8)
        opt.set_optim_method(optim.Adam(learning_rate=0.01)).set_end_when(optim.max_epoch(2))
        opt.set_data_options(shuffle=False).set_log(stream=None)
        opt.optimize()
        return opt.timing

    out = run_ranks(2, body)
    assert out[0]["reduce_scatter"] > 0 and out[0]["all_gather"] > 0 and out[0]["iterations"] == 16
    local = optim.Optimizer(model, (x[order], y[order]), nn.ClassNLLCriterion(), 8)
    local.set_optim_method(optim.Adam(learning_rate=0.01)).set_end_when(optim.max_epoch(2))
    local.set_data_options(shuffle=False).set_log(stream=None)
    local.optimize()
    w = [np.asarray(m.get_parameters()[0]) for m in models]
    np.testing.assert_array_equal(w[0], w[1])
    np.testing.assert_allclose(w[0], np.asarray(model.get_parameters()[0]), rtol=1e-10, atol=1e-12)
