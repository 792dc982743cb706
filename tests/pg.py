"""A throwaway PostgreSQL server for tests: initdb in a temp folder, a unix socket, no TCP."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return versions[-1] if versions else None


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """Start a PostgreSQL server; yields its URL. Raises LookupError when none is installed."""
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not (initdb and pg_ctl):
        raise LookupError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    root = Path(tempfile.mkdtemp(prefix="ea-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    try:
        subprocess.run(
            _as_server_user(
                [initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"]
            ),
            check=True,
            capture_output=True,
        )
        opts = f"-c listen_addresses='' -k {sock} -F"
        subprocess.run(
            _as_server_user(
                [pg_ctl, "-D", str(data), "-o", opts, "-w", "-l", str(root / "log"), "start"]
            ),
            check=True,
            capture_output=True,
        )
        try:
            yield f"postgresql://postgres@/postgres?host={sock}"
        finally:
            subprocess.run(
                _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
                capture_output=True,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
