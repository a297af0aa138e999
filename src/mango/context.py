"""Template context: what the signed-in user's roles allow, for the navigation."""

from importlib import import_module

from mango.accounts.models import scope_for


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "can_read_stories": scope.reads_any,
        # Imports can write stories for any organisation of a campaign: network-wide roles only.
        "can_import": scope.everything or scope.research_everywhere,
        "can_moderate": scope.everything or bool(scope.sharing_orgs),
        "can_read_shared": scope.everything or bool(scope.member_orgs),
        "can_research": scope.everything or scope.research_everywhere or bool(scope.research_orgs),
        # Classifier models learn from every organisation's coded stories.
        "can_classify": scope.everything or scope.research_everywhere,
        "can_audit": scope.everything or user.memberships.filter(role="manager").exists(),
        "app_nav": app_nav(request, scope),
    }


# Apps that add pages to the staff menu through their ``nav.items(request, scope)``.
NAV_APPS = ("culture", "recognition", "pulse", "consensus")


def app_nav(request, scope) -> list[tuple[str, str]]:
    entries = []
    for name in NAV_APPS:
        entries += import_module(f"mango.{name}.nav").items(request, scope)
    return entries
