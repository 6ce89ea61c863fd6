"""`make bench`: every benchmark of the project, printed as one table.

In-process benchmarks live in tests/bench_<unit>.py as functions named bench_*; each returns a list of
Figure rows. They run against a throwaway SQLite database holding the reference data, deleted on exit.
A row that says "server time" sends its requests through `InProcess`, as gunicorn would.
"""

import atexit
import importlib
import io
import os
import pkgutil
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None
    headline: bool = False  # one of the targets the table opens with


def median_ms(func: Callable[[], object], runs: int = 200, warmup: int = 20) -> float:
    """Median wall time of one call, in milliseconds."""
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def timed(
    name: str, func: Callable[[], object], target_ms: float, runs: int = 200, *, headline: bool = False
) -> Figure:
    value = median_ms(func, runs=runs)
    return Figure(name, value, "ms (median)", f"< {target_ms:g} ms", value < target_ms, headline)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class InProcess:
    """GET requests handed to Django's WSGI handler the way gunicorn hands them (an environ in, the body
    read out, request_started and request_finished sent), so a timing is the server's own: Django's test
    client adds work no server does to each request (hooking the template and exception signals,
    annotating the response, its cookie jar), about a tenth of a millisecond."""

    def __init__(self, host: str = "localhost") -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()
        self.host = host

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Answer:
        """`path` may carry a query string, already %-encoded as a browser sends it."""
        path_info, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SERVER_NAME": self.host,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": self.host,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status: list[str] = []
        body = self.handler(environ, lambda line, response_headers, exc_info=None: status.append(line))
        try:
            content = b"".join(body)
        finally:
            body.close()  # request_finished, as a WSGI server calls it
        return Answer(int(status[0].split()[0]), content)


def setup_django() -> None:
    tmp = tempfile.mkdtemp(prefix="jifen-bench-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key")
    # A request's end closes the database connection unless it may persist, as the bench's gunicorn lets it.
    os.environ.setdefault("DJANGO_CONN_MAX_AGE", "60")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jifen_site.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    # Production settings serve static files through the manifest: a fresh clone has none until this runs.
    call_command("collectstatic", interactive=False, verbosity=0)
    # The in-process rows run in a process set up as a gunicorn worker is (its garbage collector settings).
    from jifen_site import gunicorn_conf

    gunicorn_conf.post_worker_init(None)


def in_process_figures() -> list[Figure]:
    import tests

    figures: list[Figure] = []
    for info in sorted(pkgutil.iter_modules(tests.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"tests.{info.name}")
        for attr in sorted(dir(module)):
            if attr.startswith("bench_"):
                figures.extend(getattr(module, attr)())
    return figures


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _print_rows(figures: list[Figure], width: int) -> None:
    for f in figures:
        mark = "" if f.ok is None else ("yes" if f.ok else "NO")
        print(f"{_pad(f.name, width)}  {f.value:>10.3f}  {f.unit:<14}  {f.target:<12}  {mark}")


def print_table(figures: list[Figure]) -> None:
    """The headline targets first (measured with new inputs on every request), one line saying which are met,
    then every other figure."""
    width = max((_width(f.name) for f in figures), default=10)
    header = f"{_pad('benchmark', width)}  {'value':>10}  {'unit':<14}  {'target':<12}  ok"
    headline = [f for f in figures if f.headline]
    if headline:
        print("== headline targets (new inputs on every request, fragment cache off)")
        print(header)
        _print_rows(headline, width)
        missed = [f.name for f in headline if f.ok is False]
        met = sum(1 for f in headline if f.ok)
        verdict = "all met" if not missed else "not met: " + "; ".join(missed)
        print(f"targets met: {met} of {sum(1 for f in headline if f.ok is not None)} ({verdict})")
        print()
        print("== every figure")
    print(header)
    _print_rows([f for f in figures if not f.headline], width)


def main() -> None:
    from tests.bench_http import http_figures

    setup_django()
    figures = in_process_figures()
    figures += http_figures()
    print_table(figures)


if __name__ == "__main__":
    main()
