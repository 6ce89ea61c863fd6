"""The HTTP half of `make bench`: gunicorn with production settings, driven by wrk from another process.

The server runs the way README's Deploy section runs it (DEBUG off, a secret key generated for the run,
WhiteNoise serving collected static files, persistent database connections), on the database
`tests.bench.setup_django` prepared (a throwaway SQLite file with the reference data, or DATABASE_URL).
Each URL is measured at 16 connections for BENCH_SECONDS (default 10), then the result fragment at 64
connections for three times as long; every throughput is also given as a ratio to /baseline, measured
in the same run (each target's ratio to a /baseline run made just before it).

Each run also reads the CPU time the gunicorn workers and wrk spent on it (Linux /proc and getrusage),
per request. Server and wrk keep both CPUs busy, so a row's throughput is the CPUs over its CPU per
request, and a ratio target is a budget: the server CPU per request that would meet it is printed beside
the one measured, so a reader sees how much a row must shed, not only that it misses.

This module has no bench_* function: tests.bench.main() calls http_figures() after the in-process ones.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from tests.bench import ROOT, Figure

CONNECTIONS = 16
HEAVY_CONNECTIONS = 64
P99_TARGET_MS = 50.0
# Issue targets: throughput with new inputs on every request, as a ratio to /baseline in the same run.
RATIO_TARGETS = {"fragment": 0.5, "advice fragment": 0.3, "/api/score": 0.5, "/r/<slug>": 0.4}

# wrk's Lua hooks: count non-2xx answers per thread, print one JSON line with the latency percentiles.
WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread); thread:set("id", #threads) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "socket_errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, bad))
end
"""
# The same, but every request carries a new valid profile drawn at random (age, education, a certificate
# or none, one to three SI periods with their bases, spouse years) plus a counter, so no URL repeats and no
# cached render can answer. `prefix` and `certificates` are filled in per target by `unique_script`.
WRK_UNIQUE_SCRIPT = (
    WRK_SCRIPT
    + r"""
local prefix = "PREFIX"
local certificates = {CERTIFICATES}
local educations = {"none", "junior_college", "bachelor", "bachelor_degree", "master", "doctor"}
counter = 0
function pick(list) return list[math.random(#list)] end
function month(year, m) return string.format("%04d-%02d", year, m) end
function request()
  if counter == 0 then math.randomseed(id * 7919 + os.time()) end
  counter = counter + 1
  local q = {"age=" .. math.random(20, 58), "education=" .. pick(educations)}
  if #certificates > 0 and math.random() < 0.6 then
    table.insert(q, "certificate=" .. pick(certificates))
    table.insert(q, "cert_job_match=on")
    if math.random() < 0.8 then table.insert(q, "cert_in_shanghai=on") end
  end
  local year, m = math.random(2012, 2024), math.random(1, 12)
  local periods = math.random(1, 3)
  for i = 1, periods do
    local base = math.random() < 0.1 and "max" or tostring(math.random(7, 40) * 1000)
    local last = i == periods
    local end_year = year + math.random(0, 2)
    local to = last and "" or month(end_year, m)
    table.insert(q, "si_from=" .. month(year, m) .. "&si_to=" .. to .. "&si_base=" .. base)
    year = end_year + 1
    if year > 2025 then break end
  end
  if math.random() < 0.3 then table.insert(q, "spouse_years=" .. math.random(1, 12)) end
  table.insert(q, "invest_tax=" .. (id * 10000000 + counter) % 100000)
  return wrk.format(nil, prefix .. table.concat(q, "&"))
end
"""
)


def unique_script(directory: Path, name: str, prefix: str, certificates: list[int]) -> Path:
    """A wrk script sending new random inputs to `prefix` (e.g. "/?", "/advice?") on every request."""
    script = directory / f"{name}.lua"
    ids = ", ".join(str(pk) for pk in certificates)
    script.write_text(WRK_UNIQUE_SCRIPT.replace("PREFIX", prefix).replace("CERTIFICATES", ids))
    return script


def sample_certificates() -> list[int]:
    """A few active catalogue entries of every scoring tier, for the random profiles."""
    from catalogue.models import Certificate

    return [c.pk for c in Certificate.objects.filter(active=True).order_by("tier", "pk")[::12][:30]]


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    non2xx: int
    server_cpu_ms: float | None = None  # CPU time of the gunicorn workers per request
    client_cpu_ms: float | None = None  # wrk's, per request

    @property
    def cpu_ms(self) -> float | None:
        """Server and wrk CPU per request: what one request costs the two CPUs they share."""
        if self.server_cpu_ms is None or self.client_cpu_ms is None:
            return None
        return self.server_cpu_ms + self.client_cpu_ms

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_seconds() -> int:
    return max(1, int(os.environ.get("BENCH_SECONDS", "10")))


def typical_query() -> str:
    """The typical profile of the issue, with 经济师 from the catalogue."""
    from catalogue.models import Certificate

    certificate = Certificate.objects.filter(active=True, name="经济师").first()
    pairs = [
        ("age", "35"),
        ("education", "bachelor_degree"),
        ("si_from", "2021-11"),
        ("si_to", ""),
        ("si_base", "15000"),
        ("spouse_years", "3"),
    ]
    if certificate is not None:
        pairs += [("certificate", str(certificate.pk)), ("cert_job_match", "on"), ("cert_in_shanghai", "on")]
    return urlencode(pairs)


def ensure_wrk(notes: list[str]) -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        notes.append("wrk is not installed and this is not root: `sudo apt-get install wrk`, then `make bench`.")
        return None
    print("installing wrk with apt-get …", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        subprocess.run(install, env=env, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        notes.append("apt-get could not install wrk; the HTTP benchmarks did not run.")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec: Linux sends it SIGTERM if the bench process dies without cleaning up."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "jifen_site.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CONN_MAX_AGE": "60",
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }


GUNICORN_CONFIG = "python:jifen_site.gunicorn_conf"  # the deployment's own limits (README, systemd example)


class Server:
    """gunicorn on a free loopback port; stopped (only this process) on exit."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkdtemp(prefix="jifen-bench-")) / "gunicorn.log"
        self.command = [
            *(sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, "jifen_site.wsgi"),
            *("--workers", str(workers), "--bind", f"127.0.0.1:{self.port}"),
            *("--error-logfile", str(self.log), "--log-level", "warning"),
        ]
        self.env = env
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, preexec_fn=_die_with_parent)
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:  # refused while booting, or a slow first answer
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{self.log_tail()}")

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.log.parent, ignore_errors=True)

    def cpu_seconds(self) -> float | None:
        """User and system CPU time of the workers (the master's children) so far; None off Linux."""
        if self.process is None or not Path("/proc/self/stat").exists():
            return None
        total, tick = 0.0, os.sysconf("SC_CLK_TCK")
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):  # a process that ended while the directory was read
                continue
            if int(fields[1]) == self.process.pid:  # ppid
                total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return total

    def log_tail(self, lines: int = 20) -> str:
        return "\n".join(self.log.read_text().splitlines()[-lines:]) if self.log.exists() else ""


def wrk(binary: str, script: Path, url: str, headers: dict[str, str], connections: int, seconds: int) -> Run:
    command = [binary, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(line for line in output.splitlines() if line.startswith("JSON "))
    data = json.loads(line[5:])
    return Run(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        socket_errors=data["socket_errors"],
        non2xx=data["non2xx"],
        client_cpu_ms=_per_request(
            after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, data["requests"]
        ),
    )


def _per_request(seconds: float, requests: int) -> float | None:
    return seconds * 1000 / requests if requests else None


def cpu_budget_ms(run: Run, baseline: Run, ratio: float) -> float | None:
    """The server CPU per request at which `run` would reach `ratio` × /baseline's throughput: with both
    CPUs busy, throughput is inversely proportional to the CPU (server and wrk) one request costs."""
    if baseline.cpu_ms is None or run.client_cpu_ms is None:
        return None
    return baseline.cpu_ms / ratio - run.client_cpu_ms


def shared_page(base_url: str, query: str, notes: list[str]) -> str | None:
    """Create a shared result with the site's own share POST (the form field `query`) and return its
    /r/<slug> path, or None (with a note) while the share feature does not exist."""
    from django.urls import NoReverseMatch, reverse

    try:
        share_url = reverse("calculator:share")
    except NoReverseMatch:
        notes.append("/r/<slug>: the share feature is not in the URLconf yet; not measured.")
        return None
    cookies = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    opener.open(f"{base_url}/?{query}").read()
    token = next((c.value for c in cookies if c.name == "csrftoken"), "")
    request = urllib.request.Request(
        base_url + share_url,
        data=urlencode({"query": query}).encode(),
        headers={"X-CSRFToken": token, "Referer": base_url + "/"},
    )
    try:
        with opener.open(request) as response:
            path = urlsplit(response.url).path
    except urllib.error.HTTPError as exc:
        notes.append(f"/r/<slug>: the share POST answered {exc.code}; not measured.")
        return None
    if not path.startswith("/r/"):
        notes.append(f"/r/<slug>: the share POST led to {path}, not a shared page; not measured.")
        return None
    return path


def figures_for(label: str, run: Run, baseline: Run | None, connections: int, ratio_target: float | None) -> list:
    """Throughput, its ratio to /baseline, median, p99 and failures of one wrk run. The ratio targets, the
    p99 at 16 connections and the failures are the headline rows."""
    rows = [Figure(f"{label}: throughput c{connections}", run.rps, "req/s")]
    if baseline is not None:
        ratio = run.rps / baseline.rps if baseline.rps else 0.0
        ok = None if ratio_target is None else ratio >= ratio_target
        target = "" if ratio_target is None else f">= {ratio_target:g}"
        rows.append(
            Figure(f"{label}: vs /baseline c{connections}", ratio, "x baseline", target, ok, ratio_target is not None)
        )
    if run.server_cpu_ms is not None:
        rows.append(Figure(f"{label}: server CPU per request c{connections}", run.server_cpu_ms, "ms"))
    budget = None if baseline is None or ratio_target is None else cpu_budget_ms(run, baseline, ratio_target)
    if budget is not None:
        rows.append(Figure(f"{label}: server CPU per request that meets {ratio_target:g}x", budget, "ms"))
    rows.append(Figure(f"{label}: median c{connections}", run.p50_ms, "ms"))
    p99_ok = run.p99_ms < P99_TARGET_MS if connections == CONNECTIONS else None
    p99_target = f"< {P99_TARGET_MS:g} ms" if p99_ok is not None else ""
    headline = baseline is not None  # every row is held to its p99 and failure targets; the floor itself is not
    rows.append(
        Figure(f"{label}: p99 c{connections}", run.p99_ms, "ms", p99_target, p99_ok, headline and p99_ok is not None)
    )
    failures = run.socket_errors + run.non2xx
    rows.append(Figure(f"{label}: errors+non-2xx c{connections}", failures, "responses", "0", failures == 0, headline))
    return rows


def http_figures() -> list[Figure]:
    notes: list[str] = []
    binary = ensure_wrk(notes)
    if binary is None:
        for note in notes:
            print(f"note: {note}")
        return []
    seconds = run_seconds()
    workers = max(2, int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2)))
    env = server_env()
    query = typical_query()
    directory = Path(tempfile.mkdtemp(prefix="jifen-wrk-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    report = directory / "report.lua"
    report.write_text(WRK_SCRIPT)
    certificates = sample_certificates()
    hx = {"HX-Request": "true"}
    fresh_targets = [  # label, path prefix, headers: new random inputs on every request
        ("fragment", "/?", hx),
        ("advice fragment", "/advice?", hx),
        ("/api/score", "/api/score?", {}),
    ]
    figures: list[Figure] = []
    load_before = os.getloadavg()[0]

    def measure(
        server: Server,
        label: str,
        script: Path,
        path: str,
        headers: dict,
        connections: int = CONNECTIONS,
        duration: int = seconds,
    ) -> Run:
        print(f"wrk {label}: {duration} s at {connections} connections …", file=sys.stderr)
        wrk(binary, script, server.url + path, headers, connections, 1)  # warm every worker's caches
        before = server.cpu_seconds()
        run = wrk(binary, script, server.url + path, headers, connections, duration)
        after = server.cpu_seconds()
        if before is None or after is None or after < before:  # a worker was replaced during the run
            return run
        return replace(run, server_cpu_ms=_per_request(after - before, run.requests))

    with Server(env | {"JIFEN_FRAGMENT_CACHE": "0"}, workers) as server:
        shared = shared_page(server.url, query, notes)
        baseline = measure(server, "/baseline", report, "/baseline", {})
        figures += figures_for("/baseline", baseline, None, CONNECTIONS, None)
        # Each ratio is to a /baseline run just before its own: the machine's speed drifts (the baseline alone
        # has moved by half between runs a minute apart), and adjacent runs share the conditions.
        paired = []
        for label, prefix, headers in fresh_targets:
            script = unique_script(directory, label.replace("/", "").replace(" ", "-"), prefix, certificates)
            before = measure(server, f"/baseline (before {label})", report, "/baseline", {})
            run = measure(server, f"{label}, new inputs", script, prefix.rstrip("?"), headers)
            paired.append(f"{label} {before.rps:.0f}")
            figures += figures_for(f"{label}, new inputs", run, before, CONNECTIONS, RATIO_TARGETS[label])
        if shared:
            before = measure(server, "/baseline (before /r/<slug>)", report, "/baseline", {})
            run = measure(server, "/r/<slug>", report, shared, {})
            paired.append(f"/r/<slug> {before.rps:.0f}")
            figures += figures_for("/r/<slug>", run, before, CONNECTIONS, RATIO_TARGETS["/r/<slug>"])
        notes.append("/baseline req/s measured just before each ratio's run: " + "; ".join(paired))
        run = measure(server, "/api/certificates?q=经济", report, f"/api/certificates?q={quote('经济')}", {})
        figures += figures_for("/api/certificates?q=经济", run, baseline, CONNECTIONS, None)
        heavy_seconds = 3 * seconds
        script = unique_script(directory, "heavy", "/?", certificates)
        heavy = measure(server, "fragment, new inputs", script, "/", hx, HEAVY_CONNECTIONS, heavy_seconds)
        figures += figures_for("fragment, new inputs", heavy, baseline, HEAVY_CONNECTIONS, None)
        if heavy.socket_errors or heavy.non2xx:
            notes.append(f"64-connection run: {heavy.socket_errors} socket errors, {heavy.non2xx} non-2xx.")
        log = server.log_tail()
    with Server(env | {"JIFEN_FRAGMENT_CACHE": "1"}, workers) as server:
        cached_baseline = measure(server, "/baseline (fragment cache on)", report, "/baseline", {})
        run = measure(server, "fragment, one repeated URL, cache on", report, f"/?{query}", hx)
        figures += figures_for("fragment, one repeated URL (cache on)", run, cached_baseline, CONNECTIONS, None)
    notes.append(
        f"gunicorn: {workers} sync workers, production settings; wrk: 2 threads; 'new inputs' rows: a random valid"
        f" profile on every request (tests/bench_http.py WRK_UNIQUE_SCRIPT); typical profile: /?{query}"
    )
    notes.append(
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs:"
        " server and wrk share them, so anything else running skews every figure (the ratios least)."
    )
    if log:
        notes.append(f"gunicorn log (tail):\n{log}")
    for note in notes:
        print(f"note: {note}")
    return figures
