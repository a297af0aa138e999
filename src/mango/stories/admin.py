from django.contrib import admin
from django.db import transaction

from mango.audit.log import record

from .models import Story


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """Read-only and de-identified. A story changes only through its lifecycle (moderation,
    the teller's rights, ``mango gdpr``), which audits every step; the admin shows the
    de-identified text and the categories, never the original text, contact details or the
    moderator's reason, and opening a story here is written to the audit trail."""

    # The story's id, never its receipt code: that is the teller's key, not shown to staff.
    list_display = ("id", "submitted_at", "teller_role", "setting", "organisation", "status")
    list_filter = ("status", "teller_role", "setting", "oncological", "language", "illustrative")
    search_fields = ("=id",)
    date_hierarchy = "submitted_at"
    fields = (
        "id",
        "status",
        "language",
        "text_redacted",
        "teller_role",
        "setting",
        "oncological",
        "happened",
        "gesture_by",
        "organisation",
        "unit",
        "campaign",
        "consent_research",
        "consent_sharing",
        "source",
        "illustrative",
        "submitted_at",
        "deidentified_at",
        "reviewed_at",
        "shared_at",
        "withdrawn_at",
        "erased_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        story = self.get_object(request, object_id)
        if story is not None and response.status_code == 200:
            with transaction.atomic():
                record(request.user, "story.view_admin", story, organisation=story.organisation)
        return response
