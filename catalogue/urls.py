from django.urls import path

from catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("catalogue/", views.index, name="index"),
    path("catalogue/suggest", views.suggest, name="suggest"),
    path("api/certificates", views.api_certificates, name="api_certificates"),
]
