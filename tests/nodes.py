"""Real `tonghu` processes on one database, and a plain HTTP client of their JSON API.

Shared by tests/test_multinode.py and bench/http_throughput.py: they start `tonghu serve`
(gunicorn) and `tonghu worker` exactly as a deployment does, with TONGHU_ENV=test so the
demo accounts may log in.
"""
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from tests.pg_cluster import free_port

TONGHU = str(Path(sys.executable).with_name("tonghu"))
SECRET = "multinode-secret-" + "x" * 32
PASSWORD = "tonghu-demo"


def environment(database_url: str, **extra) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "TONGHU_ENV": "test", "TONGHU_SECRET_KEY": SECRET,
            "TONGHU_LOG_LEVEL": "INFO", **extra}


def tonghu(env: dict, *args, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run one `tonghu` command to its end; its output (stdout + stderr) when it failed."""
    done = subprocess.run([TONGHU, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"tonghu {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def spawn(env: dict, log: Path, *args) -> subprocess.Popen:
    """A long-lived `tonghu` process; its stdout and stderr go to `log`."""
    with open(log, "ab") as out:
        return subprocess.Popen([TONGHU, *args], env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen, sig=signal.SIGTERM, seconds: float = 30) -> int:
    """Signal the process and wait for it (reaped: a zombie would still look alive to `kill -0`)."""
    if process.poll() is None:
        os.kill(process.pid, sig)
    try:
        return process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait(10)


def wait_until(predicate, seconds: float = 60, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class Server:
    """`tonghu serve --workers N` on a free loopback port, answering /healthz when returned."""

    def __init__(self, env: dict, log: Path, workers: int):
        self.port = free_port()
        self.log = log
        self.process = spawn(env, log, "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers))
        if not wait_until(self._healthy, 90, 0.2):
            stop(self.process)
            raise RuntimeError(f"tonghu serve did not answer:\n{log.read_text(errors='replace')[-3000:]}")

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"tonghu serve exited:\n{self.log.read_text(errors='replace')[-3000:]}")
        try:
            return self.request("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def request(self, method: str, path: str, body=None, token: str | None = None) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            connection.request(method, path, None if body is None else json.dumps(body), headers)
            response = connection.getresponse()
            raw = response.read()
            try:
                return response.status, json.loads(raw or b"{}")
            except ValueError:
                return response.status, {"raw": raw[:500].decode(errors="replace")}
        finally:
            connection.close()

    def stop(self) -> int:
        return stop(self.process)


class Api:
    """Bearer tokens per user (one login each, through the API), shared by every server of a database."""

    def __init__(self, server: Server):
        self.tokens: dict[str, str] = {}
        self._login_server = server
        self._lock = threading.Lock()

    def token(self, username: str) -> str:
        with self._lock:
            if username not in self.tokens:
                status, body = self._login_server.request("POST", "/api/v1/auth/token",
                                                          {"username": username, "password": PASSWORD})
                if status != 200:
                    raise RuntimeError(f"login of {username} failed: {status} {body}")
                self.tokens[username] = body["token"]
            return self.tokens[username]

    def post(self, server: Server, username: str, path: str, body=None) -> tuple[int, dict]:
        return server.request("POST", f"/api/v1{path}", body if body is not None else {}, self.token(username))

    def get(self, server: Server, username: str, path: str) -> tuple[int, dict]:
        return server.request("GET", f"/api/v1{path}", None, self.token(username))


def child(serial: int) -> dict:
    """Test child number `serial`: a boy whose well-formed citizen id (GB 11643: birth date, odd
    sequence for a boy, check digit) agrees with the birth date; a different one for each serial."""
    born = date(2015, 1, 1) + timedelta(days=serial // 500)
    body = f"430104{born:%Y%m%d}{(serial % 500) * 2 + 1:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    number = body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return {"name": f"儿童{serial}", "id_number": number, "birth_date": born.isoformat(), "gender": "male"}
