from django.contrib import admin
from django.urls import include, path

from jifen_site import views

admin.site.site_header = "jifen 积分模拟 · 管理"
admin.site.site_title = "jifen 管理"
admin.site.index_title = "目录、积分规则与平均工资"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("baseline", views.baseline, name="baseline"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("", include("catalogue.urls")),
    path("", include("calculator.urls")),
]

handler400 = "jifen_site.views.bad_request"
