"""Public QR codes and posters, at /posters/ (outside the language prefix: the file names the
language)."""

from django.urls import path

from . import views

app_name = "posters"

urlpatterns = [
    path("campaign/<slug:slug>/qr.png", views.campaign_qr_png, name="campaign_qr_png"),
    path("campaign/<slug:slug>/qr.svg", views.campaign_qr_svg, name="campaign_qr_svg"),
    path(
        "campaign/<slug:slug>/poster-<str:language>.pdf",
        views.campaign_poster,
        name="campaign_poster",
    ),
    path("unit/<slug:code>/qr.png", views.unit_qr_png, name="unit_qr_png"),
    path("unit/<slug:code>/qr.svg", views.unit_qr_svg, name="unit_qr_svg"),
    path("unit/<slug:code>/poster-<str:language>.pdf", views.unit_poster, name="unit_poster"),
]
