from django.urls import path

from calculator.views import advice, api, roster, roster_api, rules, share, simulator

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
    path("roster/", roster.upload, name="roster_upload"),
    path("roster/template.xlsx", roster.template, name="roster_template"),
    path("roster/<str:slug>/", roster.detail, name="roster"),
    path("roster/<str:slug>/progress", roster.progress, name="roster_progress"),
    path("roster/<str:slug>/delete", roster.delete, name="roster_delete"),
    path("roster/<str:slug>/result.xlsx", roster.download, {"kind": "xlsx"}, name="roster_xlsx"),
    path("roster/<str:slug>/result.csv", roster.download, {"kind": "csv"}, name="roster_csv"),
    path("api/roster", roster_api.api_upload, name="api_roster"),
    path("api/roster/<str:slug>", roster_api.api_detail, name="api_roster_detail"),
]
