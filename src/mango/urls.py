"""The root URLconf: it wires every app's pages, so no app needs to import another's views."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from mango.accounts import views as account_views
from mango.accounts import views_audit
from mango.api.urls import urlpatterns as api_urls
from mango.lifecycle import (
    views_coding,
    views_import,
    views_moderation,
    views_settle,
    views_tell,
    views_teller,
)
from mango.research import views_codebooks, views_export, views_rounds
from mango.stories import views_staff

staff_urls = [
    path("", views_staff.story_list, name="stories"),
    path("stories/<int:pk>/", views_staff.story_detail, name="story"),
    path("import/", views_import.import_stories, name="import"),
    path("moderation/", views_moderation.queue, name="moderation"),
    path("moderation/<int:pk>/", views_moderation.moderate, name="moderate"),
    path("shared/", views_moderation.shared_list, name="shared"),
    path("audit/", views_audit.trail, name="audit"),
]

research_urls = [
    path("codebooks/", views_codebooks.codebook_list, name="codebooks"),
    path("codebooks/<slug:slug>/", views_codebooks.codebook_detail, name="codebook"),
    path("codebooks/<slug:slug>/edit/", views_codebooks.codebook_edit, name="codebook_edit"),
    path("rounds/", views_rounds.round_list, name="rounds"),
    path("rounds/new/", views_rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", views_rounds.round_detail, name="round"),
    path("rounds/<int:pk>/close/", views_settle.round_close, name="round_close"),
    path("rounds/<int:pk>/code/", views_coding.start, name="code_start"),
    path("rounds/<int:pk>/code/<int:n>/", views_coding.code_story, name="code"),
    path("rounds/<int:pk>/code/<int:n>/toggle/", views_coding.toggle, name="code_toggle"),
    path("rounds/<int:pk>/code/<int:n>/done/", views_coding.done, name="code_done"),
    path("rounds/<int:pk>/code/<int:n>/original/", views_coding.original, name="code_original"),
    path("rounds/<int:pk>/agreement/", views_settle.agreement, name="agreement"),
    path("rounds/<int:pk>/adjudication/", views_settle.adjudication, name="adjudication"),
    path(
        "rounds/<int:pk>/adjudication/<int:story_id>/",
        views_settle.adjudicate,
        name="adjudicate",
    ),
    path("rounds/<int:pk>/export/<str:filename>", views_export.export, name="export"),
]

urlpatterns = [
    # Short links printed on posters: language-neutral, they forward to the form.
    path("c/<slug:slug>", views_tell.campaign_link, name="campaign_link"),
    path("u/<slug:code>", views_tell.unit_link, name="unit_link"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("posters/", include("mango.posters.urls")),
    *api_urls,
]

urlpatterns += i18n_patterns(
    path("", views_tell.home, name="home"),
    path("tell/", views_tell.tell, name="tell"),
    path("tell/units/", views_tell.units_for_organisation, name="tell_units"),
    path("tell/thanks/", views_tell.thanks, name="thanks"),
    path("tell/thanks/mail/", views_tell.receipt_mail, name="receipt_mail"),
    path("my-story/", views_teller.my_story, name="my_story"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", account_views.two_factor, name="two_factor"),
    path("accounts/two-factor/code/", account_views.two_factor_verify, name="two_factor_verify"),
    # The landing page after sign-in, people and units, password (re)setting.
    path("accounts/", include("mango.accounts.urls")),
    path("staff/", include((staff_urls, "staff"))),
    path("staff/campaigns/", include("mango.posters.urls_staff")),
    path("staff/dashboard/", include("mango.analysis.urls")),
    path("staff/transcripts/", include("mango.qualitative.urls")),
    path("staff/research/", include((research_urls, "research"))),
    path("staff/classify/", include("mango.classify.urls")),
    # Building the culture (teams, recognition), measuring it (pulse), and consensus studies.
    # Each app's urls.py holds its staff pages and its public, signed-link pages.
    path("culture/", include("mango.culture.urls")),
    path("recognition/", include("mango.recognition.urls")),
    path("pulse/", include("mango.pulse.urls")),
    path("consensus/", include("mango.consensus.urls")),
)
