"""Roster mode, end to end: a generated 10,000-row roster uploaded to the site as `make run` starts it
(runserver plus two db_workers, SQLite, DEBUG on), timed from the upload to the last chunk done, with
the workers' peak memory and the simulator's slowest answer during the run. Under a PostgreSQL
DATABASE_URL the same roster also runs with one and then two workers and the speed-up is printed.

Each run starts `manage.py runsite` as a separate process on a free port, so the numbers include the
queue, the polling and the database writes, not only the scoring.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

from tests.bench import ROOT, Figure

ROWS = int(os.environ.get("BENCH_ROSTER_ROWS", "10000"))
TARGET_SECONDS = 20.0
TARGET_MB = 300.0
TARGET_SPEEDUP = 1.7


def roster_bytes(rows: int) -> bytes:
    """A realistic roster (tests.factories.roster_rows) naming certificates by catalogue names that are
    unique, as an XLSX file headed like the template."""
    from django.db.models import Count

    from catalogue.models import Certificate
    from tests.factories import roster_file, roster_rows

    unique = (
        Certificate.objects.filter(active=True)
        .exclude(tier="none")
        .values("name")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .values_list("name", flat=True)
    )
    return roster_file(roster_rows(rows, date.today(), tuple(unique)[:60]), "xlsx")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def _multipart(data: bytes, as_of: str) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="as_of"\r\n\r\n{as_of}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="roster.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _workers(supervisor: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == supervisor and b"db_worker" in cmdline:
            pids.append(int(entry.name))
    return pids


def run_once(database_url: str, workers: int, data: bytes) -> dict:
    """Upload `data` to a fresh `runsite` on `database_url`; seconds to done, workers' peak MB, the
    slowest simulator answer while it ran."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1", "JIFEN_ROSTER_RATE": "1000"}
    env.pop("JIFEN_TASK_BACKEND", None)
    _manage(env, "migrate", "--no-input")
    _manage(env, "load_reference")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runsite", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_up(base)
        time.sleep(1.5)  # the workers' first poll
        body, content_type = _multipart(data, date.today().isoformat())
        slowest = [0.0]
        stop = threading.Event()
        probe = threading.Thread(target=_probe, args=(base, stop, slowest), daemon=True)
        start = time.perf_counter()
        request = urllib.request.Request(f"{base}/api/roster", data=body, headers={"Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=120) as response:
            roster = json.load(response)
        upload_seconds = time.perf_counter() - start
        probe.start()
        while True:
            with urllib.request.urlopen(f"{base}/roster/{roster['id']}/progress", timeout=30) as response:
                if response.headers.get("HX-Refresh"):
                    break
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        stop.set()
        probe.join()
        workers_now = _workers(server.pid)
        peak = max((_peak_mb(pid) for pid in workers_now), default=0.0)
        cpu = sum(_cpu_seconds(pid) for pid in workers_now)
        with urllib.request.urlopen(f"{base}/api/roster/{roster['id']}", timeout=60) as response:
            result = json.load(response)
        assert result["status"] == "done" and result["done"] == ROWS, result["status"]
        return {
            "seconds": seconds,
            "upload": upload_seconds,
            "peak_mb": peak,
            "cpu": cpu,
            "slowest_ms": slowest[0] * 1000,
            "summary": result["summary"],
            "load": os.getloadavg()[0],
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def _wait_up(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("runsite did not start")


def _probe(base: str, stop: threading.Event, slowest: list[float]) -> None:
    """The public site during the run: the score API once every half second (bounded by the run)."""
    url = f"{base}/api/score?age=35&education=bachelor&si_from=2021-11&si_to=&si_base=15000"
    while not stop.is_set():
        begin = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        slowest[0] = max(slowest[0], time.perf_counter() - begin)
        stop.wait(0.5)


def bench_roster() -> list[Figure]:
    data = roster_bytes(ROWS)
    figures = []
    with tempfile.TemporaryDirectory(prefix="jifen-roster-") as folder:
        run = run_once(f"sqlite:///{folder}/roster.sqlite3", 2, data)
    print(f"roster summary ({ROWS} rows): {run['summary']}; load average {run['load']:.1f}", file=sys.stderr)
    figures += [
        Figure(
            f"roster {ROWS:,} rows upload→done (SQLite, make run, 2 workers)",
            run["seconds"],
            "s",
            f"≤ {TARGET_SECONDS:g} s",
            run["seconds"] <= TARGET_SECONDS,
            headline=True,
        ),
        Figure("roster: the upload request (read, store, enqueue)", run["upload"], "s"),
        Figure("roster: CPU time of the 2 workers", run["cpu"], "s"),
        Figure(
            "roster worker peak memory (VmHWM)",
            run["peak_mb"],
            "MB",
            f"≤ {TARGET_MB:g} MB",
            run["peak_mb"] <= TARGET_MB,
            headline=True,
        ),
        Figure("roster: load average after the run (other work shares the CPUs)", run["load"], ""),
        Figure("roster: slowest /api/score during the run", run["slowest_ms"], "ms"),
    ]
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        one = run_once(database_url, 1, data)
        two = run_once(database_url, 2, data)
        speedup = one["seconds"] / two["seconds"]
        figures += [
            Figure(f"roster {ROWS:,} rows, PostgreSQL, 1 worker", one["seconds"], "s"),
            Figure(f"roster {ROWS:,} rows, PostgreSQL, 2 workers", two["seconds"], "s"),
            Figure("roster PostgreSQL: load average after the runs", two["load"], ""),
            Figure(
                "roster PostgreSQL speed-up 1→2 workers",
                speedup,
                "×",
                f"≥ {TARGET_SPEEDUP:g}×",
                speedup >= TARGET_SPEEDUP,
                headline=True,
            ),
        ]
    else:
        print("roster: 1 vs 2 workers on PostgreSQL skipped (set DATABASE_URL to PostgreSQL)", file=sys.stderr)
    return figures
