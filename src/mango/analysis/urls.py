from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:chart>.svg", views.chart, name="chart"),
]
