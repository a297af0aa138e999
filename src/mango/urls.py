from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from mango.accounts import views as account_views
from mango.api.urls import urlpatterns as api_urls
from mango.stories import views_public, views_teller

urlpatterns = [
    # Short links printed on posters: language-neutral, they forward to the form.
    path("c/<slug:slug>", views_public.campaign_link, name="campaign_link"),
    path("u/<slug:code>", views_public.unit_link, name="unit_link"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("posters/", include("mango.posters.urls")),
    *api_urls,
]

urlpatterns += i18n_patterns(
    path("", views_public.home, name="home"),
    path("tell/", views_public.tell, name="tell"),
    path("tell/units/", views_public.units_for_organisation, name="tell_units"),
    path("tell/thanks/", views_public.thanks, name="thanks"),
    path("my-story/", views_teller.my_story, name="my_story"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", account_views.two_factor, name="two_factor"),
    path("accounts/two-factor/code/", account_views.two_factor_verify, name="two_factor_verify"),
    path("staff/", include("mango.stories.urls_staff")),
    path("staff/campaigns/", include("mango.posters.urls_staff")),
    path("staff/dashboard/", include("mango.analysis.urls")),
    path("staff/transcripts/", include("mango.qualitative.urls")),
    path("staff/research/", include("mango.research.urls")),
    path("staff/classify/", include("mango.classify.urls")),
)
