"""Background work, run by `manage.py db_worker` (django-tasks with the database backend)."""

from django_tasks import task

from calculator import roster


@task()
def score_chunk(chunk_id: int) -> int:
    """Score one chunk of a roster (a few hundred rows) and store its rows."""
    return roster.score_chunk(chunk_id)
