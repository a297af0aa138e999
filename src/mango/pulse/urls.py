from django.urls import path

from . import views, views_staff

app_name = "pulse"
urlpatterns = [
    # Public, no sign-in: a team's signed link (and QR) to the pulse form.
    path("a/<str:token>/", views.answer, name="answer"),
    path("a/<str:token>/thanks/", views.answered, name="answered"),
    # Staff pages.
    path("", views_staff.index, name="index"),
    path("organisations/<int:org_id>/new/", views_staff.pulse_new, name="pulse_new"),
    path("checks/<int:pk>/", views_staff.pulse_detail, name="pulse"),
    path("checks/<int:pk>/stop/", views_staff.pulse_stop, name="pulse_stop"),
    path("checks/<int:pk>/qr/<int:unit_id>.svg", views_staff.team_qr, name="team_qr"),
    path("teams/<int:unit_id>/", views_staff.team, name="team"),
    path("teams/<int:unit_id>/actions/", views_staff.action_new, name="action_new"),
    path("teams/<int:unit_id>/actions/<int:pk>/", views_staff.action_stage, name="action_stage"),
    path("organisations/<int:org_id>/", views_staff.organisation, name="organisation"),
    path(
        "organisations/<int:org_id>/settings/",
        views_staff.organisation_settings,
        name="organisation_settings",
    ),
    path("organisations/<int:org_id>/instruments/", views_staff.instruments, name="instruments"),
    path("network/", views_staff.network_page, name="network"),
    path("network/charts/", views_staff.network_charts, name="network_charts"),
    path("csv/<str:kind>/<int:obj_id>/<str:key>.csv", views_staff.chart_csv, name="csv"),
    path("modules/", views_staff.modules, name="modules"),
    path("modules/new/", views_staff.module_edit, name="module_new"),
    path("modules/<slug:slug>/", views_staff.module_edit, name="module_edit"),
    path("module-files/<int:pk>/", views_staff.module_file, name="module_file"),
    path("sessions/", views_staff.sessions, name="sessions"),
    path("sessions/new/", views_staff.session_edit, name="session_new"),
    path("sessions/<int:pk>/", views_staff.session_edit, name="session"),
]
