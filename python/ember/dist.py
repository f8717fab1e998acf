"""ember.dist: Ember's collective communication and data-parallel trainer (the C++ floor ember/dist).

:class:`Collective` joins the ranks of a job over authenticated TCP (a per-job secret, an HMAC handshake with
nonces, bounded frames, a deadline on every operation); :class:`DistributedOptimizer` trains with the local
Optimizer's setters, each rank on its own shard of the data. ember.spark uses both inside a Spark barrier
stage; they work the same in any set of processes that can exchange "host:port" addresses.

Example (every rank runs this, with its own rank and shard)::

    from ember import dist, models, nn, optim
    listener = dist.Listener("127.0.0.1")
    peers = exchange(f"127.0.0.1:{listener.port}")          # your rendezvous: "host:port" of every rank
    c = dist.Collective(listener, rank=rank, world_size=len(peers), peers=peers, secret=key)
    opt = dist.DistributedOptimizer(c, models.lenet5(), (x_shard, y_shard), nn.ClassNLLCriterion(), 128)
    opt.set_optim_method(optim.SGD(learning_rate=0.05)).set_end_when(optim.max_epoch(2)).optimize()

A failure on any rank (an exception, a lost peer, a timeout) raises :class:`CollectiveError` on every rank,
with ``failed_rank`` and ``cause`` of the rank where it started.
"""

from ._ember.dist import Collective, CollectiveError, DistributedOptimizer, Listener  # noqa: F401
