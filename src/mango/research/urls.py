from django.urls import path

from . import views_codebooks, views_coding, views_export, views_review, views_rounds

app_name = "research"

urlpatterns = [
    path("codebooks/", views_codebooks.codebook_list, name="codebooks"),
    path("codebooks/<slug:slug>/", views_codebooks.codebook_detail, name="codebook"),
    path("codebooks/<slug:slug>/edit/", views_codebooks.codebook_edit, name="codebook_edit"),
    path("rounds/", views_rounds.round_list, name="rounds"),
    path("rounds/new/", views_rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", views_rounds.round_detail, name="round"),
    path("rounds/<int:pk>/close/", views_rounds.round_close, name="round_close"),
    path("rounds/<int:pk>/code/", views_coding.start, name="code_start"),
    path("rounds/<int:pk>/code/<int:n>/", views_coding.code_story, name="code"),
    path("rounds/<int:pk>/code/<int:n>/toggle/", views_coding.toggle, name="code_toggle"),
    path("rounds/<int:pk>/code/<int:n>/done/", views_coding.done, name="code_done"),
    path("rounds/<int:pk>/code/<int:n>/original/", views_coding.original, name="code_original"),
    path("rounds/<int:pk>/agreement/", views_review.agreement, name="agreement"),
    path("rounds/<int:pk>/adjudication/", views_review.adjudication, name="adjudication"),
    path(
        "rounds/<int:pk>/adjudication/<int:story_id>/",
        views_review.adjudicate,
        name="adjudicate",
    ),
    path("rounds/<int:pk>/export/<str:filename>", views_export.export, name="export"),
]
