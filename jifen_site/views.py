"""Site-wide views that belong to no app: the health check and the benchmark floor."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse


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
