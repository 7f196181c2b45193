from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm

from hireslot.accounts.forms import AdminLoginForm
from hireslot.accounts.models import (
    AvailabilitySettings,
    DateOverride,
    Membership,
    Organization,
    OrganizationAvailabilityDefaults,
    PasswordResetEmail,
    User,
)

# The admin's login refuses over-long input like ours; both are throttled by the same backend.
admin.site.login_form = AdminLoginForm


class MembershipInline(admin.TabularInline[Membership, Organization]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name", "slug", "plan", "default_time_zone"]
    list_filter = ["plan"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


class UserCreationAdminForm(BaseUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeAdminForm(UserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"email": forms.EmailField}


@admin.register(User)
# django-stubs bounds UserAdmin to AbstractUser; ours is an AbstractBaseUser with email login.
class UserAdmin(DjangoUserAdmin[User]):  # type: ignore[type-var]
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login",)}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ["groups"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__email", "organization__name"]


@admin.register(AvailabilitySettings)
class AvailabilitySettingsAdmin(admin.ModelAdmin[AvailabilitySettings]):
    list_display = ["user", "time_zone", "minimum_notice_minutes", "booking_horizon_days"]
    search_fields = ["user__email"]


@admin.register(DateOverride)
class DateOverrideAdmin(admin.ModelAdmin[DateOverride]):
    list_display = ["user", "date", "hours"]
    search_fields = ["user__email"]


@admin.register(OrganizationAvailabilityDefaults)
class OrganizationAvailabilityDefaultsAdmin(admin.ModelAdmin[OrganizationAvailabilityDefaults]):
    list_display = ["organization", "minimum_notice_minutes", "booking_horizon_days"]


@admin.register(PasswordResetEmail)
class PasswordResetEmailAdmin(admin.ModelAdmin[PasswordResetEmail]):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
