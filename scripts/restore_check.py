#!/usr/bin/env python3
"""Restore a backup snapshot into a fresh database and compare every stored SHA-256 with the snapshot's files.

    scripts/restore_check.py /backup/2026-11-22T030000Z

The scratch database is created beside the one in DATABASE_URL (same server and login; the login needs the
CREATEDB right), restored with --no-owner --no-acl exactly as docs/operations.md restores, checked with
`manage.py verify_backup --media-root <snapshot>/media`, and dropped again (--keep leaves it). Exit status 0
when every file matches; otherwise the files that are missing or differ are named.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def libpq_env(url: str) -> dict[str, str]:
    """PG* variables for the createdb/dropdb/pg_restore command-line tools from a postgres:// URL."""
    parts = urlsplit(url)
    env = {"PGHOST": parts.hostname or "localhost", "PGPORT": str(parts.port or 5432)}
    if parts.username:
        env["PGUSER"] = unquote(parts.username)
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    return env


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path, help="en mapp som scripts/backup.sh skapade")
    parser.add_argument("--keep", action="store_true", help="behåll den återlästa databasen efteråt")
    args = parser.parse_args()
    dump, media = args.snapshot / "paragraf.dump", args.snapshot / "media"
    if not dump.is_file() or not media.is_dir():
        print(f"{args.snapshot} är ingen färdig ögonblicksbild (paragraf.dump och media/ saknas).", file=sys.stderr)
        return 2
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL måste peka på PostgreSQL-servern att läsa tillbaka på.", file=sys.stderr)
        return 2
    name = f"paragraf_restore_check_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
    env = {**os.environ, **libpq_env(url)}
    subprocess.run(["createdb", name], env=env, check=True)
    try:
        restore = ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--dbname", name, str(dump)]
        subprocess.run(restore, env=env, check=True)
        check_env = {**os.environ, "DATABASE_URL": with_database(url, name)}
        verify = [sys.executable, str(ROOT / "manage.py"), "verify_backup", "--media-root", str(media)]
        return subprocess.run(verify, env=check_env, cwd=ROOT, check=False).returncode
    finally:
        if args.keep:
            print(f"Den återlästa databasen finns kvar: {name}")
        else:
            subprocess.run(["dropdb", "--if-exists", name], env=env, check=False)


if __name__ == "__main__":
    sys.exit(main())
