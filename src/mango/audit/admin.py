from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log can be searched here, never changed."""

    list_display = ("at", "actor_name", "action", "target_type", "target_id", "organisation")
    list_filter = ("action", "organisation")
    search_fields = ("actor_name", "target_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
