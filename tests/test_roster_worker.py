"""The worker's real code path: an upload enqueues one task per chunk on the database queue, and
`manage.py db_worker` (run here in-process, in batch mode) scores them."""

import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from calculator.models import Roster, RosterRow
from tests.factories import roster_file, roster_rows


@pytest.fixture
def database_queue(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def keep_signals():
    """db_worker installs its own SIGINT/SIGTERM handlers; put pytest's back afterwards."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.mark.usefixtures("database_queue", "keep_signals")
def test_db_worker_scores_every_chunk(transactional_db, client, settings) -> None:
    call_command("load_reference", verbosity=0)
    rows = roster_rows(130, timezone.localdate(), seed=11)
    response = client.post("/api/roster", {"file": SimpleUploadedFile("r.xlsx", roster_file(rows))})
    assert response.status_code == 202 and response.json()["status"] == "queued"
    roster = Roster.objects.get()
    chunks = roster.chunks.count()
    assert chunks >= 2 and DBTaskResult.objects.ready().count() == chunks
    assert "正在测算名单" in client.get(roster.get_absolute_url()).content.decode()

    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)

    assert DBTaskResult.objects.successful().count() == chunks
    body = client.get(f"/api/roster/{roster.slug}").json()
    assert body["status"] == "done" and body["done"] == body["total"] == 130
    assert RosterRow.objects.filter(roster=roster).count() == 130
    assert [row["row"] for row in body["rows"]] == list(range(2, 132))
    assert not any(chunk.inputs for chunk in roster.chunks.all())  # the inputs now live in the rows only
    assert "名单测算结果" in client.get(roster.get_absolute_url()).content.decode()
