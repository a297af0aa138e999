"""Production settings: ``DJANGO_SETTINGS_MODULE=mango.settings_production``.

Everything in ``mango.settings``, hardened for a site served over https. Refuses to start
without a real secret key and explicit host names, and passes ``mango check --deploy``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from mango.settings import *  # noqa: F403
from mango.settings import env_bool, env_int, env_list

DEBUG = False

_MIN_SECRET_LENGTH = 50
SECRET_KEY = os.environ.get("MANGO_SECRET_KEY", "")
if len(SECRET_KEY) < _MIN_SECRET_LENGTH or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        f"MANGO_SECRET_KEY must be set to a random string of at least {_MIN_SECRET_LENGTH} "
        "characters in production"
        + (f" (it has {len(SECRET_KEY)})" if SECRET_KEY else " (it is not set)")
        + ". Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

if not os.environ.get("MANGO_ALLOWED_HOSTS", "").strip():
    raise ImproperlyConfigured(
        "MANGO_ALLOWED_HOSTS must name the host names Mango is served under in production, "
        "comma-separated (e.g. mango.example.org)."
    )
ALLOWED_HOSTS = env_list("MANGO_ALLOWED_HOSTS", "")

# https only: redirect plain http, tell browsers to remember that (HSTS), cookies never over
# http. Behind a reverse proxy that terminates TLS, set MANGO_TRUST_X_FORWARDED_PROTO so Django
# knows the original request was https (the proxy must set X-Forwarded-Proto itself).
SECURE_SSL_REDIRECT = True
if env_bool("MANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("MANGO_HSTS_SECONDS", 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload flag only matters once someone submits the domain to hstspreload.org.
SECURE_HSTS_PRELOAD = env_bool("MANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# The __Host- prefix makes browsers refuse the cookie unless it is Secure, for this host only
# and for the whole site: no subdomain or plain-http page can plant or overwrite it.
SESSION_COOKIE_NAME = "__Host-mango_session"

# An operator who turns HSTS preloading off has decided so; the check that asks for it would
# only repeat the question at every deploy.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
