"""Reading a roster back: found by its slug, summarised, charted, its rows sorted, filtered and paged for
the result page, and all of it as the JSON of /api/roster/<id>."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from calculator import policy as policy_data
from calculator import projection
from calculator.models import Roster, RosterRow, RosterStatus, RowStatus
from calculator.roster import quarters
from calculator.roster.chunks import current_progress
from calculator.scoring import month_label

PAGE_ROWS = 50
API_ROWS = 1000  # rows per answer of /api/roster/<id>; `next` names the following ones
ERRORS_SHOWN = 200
UNSCORED_ROW = "这一行没能计算（程序出错或计算多次中断，已记录）：请把这一行另存到新文件中重新上传。"


def find(slug: str) -> Roster | None:
    return Roster.objects.filter(slug=slug[:32]).first()


@dataclass(frozen=True, slots=True)
class Summary:
    rows: int
    now: int
    soon: int
    later: int
    never: int
    errors: int
    threshold: int
    unscored: tuple[int, ...] = ()  # the lines no worker could score

    @property
    def unscored_lines(self) -> str:
        return line_ranges(self.unscored)


def summary(roster: Roster) -> Summary:
    counts = roster.rows.counts()
    return Summary(
        rows=roster.total,
        now=counts.get(RowStatus.NOW, 0),
        soon=counts.get(RowStatus.SOON, 0),
        later=counts.get(RowStatus.LATER, 0),
        never=counts.get(RowStatus.NEVER, 0),
        errors=counts.get(RowStatus.ERROR, 0),
        threshold=threshold(roster.as_of),
        unscored=tuple(line for line, _ in unscored(roster)),
    )


def unscored(roster: Roster) -> list[tuple[int, dict]]:
    """(line, cells) of the rows no worker could score, in file order: their chunk failed (the program
    failed on it, or it took `JIFEN_ROSTER_MAX_ATTEMPTS` workers down), so they have no result row and
    are in no count, table or chart; the page, the download and the JSON say which they are."""
    failed = roster.chunks.filter(status=RosterStatus.FAILED).order_by("number").values_list("inputs", flat=True)
    return [(line, cells) for inputs in failed for line, cells in inputs]


def line_ranges(lines: Sequence[int]) -> str:
    """'2–4、9、12–15' for line numbers in order."""
    runs: list[list[int]] = []
    for line in lines:
        if runs and line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    return "、".join(str(first) if first == last else f"{first}–{last}" for first, last in runs)


def threshold(as_of: date) -> int | None:
    """The standard score of the edition in force on the roster's date (else today's; rows may use their
    own date), None before staff have entered any edition."""
    for day in (as_of, timezone.localdate()):
        try:
            return policy_data.get_policy(day).threshold
        except policy_data.NoPolicy:
            continue
    return None


def chart(roster: Roster) -> quarters.Chart:
    """Employees reaching the threshold per coming quarter, as things are."""
    start = roster.as_of.year * 12 + roster.as_of.month - 1
    return quarters.quarters(roster.rows.reaching_by_month(), start, projection.HORIZON)


SORTS = {
    "row": ("line",),
    "-row": ("-line",),
    "total": (F("total").asc(nulls_last=True), "line"),
    "-total": (F("total").desc(nulls_last=True), "line"),
    "margin": (F("margin").asc(nulls_last=True), "line"),
    "-margin": (F("margin").desc(nulls_last=True), "line"),
    "earliest": (F("passed").desc(), F("earliest").asc(nulls_last=True), "line"),
    "-earliest": (F("earliest").desc(nulls_last=True), "line"),
}


@dataclass(frozen=True, slots=True)
class RowView:
    line: int
    ref: str
    total: int | None
    margin: int | None
    status: str
    status_label: str
    eligible: bool | None
    earliest: str
    best_action: str
    best_month: str
    url: str
    errors: tuple[tuple[str, str], ...]


def row_view(row: RosterRow) -> RowView:
    return RowView(
        line=row.line,
        ref=row.ref,
        total=row.total,
        margin=row.margin,
        status=row.status,
        status_label="不符合申请条件" if row.eligible is False else RowStatus(row.status).label,
        eligible=row.eligible,
        earliest=month_label(row.earliest) if row.earliest is not None else "",
        best_action=row.best_action,
        best_month=month_label(row.best_month) if row.best_month is not None else "",
        url=simulator_url(row.query),
        errors=tuple((header, message) for header, message in row.errors),
    )


@dataclass(frozen=True, slots=True)
class SortLink:
    query: str  # the query string that sorts by this column (the other way when it is the current one)
    direction: str  # aria-sort of the column header: ascending, descending or ""


def sort_links(sort: str, status: str) -> dict[str, SortLink]:
    links = {}
    for key in ("row", "total", "margin", "earliest"):
        direction = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        following = f"-{key}" if direction == "ascending" else key
        links[key] = SortLink(list_query(following, status), direction)
    return links


def list_query(sort: str, status: str) -> str:
    """The query string of the table's view (for its sort links, filter and pages)."""
    return urlencode({"sort": sort, **({"status": status} if status in RowStatus.values else {})})


def simulator_url(query: str) -> str:
    return reverse("calculator:simulator") + ("?" + query if query else "")


def rows(roster: Roster, sort: str, status: str) -> QuerySet[RosterRow]:
    return roster.rows.with_status(status).order_by(*SORTS.get(sort, SORTS["row"]))


def page(roster: Roster, sort: str, status: str, number: str | int) -> tuple[Page, list[RowView]]:
    found = Paginator(rows(roster, sort, status), PAGE_ROWS).get_page(number)
    return found, [row_view(row) for row in found.object_list]


def errors(roster: Roster) -> tuple[list[tuple[int, str, str]], int]:
    """(line, column, message) of the first rows with errors, and how many rows have errors."""
    listed = []
    for line, messages in roster.rows.with_errors().order_by("line").values_list("line", "errors")[:ERRORS_SHOWN]:
        listed.extend((line, header, message) for header, message in messages)
    return listed, roster.rows.with_errors().count()


def as_json(roster: Roster, base_url: str, after: int = 0) -> dict:
    """The JSON shape of /api/roster/<id>: the rows scored so far after file line `after`, in file order, at
    most API_ROWS of them, with `next` (the address of the rows after these, or null), and the lines of the
    rows that could not be scored. A roster of 20,000 rows is then read in pages a client can hold, and no
    request builds it whole."""
    progress = current_progress(roster)
    page = list(roster.rows.filter(line__gt=after).order_by("line")[: API_ROWS + 1])
    more = len(page) > API_ROWS
    page = page[:API_ROWS]
    path = reverse("calculator:api_roster_detail", args=[roster.slug])
    following = f"{base_url}{path}?after={page[-1].line}" if more else None
    found = summary(roster)
    return {
        "id": roster.slug,
        "status": progress.status,
        "done": progress.done,
        "total": progress.total,
        "as_of": roster.as_of.isoformat(),
        "summary": {
            "rows": found.rows,
            "now": found.now,
            "within_12_months": found.soon,
            "within_10_years": found.later,
            "not_within_10_years": found.never,
            "errors": found.errors,
        },
        "notices": roster.notices,
        "rows": [_row_json(row, base_url) for row in page],
        "next": following,
        "unscored": list(found.unscored),
    }


def _row_json(row: RosterRow, base_url: str) -> dict:
    view = row_view(row)
    best = {"title": row.best_action, "month": view.best_month} if row.best_action else None
    errors: dict[str, list[str]] = {}
    for header, message in view.errors:
        errors.setdefault(header, []).append(message)
    body = {"row": row.line, "ref": row.ref, "url": base_url + view.url}
    if errors:
        return body | {"status": row.status, "errors": errors}
    return body | {
        "status": row.status,
        "total": row.total,
        "margin": row.margin,
        "eligible": row.eligible,
        "passed": row.passed,
        "earliest": view.earliest or None,
        "best_action": best,
        "errors": {},
    }
