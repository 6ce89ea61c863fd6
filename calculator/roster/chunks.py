"""The work of one chunk, run by a worker: its rows scored and stored in one write at its end; and a
chunk whose worker was lost sent back to the queue when the roster's progress is read (failed instead
once it has taken `JIFEN_ROSTER_MAX_ATTEMPTS` workers with it)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from calculator import cache
from calculator.models import Progress, Roster, RosterChunk, RosterRow, RosterStatus
from calculator.roster.cells import row_input
from calculator.roster.columns import header_of
from calculator.roster.scoring import RowOutcome, certificates_named, score_row

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 100  # rows between progress writes inside a chunk
ROW_FAILED = "这一行无法计算（程序出错，已记录）：请检查这一行的输入，或在模拟器中打开它。"


def score_chunk(chunk_id: int) -> int:
    """Score the rows of one chunk and store them; returns the rows written. A chunk already taken or
    deleted (the roster's 删除) is skipped."""
    claimed = RosterChunk.objects.filter(pk=chunk_id, status=RosterStatus.QUEUED).update(
        status=RosterStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return 0
    chunk = RosterChunk.objects.select_related("roster").get(pk=chunk_id)
    try:
        rows = _score_rows(chunk)
        with transaction.atomic():
            if not RosterChunk.objects.filter(pk=chunk_id).update(
                status=RosterStatus.DONE, done=len(rows), finished_at=timezone.now(), inputs=[]
            ):
                return 0  # deleted meanwhile
            RosterRow.objects.filter(chunk_id=chunk_id).delete()
            RosterRow.objects.bulk_create(rows, batch_size=500)
    except Exception:
        RosterChunk.objects.filter(pk=chunk_id).update(status=RosterStatus.FAILED, finished_at=timezone.now())
        raise
    return len(rows)


def resume_stalled(roster: Roster) -> int:
    """Put back in the queue the chunks a worker took but never finished (it was killed, or its machine
    restarted), so that the roster completes; returns how many were resumed or failed. A chunk's rows
    are written in one transaction at its end, so scoring it again from the start is safe. A chunk that
    has already taken `JIFEN_ROSTER_MAX_ATTEMPTS` workers is what kills them (its memory, a crash):
    queued again it would stall again forever, so it is failed and the roster finishes without its rows,
    which the result page lists as not scored."""
    from calculator.tasks import score_chunk

    cutoff = timezone.now() - timedelta(seconds=settings.JIFEN_ROSTER_STALL_SECONDS)
    stalled = roster.chunks.filter(status=RosterStatus.RUNNING, started_at__lt=cutoff)
    changed = 0
    for pk, started, attempts in stalled.values_list("pk", "started_at", "attempts"):
        # Only if still that run: another request may have resumed it, or the worker finished meanwhile.
        run = RosterChunk.objects.filter(pk=pk, status=RosterStatus.RUNNING, started_at=started)
        if attempts >= settings.JIFEN_ROSTER_MAX_ATTEMPTS:
            if run.update(status=RosterStatus.FAILED, finished_at=timezone.now()):
                logger.warning(
                    "roster %s: chunk %s stalled since %s after %s attempts; failed", roster.pk, pk, started, attempts
                )
                changed += 1
        elif run.update(status=RosterStatus.QUEUED, started_at=None, done=0):
            logger.warning("roster %s: chunk %s stalled since %s; queued again", roster.pk, pk, started)
            score_chunk.enqueue(pk)
            changed += 1
    return changed


def current_progress(roster: Roster) -> Progress:
    """The roster's progress, after sending chunks whose worker was lost back to the queue (or failing
    them, past the attempts allowed)."""
    progress = roster.progress()
    if not progress.finished and resume_stalled(roster):
        progress = roster.progress()
    return progress


def _score_rows(chunk: RosterChunk) -> list[RosterRow]:
    roster = chunk.roster
    out = []
    with cache.snapshot():  # one data stamp for the whole chunk
        for count, (line, cells) in enumerate(chunk.inputs, start=1):
            row = row_input(cells, roster.as_of, certificates_named)
            try:
                outcome = score_row(row)
            except Exception:
                logger.exception("roster row failed: roster %s line %s", roster.pk, line)
                outcome = RowOutcome(query="", errors=(("ref", ROW_FAILED),))
            out.append(_row(roster, chunk, line, row.ref, cells, outcome))
            if count % PROGRESS_EVERY == 0 and count < len(chunk.inputs):
                RosterChunk.objects.filter(pk=chunk.pk).update(done=count)
    return out


def _row(roster: Roster, chunk: RosterChunk, line: int, ref: str, cells: dict, outcome: RowOutcome) -> RosterRow:
    headers = dict(roster.columns)
    return RosterRow(
        roster=roster,
        chunk=chunk,
        line=line,
        ref=ref,
        cells=cells,
        query=outcome.query,
        errors=[[header_of(name, headers), message] for name, message in outcome.errors],
        status=outcome.status,
        total=outcome.total,
        margin=outcome.margin,
        eligible=outcome.eligible,
        passed=outcome.passed,
        earliest=outcome.earliest,
        best_action=outcome.best_action[:200],
        best_month=outcome.best_month,
    )
