"""Roster mode's pages and downloads: upload, progress, result, 删除."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from calculator import policy as policies
from calculator import roster, sharing
from calculator.models import Roster, RowStatus
from calculator.models.roster import HORIZON_YEARS, SOON_MONTHS
from calculator.roster import columns, sheets
from jifen_site import spreadsheets


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A roster's responses are never cached nor indexed."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _limits() -> dict:
    return {
        "threshold": roster.threshold(timezone.localdate()),
        "columns": columns.stating(policies.in_force(timezone.localdate())),
        "max_rows": settings.JIFEN_ROSTER_MAX_ROWS,
        "max_mb": settings.JIFEN_ROSTER_MAX_BYTES // (1024 * 1024),
        "hours": settings.JIFEN_ROSTER_HOURS,
        "rate": settings.JIFEN_ROSTER_RATE,
    }


@require_http_methods(["GET", "POST"])
@private
def upload(request: HttpRequest) -> HttpResponse:
    """/roster/: the upload form; POST stores the roster and redirects to its page."""
    form = roster.UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        accepted = accept(request, form)
        if isinstance(accepted, Roster):
            return redirect(accepted.get_absolute_url(), permanent=False)
        status = accepted
    return render(request, "calculator/roster_upload.html", {"form": form, **_limits()}, status=status)


def accept(request: HttpRequest, form: roster.UploadForm) -> Roster | int:
    """The stored roster, or the status of a refusal whose message is now on the form."""
    if not form.is_valid():
        return 400
    try:
        return roster.accept(form.cleaned_data["file"], form.cleaned_data["as_of"], sharing.client_key(request))
    except roster.RosterRefused as refused:
        form.add_error(refused.field, refused.message)
        return refused.status


@require_GET
def template(request: HttpRequest) -> HttpResponse:
    """/roster/template.xlsx: the template to fill in, with the notes sheet."""
    response = HttpResponse(roster.template(), content_type=sheets.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


def live(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view of one roster, called with the roster itself; a slug that names none, or a roster deleted
    (by its officer or at its hours' end), gets the page that says so (404 or 410) instead."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        found = roster.find(slug)
        if found is None or found.gone:
            return _gone(request, found)
        return view(request, found, *args, **kwargs)

    return wrapped


def _gone(request: HttpRequest, found: Roster | None) -> HttpResponse:
    again = {"again": "calculator:roster_upload", "again_label": "上传新的名单"}
    if found is None:
        context = {"heading": "找不到这份名单", "message": "链接可能抄错了，或名单已被删除。", **again}
        return render(request, "calculator/gone.html", context, status=404)
    message = "这份名单已按你的要求删除。" if found.deleted_at else "这份名单的保存时间已到，数据已删除。"
    return render(request, "calculator/gone.html", {"heading": "名单已删除", "message": message, **again}, status=410)


@require_GET
@private
@live
def detail(request: HttpRequest, found: Roster) -> HttpResponse:
    """/roster/<slug>/: the progress while the workers score it, then the result."""
    progress = roster.current_progress(found)
    if not progress.finished:
        return render(request, "calculator/roster_progress.html", _progress_context(found, progress))
    return render(request, "calculator/roster_result.html", _result_context(request, found, progress))


def _progress_context(found: Roster, progress) -> dict:
    return {"roster": found, "progress": progress, "seconds_left": progress.seconds_left(timezone.now())}


def _result_context(request: HttpRequest, found: Roster, progress) -> dict:
    sort, status = request.GET.get("sort", "row"), request.GET.get("status", "")
    current, rows = roster.page(found, sort, status, request.GET.get("page", 1))
    errors, error_rows = roster.errors(found)
    return {
        "roster": found,
        "progress": progress,
        "summary": roster.summary(found),
        "chart": roster.chart(found),
        "page": current,
        "rows": rows,
        "sort": sort if sort in roster.SORTS else "row",
        "status": status,
        "sort_links": roster.sort_links(sort, status),
        "list_query": roster.list_query(sort if sort in roster.SORTS else "row", status),
        "statuses": RowStatus.choices,
        "errors": errors,
        "error_rows": error_rows,
        "errors_cut": error_rows > roster.ERRORS_SHOWN,
        "errors_shown": roster.ERRORS_SHOWN,
        "soon_months": SOON_MONTHS,
        "horizon_years": HORIZON_YEARS,
    }


@require_GET
@private
@live
def progress(request: HttpRequest, found: Roster) -> HttpResponse:
    """The progress fragment htmx polls; once finished it asks for the whole page again."""
    current = roster.current_progress(found)
    response = render(request, "calculator/_roster_progress.html", _progress_context(found, current))
    if current.finished:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@private
@live
def delete(request: HttpRequest, found: Roster) -> HttpResponse:
    roster.delete(found)
    return redirect(found.get_absolute_url(), permanent=False)


@require_GET
@private
@live
def download(request: HttpRequest, found: Roster, kind: str) -> HttpResponse:
    """/roster/<slug>/result.xlsx and result.csv: the input columns plus the results."""
    headers, rows = roster.download_table(found, request.build_absolute_uri("/")[:-1])
    if kind == "csv":
        response = HttpResponse(spreadsheets.csv_bytes(headers, rows), content_type=sheets.CSV_TYPE)
    else:
        response = HttpResponse(spreadsheets.xlsx_bytes(headers, rows, title="结果"), content_type=sheets.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="roster-{found.created_at:%Y%m%d-%H%M}.{kind}"'
    return response
