from django.urls import path

from calculator import views

app_name = "calculator"
urlpatterns = [
    path("", views.home, name="home"),
    path("rules/", views.rules, name="rules"),
]
