"""A Spark standalone cluster on one machine, for tests and examples: a master and workers, each its own
JVM from the pyspark distribution, on 127.0.0.1 with free ports and RPC authentication on.

Example::

    from ember.spark.cluster import StandaloneCluster
    from pyspark.sql import SparkSession
    with StandaloneCluster(workers=2) as cluster:
        builder = SparkSession.builder
        for k, v in cluster.conf().items():
            builder = builder.config(k, v)
        spark = builder.getOrCreate()
        ...
        spark.stop()

Security: every daemon and every application shares one secret (``spark.authenticate=true``, Spark's
standalone model). The daemons read it from a properties file readable by this user only (never from the
command line, where ``ps`` would show it); executors get it from their worker through the environment;
applications through :meth:`StandaloneCluster.conf`. The REST submission server (which has no
authentication) is turned off, and the web UIs listen on ``host`` only.

Life cycle: :meth:`stop` (or leaving the ``with`` block) ends every JVM, executors included (each daemon is
a process group). If this process dies first (Ctrl-C, an exception, even SIGKILL), a small watchdog process
sees its pipe close and stops the daemons, so a test run never leaves JVMs behind. :meth:`detach` hands the
daemons over to the caller (``scripts/spark-cluster start``); ``scripts/spark-cluster stop`` ends them.

This module uses only the standard library (no pyspark import, no ember extension), so
``python python/ember/spark/cluster.py start|stop|status`` works without the built package.
"""

import atexit
import importlib.util
import json
import os
import re
import secrets as _secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

__all__ = ["StandaloneCluster", "SparkClusterError", "spark_home", "java_executable", "session"]

_WHERE = "[spark.StandaloneCluster]"


def session(app_name, master=None, log_level="WARN"):
    """The SparkSession of a script: ``master`` when given; under spark-submit, the master and settings it
    was given (scripts/spark-submit: the local standalone cluster); otherwise ``local[2]`` in this process.
    Outside spark-submit the executors' Python is this interpreter (unless PYSPARK_PYTHON says otherwise), so
    they import the same ember. Imports pyspark (the rest of this module does not)."""
    from pyspark.sql import SparkSession

    under_spark_submit = "PYSPARK_GATEWAY_PORT" in os.environ
    if not under_spark_submit:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    elif not under_spark_submit:
        builder = builder.master("local[2]")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(log_level)
    return spark


class SparkClusterError(RuntimeError):
    """The cluster could not be started (Java missing, a port in use, a daemon that exited or never became
    ready); the message includes the tail of the daemon's log."""


def java_executable():
    """The ``java`` that Spark's launcher will use ($JAVA_HOME/bin/java, else the one on PATH), or None."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = os.path.join(home, "bin", "java")
        return candidate if os.access(candidate, os.X_OK) else None
    return shutil.which("java")


def spark_home():
    """The Spark distribution inside the installed pyspark package (its bin/ and jars/), found without
    importing pyspark. Raises SparkClusterError when pyspark is not installed or has no jars."""
    spec = importlib.util.find_spec("pyspark")
    if spec is None or not spec.submodule_search_locations:
        raise SparkClusterError(f"{_WHERE} pyspark is not installed: expected the pyspark package (it carries the "
                                "Spark jars and bin/spark-class)")
    home = os.path.realpath(list(spec.submodule_search_locations)[0])
    if not os.path.isfile(os.path.join(home, "bin", "spark-class")) or not os.path.isdir(os.path.join(home, "jars")):
        raise SparkClusterError(f"{_WHERE} {home} is not a Spark distribution: expected bin/spark-class and jars/ "
                                "(a pip-installed pyspark has both)")
    return home


def _scala_version(home):
    for name in os.listdir(os.path.join(home, "jars")):
        m = re.fullmatch(r"spark-core_(\d+\.\d+)-.*\.jar", name)
        if m:
            return m.group(1)
    raise SparkClusterError(f"{_WHERE} no spark-core jar in {os.path.join(home, 'jars')}: a broken pyspark install")


def _log_tail(path, lines=40):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 64 * 1024))
            text = f.read().decode("utf-8", "replace")
    except OSError as e:
        return f"(no log: {e})"
    return "\n".join(text.splitlines()[-lines:])


def _port_free(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _memory_mb(text, what):
    m = re.fullmatch(r"\s*(\d+)\s*([kmgt]?)b?\s*", str(text), re.IGNORECASE)
    if not m or int(m.group(1)) <= 0:
        raise ValueError(f"{_WHERE} {what}: expected a JVM memory size like '512m' or '1g', got {text!r}")
    scale = {"": 1 / (1024 * 1024), "k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}[m.group(2).lower()]
    return int(int(m.group(1)) * scale)


def _kill_group(pgid, proc=None, timeout=15.0):
    """SIGTERM to the process group (the JVM runs its shutdown hooks: a worker kills its executors), then
    SIGKILL to whatever is left after ``timeout`` seconds. ``proc``: the group leader if it is our child
    (reaped here, else its zombie would keep the group alive)."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None:
            proc.poll()
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# The watchdog: a separate process that holds the read end of a pipe whose write end only this process has.
# It learns the daemons' process groups as lines ("+pgid" when started, "-pgid" when stopped by us, "exit"
# after detach) and, when the pipe closes without "exit" (this process ended, however), stops the rest.
_WATCHDOG = r"""
import os, signal, sys, time
groups = set()
for line in sys.stdin:
    line = line.strip()
    if line == "exit":
        sys.exit(0)
    if line[:1] == "+":
        groups.add(int(line[1:]))
    elif line[:1] == "-":
        groups.discard(int(line[1:]))
for g in groups:
    try:
        os.killpg(g, signal.SIGTERM)
    except OSError:
        pass
deadline = time.monotonic() + 15
while groups and time.monotonic() < deadline:
    for g in list(groups):
        try:
            os.killpg(g, 0)
        except OSError:
            groups.discard(g)
    time.sleep(0.1)
for g in groups:
    try:
        os.killpg(g, signal.SIGKILL)
    except OSError:
        pass
"""

_MASTER = "org.apache.spark.deploy.master.Master"
_WORKER = "org.apache.spark.deploy.worker.Worker"
_LIVE = []  # clusters started by this process and not stopped: atexit stops them
_LIVE_LOCK = threading.Lock()


@atexit.register
def _stop_all():
    with _LIVE_LOCK:
        live = list(_LIVE)
    for cluster in live:
        cluster.stop()


class _Daemon:
    def __init__(self, name, proc, log):
        self.name, self.proc, self.log = name, proc, log

    @property
    def pgid(self):
        return self.proc.pid  # started with start_new_session: the JVM leads its own group


class StandaloneCluster:
    """A Spark standalone master and ``workers`` workers on ``host`` (JVMs from the pyspark distribution).

    ``cores_per_worker`` and ``memory_per_worker`` are what each worker offers to executors;
    ``daemon_memory`` is the heap of the master and worker JVMs themselves. ``secret`` is the shared
    ``spark.authenticate.secret`` (default: 32 random bytes, hex). ``work_dir`` holds the daemons' logs,
    the properties file and the workers' scratch space (default: a temporary directory removed on stop).
    ``spark_conf`` adds properties for the daemons (``{"spark.worker.cleanup.enabled": "true"}``).
    ``master_port`` 0 takes a free port; a given port must be free. Nothing starts before :meth:`start`.
    """

    def __init__(self, workers=2, cores_per_worker=1, memory_per_worker="1g", host="127.0.0.1", secret=None,
                 work_dir=None, spark_conf=None, *, daemon_memory="256m", master_port=0, start_timeout=180.0):
        for name, value in (("workers", workers), ("cores_per_worker", cores_per_worker)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{_WHERE} {name}: expected a positive int, got {value!r}")
        if isinstance(master_port, bool) or not isinstance(master_port, int) or not 0 <= master_port <= 65535:
            raise ValueError(f"{_WHERE} master_port: expected 0 (a free port) or a port number, got {master_port!r}")
        if secret is not None and (not isinstance(secret, str) or not secret or any(c.isspace() for c in secret)):
            raise ValueError(f"{_WHERE} secret: expected a non-empty string without whitespace (or None for a "
                             "random one)")
        self.workers = workers
        self.cores_per_worker = cores_per_worker
        self.memory_per_worker = str(memory_per_worker)
        self._memory_mb = _memory_mb(memory_per_worker, "memory_per_worker")
        _memory_mb(daemon_memory, "daemon_memory")
        self.daemon_memory = str(daemon_memory)
        self.host = host
        self.secret = secret or _secrets.token_hex(32)
        self.spark_conf = {str(k): str(v) for k, v in (spark_conf or {}).items()}
        self.master_port = master_port
        self.start_timeout = float(start_timeout)
        self._work_dir_arg = work_dir
        self.work_dir = None
        self._owns_work_dir = False
        self.master_url = None
        self.webui_url = None
        self._daemons = []
        self._watchdog = None
        self._lock = threading.Lock()

    # ---- public ---------------------------------------------------------------------------------------

    @property
    def running(self):
        """True between a successful start() and stop()/detach()."""
        return self.master_url is not None and bool(self._daemons)

    def start(self):
        """Starts the master, then the workers, and returns once every worker is registered and ALIVE
        (polling the master's JSON status). Returns self. Raises SparkClusterError, after stopping whatever
        did start, when Java is missing, the port is taken, a daemon exits or the cluster is not up within
        ``start_timeout`` seconds."""
        with self._lock:
            if self._daemons:
                raise SparkClusterError(f"{_WHERE} already started (master {self.master_url})")
            java = java_executable()
            if java is None:
                raise SparkClusterError(f"{_WHERE} Java not found: Spark needs a Java 17+ runtime on PATH or in "
                                        "$JAVA_HOME (Debian: apt-get install openjdk-17-jre-headless)")
            home = spark_home()
            if self.master_port and not _port_free(self.host, self.master_port):
                raise SparkClusterError(f"{_WHERE} port {self.master_port} on {self.host} is already in use: choose "
                                        "another master_port, or 0 for a free one")
            self._prepare_work_dir()
            try:
                self._start_watchdog()
                with _LIVE_LOCK:
                    _LIVE.append(self)
                self._java = self._java_command(home, java)
                self._start_master(home)
                for i in range(self.workers):
                    self._start_worker(home, i + 1)
                self._wait_for_workers()
            except BaseException:
                self._stop_locked()
                raise
        return self

    def stop(self):
        """Stops every daemon (executors and their Python workers with them) and removes the temporary
        work directory. Idempotent; safe to call from atexit."""
        with self._lock:
            self._stop_locked()

    def conf(self):
        """The settings an application needs to run on this cluster, as a dict of strings: the master
        URL, authentication with the shared secret, the driver on ``host``, and executors sized to the
        workers. Pass them to ``SparkSession.builder.config`` or write them to a properties file."""
        if self.master_url is None:
            raise SparkClusterError(f"{_WHERE} not started: call start() first")
        return {
            "spark.master": self.master_url,
            "spark.authenticate": "true",
            "spark.authenticate.secret": self.secret,
            "spark.driver.host": self.host,
            "spark.driver.bindAddress": self.host,
            "spark.executor.cores": str(self.cores_per_worker),
            "spark.executor.memory": f"{self._memory_mb}m",
            "spark.cores.max": str(self.workers * self.cores_per_worker),
            # Settings every party must agree on (RPC encryption, SASL options) follow the daemons'.
            **{k: v for k, v in self.spark_conf.items()
               if k.startswith(("spark.network.crypto.", "spark.authenticate.", "spark.network.sasl."))},
        }

    def java_command(self, main_class):
        """The command line (a list) that runs ``main_class`` from this cluster's Spark distribution with
        the daemons' JVM options (class path, heap, the module flags Java 17+ needs); no secret in it.
        Set ``_SPARK_AUTH_SECRET`` in the environment and ``-Dspark.authenticate=true`` to authenticate."""
        if not self.running:
            raise SparkClusterError(f"{_WHERE} not started: call start() first")
        return [*self._java, main_class]

    def state(self):
        """A JSON-able description: master and UI URLs, conf(), the daemons' pids and log files, work_dir."""
        return {
            "master_url": self.master_url,
            "webui_url": self.webui_url,
            "conf": self.conf(),
            "work_dir": self.work_dir,
            "owns_work_dir": self._owns_work_dir,
            "daemons": [{"name": d.name, "pid": d.proc.pid, "pgid": d.pgid, "log": d.log} for d in self._daemons],
        }

    def status(self):
        """The master's JSON status (``/json/``): workers, their state, cores, memory, running apps."""
        if self.webui_url is None:
            raise SparkClusterError(f"{_WHERE} not started: call start() first")
        return _master_json(self.webui_url)

    def detach(self):
        """Leaves the daemons running after this process ends (no watchdog, no atexit stop) and returns
        state(); ``scripts/spark-cluster stop`` (``cluster.py stop --state-dir DIR``) ends them later from the
        pids it holds, or kill their process groups."""
        with self._lock:
            if not self._daemons:
                raise SparkClusterError(f"{_WHERE} not started: nothing to detach")
            st = self.state()
            self._tell_watchdog("exit")
            self._close_watchdog()
            with _LIVE_LOCK:
                if self in _LIVE:
                    _LIVE.remove(self)
            self._daemons = []
            self._owns_work_dir = False
            return st

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def __repr__(self):
        where = self.master_url or "not started"
        return (f"StandaloneCluster({where}, workers={self.workers}, cores_per_worker={self.cores_per_worker}, "
                f"memory_per_worker={self.memory_per_worker!r})")

    # ---- internals ------------------------------------------------------------------------------------

    def _prepare_work_dir(self):
        if self._work_dir_arg is None:
            self.work_dir = tempfile.mkdtemp(prefix="ember-spark-")
            self._owns_work_dir = True
        else:
            self.work_dir = os.path.abspath(os.fspath(self._work_dir_arg))
            os.makedirs(self.work_dir, exist_ok=True)
            self._owns_work_dir = False
        os.makedirs(os.path.join(self.work_dir, "logs"), exist_ok=True)
        # An empty SPARK_CONF_DIR: no spark-env.sh or spark-defaults.conf of the user's leaks into the daemons.
        os.makedirs(os.path.join(self.work_dir, "conf"), exist_ok=True)
        props = {
            "spark.authenticate": "true",
            "spark.authenticate.secret": self.secret,
            # The REST submission server cannot authenticate: never open it.
            "spark.master.rest.enabled": "false",
            # A port given by the user is that port or an error, not the next free one.
            "spark.port.maxRetries": "0" if self.master_port else "16",
            **self.spark_conf,
        }
        self._properties = os.path.join(self.work_dir, "conf", "daemons.properties")
        fd = os.open(self._properties, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            for k, v in props.items():
                f.write(f"{k}={v}\n")

    def _start_watchdog(self):
        self._watchdog = subprocess.Popen([sys.executable, "-c", _WATCHDOG], stdin=subprocess.PIPE,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True, text=True)

    def _tell_watchdog(self, line):
        if self._watchdog is not None and self._watchdog.stdin is not None:
            try:
                self._watchdog.stdin.write(line + "\n")
                self._watchdog.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass

    def _close_watchdog(self):
        if self._watchdog is None:
            return
        try:
            self._watchdog.stdin.close()
        except OSError:
            pass
        try:
            self._watchdog.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._watchdog.kill()
        self._watchdog = None

    def _env(self, home):
        env = dict(os.environ)
        env.update({
            "SPARK_HOME": home,
            "SPARK_CONF_DIR": os.path.join(self.work_dir, "conf"),
            "SPARK_DAEMON_MEMORY": self.daemon_memory,
            # Binds the web UIs to host too (they listen on 0.0.0.0 otherwise).
            "SPARK_LOCAL_IP": self.host,
            "SPARK_NO_DAEMONIZE": "1",
            # bin/load-spark-env.sh sets it; Spark's launcher (here and in the worker, which builds the
            # executors' command with it) fails without it.
            "SPARK_SCALA_VERSION": _scala_version(home),
        })
        for k in ("SPARK_MASTER_OPTS", "SPARK_WORKER_OPTS", "SPARK_DAEMON_JAVA_OPTS", "_SPARK_AUTH_SECRET"):
            env.pop(k, None)
        return env

    def _java_command(self, home, java):
        """Spark's launcher (what bin/spark-class runs) prints the daemon's java command: class path, heap,
        the --add-opens flags Spark needs on Java 17+. Asked once; the workers reuse it with their class."""
        env = self._env(home)
        try:
            out = subprocess.run([java, "-Xmx128m", "-cp", os.path.join(home, "jars", "*"),
                                  "org.apache.spark.launcher.Main", _MASTER], env=env, capture_output=True,
                                 timeout=self.start_timeout, check=True)
        except subprocess.CalledProcessError as e:
            raise SparkClusterError(f"{_WHERE} Spark's launcher failed (exit {e.returncode}): "
                                    f"{e.stderr.decode('utf-8', 'replace')[-4000:]}") from None
        # The command follows a newline (spark-class skips what comes before it), NUL-separated.
        cmd = [a.decode("utf-8") for a in out.stdout.split(b"\n", 1)[-1].split(b"\0") if a]
        if _MASTER not in cmd:
            raise SparkClusterError(f"{_WHERE} unexpected output from Spark's launcher: {cmd!r}")
        prefix = cmd[:cmd.index(_MASTER)]
        # Daemons do little computing: the client compiler and the serial collector start faster and leave
        # the cores to the executors (2-core CI machines).
        return prefix + ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]

    def _spawn(self, home, name, cls, args):
        log = os.path.join(self.work_dir, "logs", f"{name}.log")
        with open(log, "wb") as out:
            proc = subprocess.Popen([*self._java, cls, *args], env=self._env(home),
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    cwd=self.work_dir, start_new_session=True)
        d = _Daemon(name, proc, log)
        self._daemons.append(d)
        self._tell_watchdog(f"+{d.pgid}")
        return d

    def _fail(self, daemon, what):
        raise SparkClusterError(f"{_WHERE} {daemon.name} {what}; last lines of {daemon.log}:\n"
                                f"{_log_tail(daemon.log)}")

    def _check_alive(self, daemon):
        code = daemon.proc.poll()
        if code is None:
            return
        tail = _log_tail(daemon.log)
        if "Address already in use" in tail or "BindException" in tail:
            raise SparkClusterError(f"{_WHERE} {daemon.name} could not bind its port on {self.host} (address already "
                                    f"in use); last lines of {daemon.log}:\n{tail}")
        self._fail(daemon, f"exited with status {code} while starting")

    def _start_master(self, home):
        m = self._spawn(home, "master", _MASTER,
                        ["--host", self.host, "--port", str(self.master_port), "--webui-port", "0",
                         "--properties-file", self._properties])
        url = ui_port = None
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            self._check_alive(m)
            text = _log_tail(m.log, lines=400)
            url = url or _search(r"Starting Spark master at (spark://\S+)", text)
            ui_port = ui_port or _search(r"Successfully started service 'MasterUI' on port (\d+)", text)
            if url and ui_port and "I have been elected leader" in text:
                self.master_url = url
                self.webui_url = f"http://{self.host}:{ui_port}"
                return
            time.sleep(0.1)
        self._fail(m, f"did not report its URL within {self.start_timeout:.0f} s")

    def _start_worker(self, home, index):
        worker_dir = os.path.join(self.work_dir, f"worker-{index}")
        os.makedirs(worker_dir, exist_ok=True)
        self._spawn(home, f"worker-{index}", _WORKER,
                    ["--host", self.host, "--port", "0", "--webui-port", "0", "--cores", str(self.cores_per_worker),
                     "--memory", f"{self._memory_mb}m", "--work-dir", worker_dir, "--properties-file",
                     self._properties, self.master_url])

    def _wait_for_workers(self):
        deadline = time.monotonic() + self.start_timeout
        alive = 0
        while time.monotonic() < deadline:
            for d in self._daemons:
                self._check_alive(d)
            try:
                st = _master_json(self.webui_url)
                alive = sum(1 for w in st.get("workers", []) if w.get("state") == "ALIVE")
                if alive >= self.workers:
                    return
            except (OSError, ValueError):
                pass  # the UI answers a little after the log line; retry
            time.sleep(0.2)
        worker = self._daemons[-1]
        raise SparkClusterError(f"{_WHERE} only {alive} of {self.workers} workers registered with {self.master_url} "
                                f"within {self.start_timeout:.0f} s; last lines of {worker.log}:\n"
                                f"{_log_tail(worker.log)}")

    def _stop_locked(self):
        # Workers first (their shutdown hook kills their executors), then the master.
        for d in reversed(self._daemons):
            _kill_group(d.pgid, d.proc)
            try:
                d.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self._tell_watchdog(f"-{d.pgid}")
        self._daemons = []
        self._tell_watchdog("exit")
        self._close_watchdog()
        with _LIVE_LOCK:
            if self in _LIVE:
                _LIVE.remove(self)
        self.master_url = None
        self.webui_url = None
        if self._owns_work_dir and self.work_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)
            self._owns_work_dir = False


def _search(pattern, text):
    m = None
    for m in re.finditer(pattern, text):
        pass
    return m.group(1) if m else None


def _master_json(webui_url, timeout=5.0):
    # Straight to the master on host: an http_proxy in the environment must not take the request.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(webui_url.rstrip("/") + "/json/", timeout=timeout) as r:
        return json.loads(r.read().decode("utf-8"))


# ---- command line (scripts/spark-cluster) ---------------------------------------------------------------

def _write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def _cli(argv=None):
    import argparse

    p = argparse.ArgumentParser(prog="spark-cluster", description="A local Spark standalone cluster (auth on).")
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("start", "stop", "status"):
        s = sub.add_parser(name)
        s.add_argument("--state-dir", default="runs/spark-cluster",
                       help="where state.json, spark.conf (for spark-submit --properties-file) and logs live")
        if name == "start":
            s.add_argument("--workers", type=int, default=2)
            s.add_argument("--cores", type=int, default=1, help="cores per worker")
            s.add_argument("--memory", default="1g", help="memory per worker")
            s.add_argument("--host", default="127.0.0.1")
    a = p.parse_args(argv)
    state_dir = os.path.abspath(a.state_dir)
    state_file = os.path.join(state_dir, "state.json")

    def load():
        try:
            with open(state_file) as f:
                return json.load(f)
        except FileNotFoundError:
            return None

    if a.cmd == "start":
        st = load()
        if st and any(_is_spark_daemon(d["pid"]) for d in st["daemons"]):
            print(f"[spark-cluster] already running: {st['master_url']} (state in {state_file})")
            return 0
        os.makedirs(state_dir, exist_ok=True)
        t0 = time.monotonic()
        cluster = StandaloneCluster(workers=a.workers, cores_per_worker=a.cores, memory_per_worker=a.memory,
                                    host=a.host, work_dir=state_dir).start()
        st = cluster.detach()
        _write_private(state_file, json.dumps(st, indent=2) + "\n")
        # For spark-submit: the cluster's settings, and this interpreter for the executors' Python workers.
        app_conf = {**st["conf"], "spark.pyspark.python": sys.executable}
        _write_private(os.path.join(state_dir, "spark.conf"), "".join(f"{k} {v}\n" for k, v in app_conf.items()))
        print(f"[spark-cluster] {st['master_url']} with {a.workers} workers up in {time.monotonic() - t0:.1f} s; "
              f"UI {st['webui_url']}")
        print(f"[spark-cluster] spark-submit --properties-file {os.path.join(state_dir, 'spark.conf')} app.py")
        return 0
    st = load()
    if st is None:
        print(f"[spark-cluster] not running (no {state_file})")
        return 0 if a.cmd == "stop" else 3
    if a.cmd == "status":
        alive = [d["name"] for d in st["daemons"] if _is_spark_daemon(d["pid"])]
        print(f"[spark-cluster] {st['master_url']}: {len(alive)} of {len(st['daemons'])} daemons alive "
              f"({', '.join(alive) or 'none'})")
        try:
            js = _master_json(st["webui_url"])
            for w in js.get("workers", []):
                print(f"  worker {w.get('id')} {w.get('state')} cores {w.get('coresused')}/{w.get('cores')}")
            for app in js.get("activeapps", []):
                print(f"  app {app.get('id')} {app.get('name')} {app.get('state')}")
        except (OSError, ValueError) as e:
            print(f"  master UI {st['webui_url']} not answering: {e}")
        return 0 if len(alive) == len(st["daemons"]) else 1
    for d in reversed(st["daemons"]):
        if _is_spark_daemon(d["pid"]):
            _kill_group(d["pgid"])
    os.remove(state_file)
    print(f"[spark-cluster] stopped {st['master_url']}")
    return 0


def _is_spark_daemon(pid):
    """Whether ``pid`` is still a live Spark master or worker JVM (not a zombie, not a reused pid)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(") ", 1)[-1][:1] == "Z":
                return False
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"org.apache.spark.deploy." in f.read()
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(_cli())
