"""Admins feature starter kits and hide trending hashtags here too (besides the pages)."""

from django.contrib import admin

from confab.curation.models import HiddenTrend, StarterKit


@admin.register(StarterKit)
class StarterKitAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "featured", "created_at")
    list_filter = ("featured",)
    search_fields = ("title", "owner__username")
    raw_id_fields = ("owner",)
    actions = ("feature", "unfeature")

    @admin.action(description="Feature for newcomers")
    def feature(self, request, queryset):
        queryset.update(featured=True)

    @admin.action(description="Stop featuring")
    def unfeature(self, request, queryset):
        queryset.update(featured=False)


@admin.register(HiddenTrend)
class HiddenTrendAdmin(admin.ModelAdmin):
    list_display = ("hashtag", "hidden_by", "created_at")
    raw_id_fields = ("hashtag", "hidden_by")
