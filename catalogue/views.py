"""The public catalogue: does my certificate count, and for how much?"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from catalogue.forms import ApiSearchForm, SearchForm
from catalogue.models import Certificate, Trade, group_by_series
from jifen_site.http import JsonResponse

SUGGESTIONS = 8


def tier_points() -> dict[str, int] | None:
    """Points per tier from the policy edition in force; None until the policy tables exist."""
    from calculator.policy import tier_points as policy_tier_points

    return policy_tier_points()


@require_GET
@vary_on_headers("HX-Request")
def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    certificates = Certificate.objects.active().search(q)
    context = {
        "form": form,
        "q": q,
        "certificates": certificates,
        "groups": [] if q else group_by_series(certificates),
        "trades": Trade.objects.active().search(q),
        "points": tier_points(),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    return render(request, "catalogue/_results.html" if partial else "catalogue/index.html", context)


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Up to 8 entries for the simulator's certificate picker (an htmx fragment)."""
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    certificates = Certificate.objects.active().suggest(q, SUGGESTIONS)
    context = {"q": q, "certificates": certificates, "points": tier_points()}
    return render(request, "catalogue/_suggestions.html", context)


@require_GET
def api_certificates(request: HttpRequest) -> JsonResponse:
    """GET /api/certificates?q=…&limit=…: matching active entries, best first."""
    form = ApiSearchForm(request.GET)
    if not form.is_valid():
        errors = {field: list(messages) for field, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    certificates = Certificate.objects.active().search(form.cleaned_data["q"])[: form.cleaned_data["limit"]]
    points = tier_points()
    data = [certificate.as_json(points) for certificate in certificates]
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})
