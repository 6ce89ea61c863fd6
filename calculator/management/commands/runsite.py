"""`make run`: the development server and the task workers in one command, started and stopped together.

Each child runs in its own process group, so that Ctrl-C (or SIGTERM to this process) reaches this
supervisor only; it then stops every child's whole group (runserver's autoreloader included), waits
for a worker to finish the chunk it holds, and exits. Workers do not reload on code changes: restart
`make run` after changing code they run. When any child exits, or the
process that started this one goes away, the others are stopped too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

GRACE_SECONDS = 20  # a worker finishes the chunk it is scoring (a few seconds) before it stops


class Command(BaseCommand):
    help = "Run runserver and N db_worker processes together; Ctrl-C or SIGTERM stops them all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2, help="db_worker processes (default: 2)")
        parser.add_argument("--interval", default="0.5", help="seconds a worker waits when the queue is empty")

    def handle(self, *args, addrport: str, workers: int, interval: str, **options) -> None:
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        commands = [[*manage, "runserver", addrport]]
        worker = [*manage, "db_worker", "--interval", interval, "--no-reload"]
        commands += [worker for _ in range(max(workers, 0))]
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, lambda *_: stop.set())
        parent = os.getppid()
        children = [subprocess.Popen(command, start_new_session=True) for command in commands]
        self.stdout.write(f"runsite: runserver {addrport} and {workers} worker(s); Ctrl-C stops them all")
        code = 0
        try:
            while not stop.is_set():
                ended = next((child for child in children if child.poll() is not None), None)
                if ended is not None:
                    code = ended.returncode or 0
                    self.stderr.write(f"runsite: {' '.join(ended.args[2:3])} exited ({ended.returncode}); stopping")
                    break
                if os.getppid() != parent:
                    break
                stop.wait(0.5)
        finally:
            _stop(children)
        if code:
            sys.exit(code)


def _stop(children: list[subprocess.Popen]) -> None:
    """SIGTERM to every child's group; SIGKILL to a group still there after the grace period."""
    for child in children:
        _signal_group(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    waiting = list(children)
    while waiting and time.monotonic() < deadline:
        for child in children:
            child.poll()  # reap the group leader, so that an empty group reads as gone
        waiting = [child for child in waiting if _signal_group(child.pid, 0)]
        time.sleep(0.1)
    for child in waiting:
        _signal_group(child.pid, signal.SIGKILL)
    for child in children:
        child.wait()


def _signal_group(pgid: int, signum: int) -> bool:
    """Send `signum` to a process group; False when the group no longer exists."""
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
