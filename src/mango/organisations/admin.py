from django.contrib import admin
from django.db import transaction

from mango.audit.log import record

from .models import Campaign, Organisation, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    readonly_fields = ("short_code",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "language")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [UnitInline]

    def save_model(self, request, obj, form, change):
        # Settings such as keeping staff first names change what teams read: audited.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                request.user,
                "organisation.changed",
                obj,
                organisation=obj,
                new={"fields": sorted(form.changed_data), "created": not change},
            )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "opens_on", "closes_on", "network_wide")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("organisations",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "oncological", "short_code")
    list_filter = ("oncological", "organisation")
    search_fields = ("name",)
    readonly_fields = ("short_code",)
