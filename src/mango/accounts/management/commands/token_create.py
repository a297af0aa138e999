"""``mango token create USERNAME [--name NAME]``: issue a personal API token.

The token goes alone to standard output, so ``TOKEN=$(mango token create alice)`` works; it is
shown this once, because only its hash is stored.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mango.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for a user and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name", default="default", help="What the token is for, e.g. the client's name."
        )

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; its tokens would not work.")
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("The name must be 1 to 100 characters.")
        token, raw = ApiToken.issue(user, name=name)
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.prefix}… ({name!r}) created for {username}. "
            "It is shown only this once: store it safely."
        )
