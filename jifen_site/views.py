"""Site-wide views that belong to no app: the health check, the benchmark floor, the icon, and the
error pages in the site's own voice (JSON on /api/)."""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from jifen_site.http import JsonResponse


def healthz(request: HttpRequest) -> HttpResponse:
    """200 once the database answers a trivial query; 503 with the reason when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return HttpResponse(f"database unavailable: {type(exc).__name__}", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def baseline(request: HttpRequest) -> HttpResponse:
    """Constant text, no database: the framework's floor for `make bench`."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on their own: the hashed static file."""
    response = redirect(static("favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 (handler400): too many parameters and other refused requests. The page never reads the
    query string again (that is what failed)."""
    if isinstance(exception, TooManyFieldsSent):
        message = f"参数过多：一次最多 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 个参数，请减少输入项后重试。"
    else:
        message = "请求无效：请检查网址或输入后重试。"
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"query": [message]}}, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "400.html", {"message": message}, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 when a form's CSRF check fails (CSRF_FAILURE_VIEW): usually a page left open too long."""
    return render(request, "403_csrf.html", status=403)
