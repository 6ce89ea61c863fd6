"""Roster mode: an employer's roster accepted, split into chunks for the workers, scored, summarised,
shown, downloaded and deleted.

The upload request only reads the file (nothing of it is kept but the recognised cells), stores the
rows in chunks and enqueues one task per chunk (`calculator.tasks.score_chunk`); workers score the
chunks in parallel, each in two short write transactions. The roster's status and progress come from
its chunks. Rows and results live `JIFEN_ROSTER_HOURS` hours, or until 删除.

The parts: `upload` (accepting a file), `chunks` (the work of one chunk), `results` (reading a roster
back), `downloads`, `blank` (the template), `deleting`; below them `sheets` (reading the file),
`columns` and `cells` (the vocabulary of a roster), `scoring` (one row) and `quarters` (the chart).
This package's names are what the pages, the API, the worker and cron call.
"""

from calculator.roster.blank import template
from calculator.roster.chunks import current_progress, score_chunk
from calculator.roster.deleting import delete, purge
from calculator.roster.downloads import download_table
from calculator.roster.results import (
    ERRORS_SHOWN,
    SORTS,
    as_json,
    chart,
    errors,
    find,
    list_query,
    page,
    sort_links,
    summary,
    threshold,
)
from calculator.roster.upload import RosterRefused, UploadForm, accept

__all__ = [
    "ERRORS_SHOWN",
    "SORTS",
    "RosterRefused",
    "UploadForm",
    "accept",
    "as_json",
    "chart",
    "current_progress",
    "delete",
    "download_table",
    "errors",
    "find",
    "list_query",
    "page",
    "purge",
    "score_chunk",
    "sort_links",
    "summary",
    "template",
    "threshold",
]
