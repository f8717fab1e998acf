"""The training stage of ember.spark.Optimizer: what runs in each barrier task, and the driver's side of it.

Result rows (rank, kind, seq, payload): kind "model" (chunks of the pickled model, rank 0), "meta" (JSON:
history, validation history, log, resume information; rank 0) and "error" (JSON: the rank's error).
"""

import io
import json
import pickle
import sys
import traceback

import numpy as np

_SCHEMA = "rank int, kind string, seq int, payload binary"
_CHUNK = 64 << 20
_SPLIT_COL = "__ember_split"
_EMPTY = ": an empty partition"  # the driver repartitions once and runs again


def training_stage(job, data, val_data, say):
    """A callable that runs one training job on the cluster and returns its result rows. The data keeps its
    partitions when there are world_size of them; otherwise (and with validation data, which is unioned in)
    it is repartitioned. Spark refuses some lineages in a barrier stage (a union, a coalesce): those are
    repartitioned too, which cuts the lineage at a shuffle."""
    from pyspark.sql import functions as F

    n = job.world_size
    if job.is_rdd:
        rdd = data.map(lambda r: (0, r))
        if val_data is not None:
            rdd = rdd.union(val_data.map(lambda r: (1, r)))
        if val_data is not None or rdd.getNumPartitions() != n:
            rdd = rdd.repartition(n)

        def run_rdd(rows):
            yield from (_row_tuple(r) for r in train_task(job, _pairs_to_arrays(job, rows)))

        def run(rdd):
            return [tuple(r) for r in rdd.barrier().mapPartitions(run_rdd).collect()]
        repartition = lambda rdd: rdd.repartition(n)  # noqa: E731
        source = rdd
    else:
        features = [job.features_col] if isinstance(job.features_col, str) else list(job.features_col)
        cols = [F.col(c) for c in features] + [F.col(job.label_col)]
        df = data.select(*cols, F.lit(0).cast("byte").alias(_SPLIT_COL))
        if val_data is not None:
            df = df.unionByName(val_data.select(*cols, F.lit(1).cast("byte").alias(_SPLIT_COL)))
        if val_data is not None or df.rdd.getNumPartitions() != n:
            df = df.repartition(n)

        def run_arrow(batches):
            import pyarrow as pa
            rows = list(train_task(job, lambda: _batches_to_arrays(job, batches)))
            if rows:
                yield pa.RecordBatch.from_pylist([dict(zip(("rank", "kind", "seq", "payload"), _row_tuple(r)))
                                                  for r in rows], schema=_arrow_schema())

        def run(df):
            from ._compat import map_in_arrow
            return [(r["rank"], r["kind"], r["seq"], bytes(r["payload"]))
                    for r in map_in_arrow(df, run_arrow, _SCHEMA, barrier=True).collect()]
        repartition = lambda df: df.repartition(n)  # noqa: E731
        source = df

    return _Stage(run, repartition, source, n, say)


class _Stage:
    """Runs the training job; repartitions the data once when Spark refuses its lineage in a barrier
    stage or when a partition turns out empty (small files often give one)."""

    def __init__(self, run, repartition, source, n, say):
        self._run, self._repartition, self._source, self._n, self._say = run, repartition, source, n, say
        self.repartitioned = False

    def repartition(self, why):
        self._say(f"[ember.spark] {why}: repartitioning the data into {self._n} partitions")
        self._source = self._repartition(self._source)
        self.repartitioned = True

    def __call__(self):
        try:
            return self._run(self._source)
        except Exception as e:
            if "BarrierJobUnsupportedRDDChainException" not in str(e) or self.repartitioned:
                raise
            self.repartition("Spark cannot run this data's lineage (a union or coalesce) in a barrier stage")
            return self._run(self._source)


def _arrow_schema():
    import pyarrow as pa
    return pa.schema([("rank", pa.int32()), ("kind", pa.string()), ("seq", pa.int32()), ("payload", pa.binary())])


def _row_tuple(r):
    return (int(r[0]), r[1], int(r[2]), r[3])


def _batches_to_arrays(job, batches):
    """(x, y, x_val, y_val, schema_hash) from a task's Arrow batches: one copy, no per-row Python."""
    import pyarrow as pa
    from ._arrow import schema_hash, to_numpy
    batches = list(batches)
    if not batches:
        return None, None, None, None, None
    table = pa.Table.from_batches(batches)
    split = table.column(_SPLIT_COL).to_numpy()
    parts = []
    for which in (0, 1):
        sub = table.filter(pa.array(split == which)).drop_columns([_SPLIT_COL])
        if sub.num_rows == 0:
            parts += [None, None]
        else:
            x, y = to_numpy(sub, job.features_col, job.label_col, job.feature_shape, dtype=job.dtype,
                            transform=job.transform)
            parts += [x, y if job.label_shape is None else y.reshape((len(y),) + job.label_shape)]
    columns = ([job.features_col] if isinstance(job.features_col, str) else list(job.features_col)) + [job.label_col]
    return parts[0], parts[1], parts[2], parts[3], schema_hash(table.schema, columns)


def _pairs_to_arrays(job, rows):
    """(x, y, x_val, y_val, schema_hash) from an RDD partition of (split, (features, label) | Sample)."""
    def read():
        xs, ys = ([], []), ([], [])
        for split, r in rows:
            if hasattr(r, "features") and hasattr(r, "labels"):  # ember.data.Sample
                f, l = np.asarray(r.features[0]), np.asarray(r.labels[0]) if r.labels else np.zeros(())
            else:
                f, l = r
            xs[split].append(np.asarray(f, job.dtype))
            ys[split].append(np.asarray(l))
        out = []
        for k in (0, 1):
            if not xs[k]:
                out += [None, None]
                continue
            x, y = np.stack(xs[k]), np.stack(ys[k])
            if job.feature_shape is not None:
                x = x.reshape((len(x),) + tuple(job.feature_shape))
            if y.ndim == 2 and y.shape[1] == 1:
                y = y[:, 0]
            out += [np.ascontiguousarray(x), np.ascontiguousarray(y)]
        shape = None if out[0] is None else [str(out[0].dtype), list(out[0].shape[1:]), str(out[1].dtype)]
        return (*out, json.dumps(shape))
    return read


def _error_record(rank, e):
    from .. import dist
    failed = e.failed_rank if isinstance(e, dist.CollectiveError) else rank
    cause = e.cause if isinstance(e, dist.CollectiveError) else f"{type(e).__name__}: {e}"
    return (rank, "error", 0, json.dumps({"rank": rank, "failed_rank": failed, "cause": cause,
                                          "collective": isinstance(e, dist.CollectiveError),
                                          "trace": traceback.format_exc(limit=8)}).encode())


def train_task(job, read):
    """One rank's whole training run; yields result rows (never raises for errors it can describe)."""
    from pyspark import BarrierTaskContext
    import ember
    from .. import dist

    ctx = BarrierTaskContext.get()
    rank = ctx.partitionId()
    error = None
    x = y = xv = yv = shash = None
    try:
        x, y, xv, yv, shash = read()
    except Exception as e:  # bad data: every rank learns it at the rendezvous
        error = f"{type(e).__name__}: {e}"
    host = ctx.getTaskInfos()[rank].address.rsplit(":", 1)[0]
    listener = dist.Listener(host)
    resume = None
    if rank == 0 and error is None:
        try:
            resume = _resume_point(job)
        except Exception as e:
            error = f"{type(e).__name__}: {e}"
    info = {"rank": rank, "host": host, "port": listener.port, "version": ember.__version__, "schema": shash,
            "rows": 0 if x is None else int(len(x)), "error": error, "resume": resume}
    infos = sorted((json.loads(m) for m in ctx.allGather(json.dumps(info))), key=lambda i: i["rank"])
    problem = _rendezvous_problem(job, infos)
    if problem is not None:
        if rank == problem[0] or (problem[0] < 0 and rank == 0):
            yield (rank, "error", 0, json.dumps({"rank": problem[0], "failed_rank": problem[0], "cause": problem[1],
                                                 "collective": False, "trace": ""}).encode())
        return
    resume = infos[0]["resume"]

    log = io.StringIO()
    try:
        ember.set_num_threads(max(1, int(ctx.cpus())))
        collective = dist.Collective(listener, rank=rank, world_size=job.world_size,
                                     peers=[f"{i['host']}:{i['port']}" for i in infos], secret=job.secret,
                                     timeout=job.timeout)
        model = job.model
        opt = dist.DistributedOptimizer(collective, model, (x, y), job.criterion, job.batch_size)
        tee = _apply_settings(job, opt, rank, (xv, yv), log)
        if resume:
            opt.resume_from(resume)
        try:
            opt.optimize()
        finally:
            if tee is not None:
                tee.close()
    except Exception as e:
        yield _error_record(rank, e)
        return
    if rank != 0:
        return
    blob = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    for seq, start in enumerate(range(0, max(len(blob), 1), _CHUNK)):
        yield (0, "model", seq, blob[start:start + _CHUNK])
    meta = {"history": opt.history(), "log": log.getvalue(), "resumed_from": resume,
            "task_attempt": ctx.attemptNumber(),
            "validation_history": [{"epoch": v["epoch"], "iteration": v["iteration"],
                                    "results": [(r.name, r.total, r.count) for r in v["results"]]}
                                   for v in opt.validation_history()]}
    yield (0, "meta", 0, json.dumps(meta).encode())


def _resume_point(job):
    """Rank 0 decides where every rank starts: an explicit resume_from(), or (on a re-run) the newest
    checkpoint this run wrote."""
    from ..io import CheckpointManager
    if job.checkpoint:
        latest = CheckpointManager.latest(job.checkpoint[0])
        if latest is not None and latest != job.skip_checkpoint:
            return latest
    return job.resume_from


def _rendezvous_problem(job, infos):
    """(rank, cause) of the first problem the rendezvous shows, or None."""
    import ember
    for i in infos:
        if i["error"]:
            return i["rank"], i["error"]
    for i in infos:
        if i["version"] != ember.__version__:
            return i["rank"], (f"rank {i['rank']} runs Ember {i['version']} but rank 0 runs {infos[0]['version']}: "
                               "install the same version on every executor")
    for i in infos:
        if i["rows"] == 0:
            total = sum(j["rows"] for j in infos)
            return i["rank"], (f"rank {i['rank']} received no training rows ({total} rows over {len(infos)} "
                               f"partitions){_EMPTY if total >= len(infos) else ': use fewer workers (num_workers)'}")
    for i in infos:
        if i["schema"] != infos[0]["schema"]:
            return i["rank"], f"rank {i['rank']} read data of schema {i['schema']} but rank 0 read {infos[0]['schema']}"
    return None


def _apply_settings(job, opt, rank, val, log):
    from .. import summary
    if job.optim_method is not None:
        opt.set_optim_method(job.optim_method)
    if job.end_when is not None:
        opt.set_end_when(job.end_when)
    if job.validation is not None:
        if val[0] is None:
            raise ValueError(f"rank {rank} received no validation rows: use fewer workers or more validation data")
        trigger, methods, batch_size = job.validation
        opt.set_validation(trigger, val, methods, batch_size)
    if job.checkpoint is not None:
        path, trigger, keep_last = job.checkpoint
        opt.set_checkpoint(path, trigger, keep_last)
    if job.clipping is not None:
        if job.clipping[0] == "constant":
            opt.set_constant_gradient_clipping(job.clipping[1], job.clipping[2])
        else:
            opt.set_gradient_clipping_by_l2_norm(job.clipping[1])
    if job.compression:
        opt.set_gradient_compression(True)
    if job.train_transform is not None:
        opt.set_train_transform(job.train_transform)
    if job.data_options:
        opt.set_data_options(**job.data_options)
    if rank == 0:
        if job.train_summary is not None:
            log_dir, app, triggers = job.train_summary
            s = summary.TrainSummary(log_dir, app)
            for tag, t in triggers.items():
                s.set_summary_trigger(tag, t)
            opt.set_train_summary(s)
        if job.validation_summary is not None:
            opt.set_validation_summary(summary.ValidationSummary(*job.validation_summary))
        relay = []
        if job.log_relay is not None:
            from ._relay import RelayStream
            relay.append(RelayStream(job.log_relay, job.secret))
        tee = _Tee([log, sys.stderr] + relay, owned=relay)
        opt.set_log(stream=tee, log_every=job.log_every, progress_bar="off")
        return tee
    opt.set_log(stream=None)
    return None


class _Tee:
    """Rank 0's log: kept for the driver and written to the executor's stderr as it happens."""

    def __init__(self, streams, owned=()):
        self.streams, self.owned = streams, owned

    def write(self, text):
        for s in self.streams:
            s.write(text)

    def flush(self):
        for s in self.streams:
            s.flush()

    def close(self):
        """Closes the streams it opened (the relay); the others belong to others."""
        for s in self.owned:
            s.close()


def collect_result(rows, world_size):
    """The driver's view of a finished stage: raises TrainingError for a rank's error, else returns the model,
    history, validation history, log and resume information."""
    from .optimizer import TrainingError
    from .. import optim
    errors = [json.loads(p) for (_, kind, _, p) in rows if kind == "error"]
    if errors:
        # The root cause: a rank's own error, not another rank's report that the collective was aborted.
        own = [e for e in errors if not e["collective"]]
        e = own[0] if own else errors[0]
        rank = e["failed_rank"]
        where = f"rank {rank}" if rank >= 0 else "an unknown rank"
        raise TrainingError(f"[ember.spark.Optimizer] training failed on {where} of {world_size}: {e['cause']}",
                            rank=rank, cause=e["cause"])
    chunks = sorted((seq, p) for (_, kind, seq, p) in rows if kind == "model")
    metas = [json.loads(p) for (_, kind, _, p) in rows if kind == "meta"]
    if not chunks or not metas:
        raise TrainingError("[ember.spark.Optimizer] the training stage ended without a model from rank 0")
    meta = metas[0]
    model = pickle.loads(b"".join(p for _, p in chunks))
    meta["validation_history"] = [{"epoch": v["epoch"], "iteration": v["iteration"],
                                   "results": [optim.ValidationResult(n, t, c) for n, t, c in v["results"]]}
                                  for v in meta["validation_history"]]
    meta["model"] = model
    return meta
