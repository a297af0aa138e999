"""The account pages: the landing page after sign-in, people, and password (re)setting."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views_people
from .forms import MangoPasswordResetForm

urlpatterns = [
    path("home/", views_people.landing, name="landing"),
    path("people/", views_people.people, name="people"),
    path("people/<int:pk>/", views_people.person, name="person"),
    path("units/", views_people.units, name="units"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=MangoPasswordResetForm,
            template_name="accounts/password_reset.html",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/set/<uidb64>/<token>/",
        views_people.SetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
]
