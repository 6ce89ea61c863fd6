from django.urls import path

from calculator import roster_views, views

app_name = "calculator"
urlpatterns = [
    path("", views.simulator, name="simulator"),
    path("certificate", views.certificate_detail, name="certificate"),
    path("advice", views.advice_fragment, name="advice"),
    path("api/score", views.api_score, name="api_score"),
    path("api/advice", views.api_advice, name="api_advice"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("rules/", views.rules, name="rules"),
    path("share", views.share, name="share"),
    path("r/<str:slug>", views.shared, name="shared"),
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
