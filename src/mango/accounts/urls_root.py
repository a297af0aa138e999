"""The root URLconf: every page of mango.urls plus the account pages (landing, people,
password reset), under the language prefix like the other staff pages.

This module only composes the root: accounts depends on no page of mango.urls. It loads
mango.urls by name because mango.urls imports accounts' views (a plain import here would read
as an import cycle). To retire it, add the ``i18n_patterns`` line below to mango/urls.py and
set ROOT_URLCONF back to "mango.urls".
"""

from importlib import import_module

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

urlpatterns = [
    *import_module("mango.urls").urlpatterns,
    *i18n_patterns(path("accounts/", include("mango.accounts.urls"))),
]
