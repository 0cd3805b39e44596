from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from confab.accounts import actions
from confab.accounts.models import Account, User


@admin.register(User)
class ConfabUserAdmin(UserAdmin):
    list_display = ("username", "email", "approved", "is_active", "is_staff", "date_joined")
    list_filter = ("approved", "is_active", "is_staff")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Sign-up", {"fields": ("approved", "signup_reason")}),
    )
    actions = ("approve",)

    @admin.action(description="Approve the selected sign-ups")
    def approve(self, request, queryset):
        for user in queryset.filter(approved=False):
            actions.approve_signup(user)
        self.message_user(request, "Approved.")


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("username", "domain", "display_name", "city_label", "followers_count")
    search_fields = ("username", "display_name")
    readonly_fields = ("uri", "followers_count", "following_count", "posts_count")
