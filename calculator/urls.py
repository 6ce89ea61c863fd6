from django.urls import path

from calculator import views

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
]
