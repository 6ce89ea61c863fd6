from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from calculator.policy import rules_context


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "calculator/home.html")


@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """/rules/: the edition in force and the average wages, from the same Policy the engine reads."""
    return render(request, "calculator/rules.html", rules_context())
