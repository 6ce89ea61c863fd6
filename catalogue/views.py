"""The public catalogue: does my certificate count, and for how much?"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from calculator import labels
from calculator import policy as policies
from calculator.scoring import Policy
from catalogue import search
from catalogue.forms import ApiSearchForm, SearchForm
from catalogue.models import group_by_series
from jifen_site.http import JsonResponse

SUGGESTIONS = 8


@dataclass(frozen=True, slots=True)
class TierRow:
    code: str
    label: str
    points: int | None
    base_test: bool


@dataclass(frozen=True, slots=True)
class Rules:
    """What the catalogue pages show of the edition in force: points per tier and the SI base test."""

    policy: Policy | None

    @property
    def points(self) -> dict[str, int] | None:
        return dict(self.policy.tier_points) if self.policy else None

    @property
    def base_test_tiers(self) -> frozenset[str]:
        return self.policy.base_test_tiers if self.policy else frozenset()

    @property
    def base_test_labels(self) -> str:
        return "、".join(label for code, label in labels.TIER.items() if code in self.base_test_tiers)

    @property
    def best(self) -> int | None:
        return max(self.policy.tier_points.values(), default=0) if self.policy else None

    @property
    def tiers(self) -> list[TierRow]:
        """Every tier, highest first."""
        points = self.points or {}
        rows = [
            TierRow(code, label, points.get(code), code in self.base_test_tiers) for code, label in labels.TIER.items()
        ]
        return rows[::-1]


def _rules() -> Rules:
    return Rules(policies.in_force(policies.today()))


@require_GET
@vary_on_headers("HX-Request")
def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    certificates = search.find_certificates(q)
    rules = _rules()
    context = {
        "form": form,
        "q": q,
        "certificates": certificates,
        "groups": [] if q else group_by_series(certificates),
        "trades": search.find_trades(q),
        "rules": rules,
        "points": rules.points,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    return render(request, "catalogue/_results.html" if partial else "catalogue/index.html", context)


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Up to 8 entries for the simulator's certificate picker (an htmx fragment)."""
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    rules = _rules()
    certificates = search.suggest(q, SUGGESTIONS)
    context = {"q": q, "certificates": certificates, "rules": rules, "points": rules.points}
    return render(request, "catalogue/_suggestions.jinja", context, using="jinja2")


@require_GET
def api_certificates(request: HttpRequest) -> JsonResponse:
    """GET /api/certificates?q=…&limit=…: matching active entries, best first."""
    form = ApiSearchForm(request.GET)
    if not form.is_valid():
        errors = {field: list(messages) for field, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    certificates = search.find_certificates(form.cleaned_data["q"])[: form.cleaned_data["limit"]]
    points = _rules().points
    data = [certificate.as_json(points) for certificate in certificates]
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})
