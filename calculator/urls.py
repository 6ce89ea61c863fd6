from django.urls import path

from calculator import roster_views
from calculator.views import advice, api, rules, share, simulator

app_name = "calculator"
urlpatterns = [
    path("", simulator.simulator, name="simulator"),
    path("certificate", simulator.certificate_detail, name="certificate"),
    path("advice", advice.advice_fragment, name="advice"),
    path("api/score", api.api_score, name="api_score"),
    path("api/advice", advice.api_advice, name="api_advice"),
    path("calendar.ics", advice.calendar, name="calendar"),
    path("rules/", rules.rules, name="rules"),
    path("share", share.share, name="share"),
    path("r/<str:slug>", share.shared, name="shared"),
    path("roster/", roster_views.upload, name="roster_upload"),
    path("roster/template.xlsx", roster_views.template, name="roster_template"),
    path("roster/<str:slug>/", roster_views.detail, name="roster"),
    path("roster/<str:slug>/progress", roster_views.progress, name="roster_progress"),
    path("roster/<str:slug>/delete", roster_views.delete, name="roster_delete"),
    path("roster/<str:slug>/result.xlsx", roster_views.download, {"kind": "xlsx"}, name="roster_xlsx"),
    path("roster/<str:slug>/result.csv", roster_views.download, {"kind": "csv"}, name="roster_csv"),
    path("api/roster", roster_views.api_upload, name="api_roster"),
    path("api/roster/<str:slug>", roster_views.api_detail, name="api_roster_detail"),
]
