"""
The collective and the data-parallel trainer.
"""
from __future__ import annotations
import collections.abc
import ember._ember.nn
import ember._ember.train
import typing
__all__: list[str] = ['Collective', 'CollectiveError', 'DistributedOptimizer', 'Listener']
class CollectiveError(RuntimeError):
    """
    A collective operation failed: failed_rank is the rank where the failure started (-1: unknown), cause what happened there. Every rank raises it within the timeout.
    """
class Listener:
    """
    A listening TCP socket for the collective, bound to `host` (port 0: any free port). Bind it before the rendezvous: its port goes to the other ranks.
    """
    def __init__(self, host: str, port: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def host(self) -> str:
        ...
    @property
    def port(self) -> int:
        ...
class Collective:
    """
    Ember's collective over authenticated TCP: a full mesh of connections, ring reduce-scatter / all-gather / all-reduce, broadcast, barrier, and byte gathers. Every operation has a deadline; a failure on any rank raises CollectiveError on every rank, naming the rank that failed first. Operations release the GIL.
    
    Example:
      c = Collective(listener, rank=r, world_size=n, peers=['10.0.0.5:4711', ...], secret=key)
      c.all_reduce(grads)   # a float32/float64 array, summed in place
    """
    def __init__(self, listener: Listener, *, rank: typing.SupportsInt | typing.SupportsIndex, world_size: typing.SupportsInt | typing.SupportsIndex, peers: collections.abc.Sequence[str], secret: typing.Any, timeout: typing.SupportsFloat | typing.SupportsIndex = 300.0, small_bytes: typing.SupportsInt | typing.SupportsIndex = 65536, segment_bytes: typing.SupportsInt | typing.SupportsIndex = 1048576) -> None:
        """
        Connects to every peer (peers[i] = 'host:port' of rank i) and authenticates with `secret` (bytes, >= 16).
        """
    def abort(self, cause: str) -> None:
        """
        Tells every peer this rank failed with `cause`, then closes.
        """
    def all_gather(self, buffer: typing.Any) -> None:
        """
        Every rank's shard is copied into every rank's buffer.
        """
    def all_gather_bytes(self, data: typing.Any) -> list:
        """
        Every rank's bytes on every rank, by rank.
        """
    def all_reduce(self, buffer: typing.Any) -> typing.Any:
        """
        Sums a buffer over ranks in place (a float32/bfloat16/float64 array or Tensor; returns it), or a list of numbers (returns the summed list).
        """
    def barrier(self) -> None:
        ...
    def broadcast(self, buffer: typing.Any, root: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        """
        root's buffer is copied to every rank.
        """
    def broadcast_bytes(self, data: typing.Any, root: typing.SupportsInt | typing.SupportsIndex = 0) -> bytes:
        """
        root's bytes on every rank (other ranks may pass None).
        """
    def gather_bytes(self, data: typing.Any, root: typing.SupportsInt | typing.SupportsIndex = 0) -> list:
        """
        On root, every rank's bytes by rank; elsewhere [].
        """
    def reduce_scatter(self, buffer: typing.Any, *, bfloat16_wire: bool = False) -> None:
        """
        This rank's shard (shard_range(n)) becomes the sum over ranks; bfloat16_wire sends float32 data as bfloat16 (float32 accumulation).
        """
    def scatter_bytes(self, parts: typing.Any, root: typing.SupportsInt | typing.SupportsIndex = 0) -> bytes:
        """
        root passes one bytes object per rank; each rank gets its own.
        """
    def shard_range(self, n: typing.SupportsInt | typing.SupportsIndex) -> tuple[int, int]:
        """
        (begin, end) of this rank's shard of an n-element buffer.
        """
    @property
    def ok(self) -> bool:
        """
        False after an error or abort().
        """
    @property
    def rank(self) -> int:
        ...
    @property
    def stats(self) -> dict:
        ...
    @property
    def world_size(self) -> int:
        ...
class DistributedOptimizer(ember._ember.train.Optimizer):
    """
    Synchronous data-parallel training over a Collective, with the local Optimizer's setters (BigDL: DistriOptimizer). Every rank constructs one with its own shard of the data and the same global batch_size; each iteration reduce-scatters the gradients, updates this rank's shard of the weights and all-gathers them. Rank 0 writes the log, summaries and checkpoints.
    
    DistributedOptimizer(collective, model, training_set, criterion, batch_size=32)
    """
    def __init__(self, collective: Collective, model: ember._ember.nn.Module, training_set: typing.Any, criterion: ember._ember.nn.Criterion, batch_size: typing.SupportsInt | typing.SupportsIndex = 32) -> None:
        ...
    def set_gradient_compression(self, bfloat16: bool = True) -> typing.Any:
        """
        Sends gradients as bfloat16 in the reduce-scatter (float32 accumulation).
        """
    @property
    def collective(self) -> Collective:
        ...
