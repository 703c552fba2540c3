"""A throwaway PostgreSQL cluster in a temporary folder, for the tests and the benchmarks.

initdb + pg_ctl from Debian's server binaries (`make install` installs them), run as the
`postgres` system user when we are root (initdb refuses root); fsync off, trust
authentication on 127.0.0.1 only, stopped with `-m immediate` at the end.
"""
import glob
import os
import shutil
import socket
import subprocess
from contextlib import contextmanager
from pathlib import Path


class NoPostgres(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres_user(data: Path) -> list[str]:
    """The command prefix that runs the server binaries (as `postgres` when we are root)."""
    if os.geteuid() != 0:
        return []
    shutil.chown(data, "postgres", "postgres")
    shutil.chown(data.parent, "postgres", "postgres")
    os.chmod(data.parent, 0o755)
    for parent in list(data.parents)[1:]:
        if parent == Path("/"):
            break
        os.chmod(parent, os.stat(parent).st_mode | 0o005)
    return ["runuser", "-u", "postgres", "--"]


@contextmanager
def throwaway_cluster(folder: Path, max_connections: int = 100):
    """Start a cluster in `folder` (which must exist and be empty); yield its SQLAlchemy URL."""
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise NoPostgres("PostgreSQL server binaries not found: `make install` installs Debian's postgresql")
    data = Path(folder) / "data"
    data.mkdir()
    as_user = _as_postgres_user(data)
    port = free_port()
    subprocess.run(as_user + [initdb, "-D", str(data), "-U", "tonghu", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                   check=True, capture_output=True)
    subprocess.run(as_user + [pg_ctl, "-D", str(data), "-w", "-l", str(data / "server.log"), "-o",
                              f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off "
                              f"-c max_connections={max_connections}", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://tonghu@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_user + [pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
