from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:chart>.svg", views.chart, name="chart"),
    path("report/", views.report, name="report"),
    path("report/<slug:token>/", views.report_status, name="report_status"),
    path("report/<slug:token>/file", views.report_file, name="report_file"),
]
