"""Personal API tokens: ``Authorization: Bearer mango_...``.

Only a token's hash is stored (``ApiToken.key_hash``), so a lookup hashes what the client
sent. A missing header and a bad token both answer 401, with messages that say which.
"""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from mango.accounts.models import ApiToken, hash_token

TOKEN_PREFIX = "mango_"  # noqa: S105 - the public prefix of every token, not a secret
# Writing last_used_at on every read would turn each read into a write; once a minute is
# precise enough to tell a live token from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)


class MissingToken(AuthenticationError):
    def __init__(self):
        super().__init__(401, _("Authentication required: send 'Authorization: Bearer <token>'."))


class BadToken(AuthenticationError):
    def __init__(self):
        super().__init__(
            401, _("The token is not valid: it is mistyped, revoked or its user is inactive.")
        )


class TokenAuth(HttpBearer):
    """Authenticates with a personal token; the endpoint receives the user as ``request.auth``."""

    def __call__(self, request: HttpRequest):
        value = request.headers.get(self.header, "")
        scheme, _, token = value.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise MissingToken
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str):
        if not token.startswith(TOKEN_PREFIX):
            raise BadToken
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None or not found.user.is_active:
            raise BadToken
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


token_auth = TokenAuth()
