from django.contrib import admin
from django.db import transaction

from mango.audit.log import record

from .models import ApiToken, Membership


def _membership_values(membership) -> dict:
    return {
        "user": membership.user.get_username(),
        "role": membership.role,
        "organisation": membership.organisation_id,
        "unit": membership.unit_id,
    }


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Roles decide who reads which story: every change here goes in the audit trail."""

    list_display = ("user", "role", "organisation", "unit")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        old = _membership_values(Membership.objects.get(pk=obj.pk)) if change else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                request.user,
                "membership.changed",
                obj,
                organisation=obj.organisation,
                old=old,
                new=_membership_values(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(
                request.user,
                "membership.changed",
                obj,
                organisation=obj.organisation,
                old=_membership_values(obj),
                new={"deleted": True},
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    # Tokens are issued with `mango token create`; the admin can only see and revoke them.
    list_display = ("user", "name", "prefix", "created_at", "last_used_at")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False
