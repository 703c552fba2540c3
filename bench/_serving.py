"""The server the HTTP benchmarks measure: gunicorn as `tonghu serve` runs it, started in a process
of its own (`start`), with a route of the benchmark's own beside the app's (`with_route`)."""
import atexit
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_app(database, **config):
    """The app on the SQLite file `database`, with the benchmarks' secret and a real clock."""
    from webapp import create_app
    from webapp.engine import Clock
    return create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench", "CLOCK": Clock(), **config})


def with_route(app, path: str, answer) -> None:
    """`path` answered by `answer()` (JSON-ready), not by the app: what a benchmark asks the server
    process about itself."""
    import json
    inner = app.wsgi_app

    def routed(environ, start_response):
        if environ["PATH_INFO"] != path:
            return inner(environ, start_response)
        body = json.dumps(answer()).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    app.wsgi_app = routed


def serve_one_worker(app_factory, port: int, **options) -> None:
    """gunicorn as `tonghu serve` runs it (`webapp/serving.py`), one worker of two threads
    (`gthread`, which keeps connections alive; one client uses one thread), no access log."""
    import logging

    from webapp.serving import WebServer
    logging.disable(logging.INFO)
    WebServer(app_factory, {"bind": f"127.0.0.1:{port}", "workers": 1, "worker_class": "gthread", "threads": 2,
                            "timeout": 120, "accesslog": None, "errorlog": "-", "loglevel": "warning",
                            "preload_app": False, **options}).run()


def start(script: str, arguments: list[str], port: int, log: Path) -> subprocess.Popen:
    """`script --serve …` in a process of its own, once it accepts connections on `port`; stopped at
    this process's exit whatever happens on the way. Its output goes to `log`, shown if it fails."""
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, script, "--serve", *arguments], stdout=out, stderr=out, cwd=ROOT)
    atexit.register(stop, server)
    for _ in range(600):
        if server.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise SystemExit(f"the server did not start:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
