from django.contrib import admin

from .models import Story


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("receipt", "submitted_at", "teller_role", "setting", "organisation", "status")
    list_filter = ("status", "teller_role", "setting", "oncological", "language", "illustrative")
    search_fields = ("receipt",)
    readonly_fields = ("receipt", "submitted_at", "source")
    raw_id_fields = ("organisation", "unit", "campaign")
    date_hierarchy = "submitted_at"
