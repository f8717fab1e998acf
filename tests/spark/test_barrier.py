"""Barrier stages run on the cluster: 2 tasks on the 2 workers start together, exchange (host, port) through
BarrierTaskContext.allGather and reach each other over TCP, as the training rendezvous will."""

import json

import pytest

pa = pytest.importorskip("pyarrow")

from ember.spark import map_in_arrow  # noqa: E402


def test_barrier_tasks_all_gather_addresses_and_connect(spark):
    from pyspark.sql import types as T

    def task(batches):
        import os
        import socket

        from pyspark import BarrierTaskContext

        rows = sum(b.num_rows for b in batches)
        ctx = BarrierTaskContext.get()
        server = socket.create_server(("127.0.0.1", 0))
        host, port = server.getsockname()[:2]
        # The executor's working directory is under its worker's work dir (worker-1 or worker-2).
        worker = next(p for p in os.getcwd().split(os.sep) if p.startswith("worker-"))
        peers = [json.loads(m) for m in ctx.allGather(json.dumps({"rank": ctx.partitionId(), "host": host,
                                                                   "port": port, "worker": worker}))]
        # Ring step: send our rank to the next rank, receive the previous one's.
        nxt = peers[(ctx.partitionId() + 1) % len(peers)]
        with socket.create_connection((nxt["host"], nxt["port"]), timeout=30) as c:
            c.sendall(str(ctx.partitionId()).encode())
        server.settimeout(30)
        conn, _ = server.accept()
        received = int(conn.recv(16).decode())
        conn.close()
        server.close()
        ctx.barrier()
        yield pa.RecordBatch.from_pydict({"rank": [ctx.partitionId()], "rows": [rows], "peers": [json.dumps(peers)],
                                          "received": [received]})

    df = spark.range(0, 10, numPartitions=2)
    schema = T.StructType([T.StructField("rank", T.LongType()), T.StructField("rows", T.LongType()),
                           T.StructField("peers", T.StringType()), T.StructField("received", T.LongType())])
    out = sorted(map_in_arrow(df, task, schema, barrier=True).collect(), key=lambda r: r["rank"])
    assert [r["rank"] for r in out] == [0, 1]
    assert sum(r["rows"] for r in out) == 10
    assert [r["received"] for r in out] == [1, 0]  # each heard from the other
    peers = json.loads(out[0]["peers"])
    assert peers == json.loads(out[1]["peers"])  # allGather: everyone sees the same list, in rank order
    assert [p["rank"] for p in peers] == [0, 1] and all(p["host"] == "127.0.0.1" for p in peers)
    assert sorted(p["worker"] for p in peers) == ["worker-1", "worker-2"]  # one task per worker
