"""Deleting: a roster's rows and results go at its 删除, and every roster goes once its time is past."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from calculator.models import Roster


def delete(roster: Roster) -> None:
    """删除: the rows and results go at once; the empty record stays until it expires, so that the
    hourly upload limit still counts it."""
    with transaction.atomic():
        roster.chunks.all().delete()
        Roster.objects.filter(pk=roster.pk).update(deleted_at=timezone.now(), columns=[], notices=[])


def purge() -> int:
    """Delete every roster past its time, with its rows, and the queue's records of its finished
    tasks (run from cron); returns how many rosters."""
    from django_tasks_db.models import DBTaskResult

    from calculator.tasks import score_chunk

    cutoff = timezone.now() - timedelta(hours=settings.JIFEN_ROSTER_HOURS)
    DBTaskResult.objects.finished().filter(task_path=score_chunk.module_path, finished_at__lt=cutoff).delete()
    _, by_model = Roster.objects.expired().delete()
    return by_model.get(Roster._meta.label, 0)
