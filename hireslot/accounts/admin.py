from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from hireslot.accounts.forms import AdminLoginForm
from hireslot.accounts.logos import LOGO_MAX_BYTES, LOGO_MAX_SIDE, LogoError, logo_reencode
from hireslot.accounts.models import (
    AvailabilitySettings,
    DateOverride,
    Membership,
    Organization,
    OrganizationAvailabilityDefaults,
    PasswordResetEmail,
    User,
)
from hireslot.accounts.services import organization_logo_set

# The admin's login refuses over-long input like ours; both are throttled by the same backend.
admin.site.login_form = AdminLoginForm


class MembershipInline(admin.TabularInline[Membership, Organization]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class OrganizationAdminForm(forms.ModelForm[Organization]):
    """The logo is not the model's file field here: uploads go through organization_logo_set,
    which decodes and re-encodes them."""

    logo_upload = forms.FileField(
        label="New logo",
        required=False,
        help_text=f"PNG, JPEG, GIF or WebP, at most {LOGO_MAX_BYTES // 1024**2} MB and "
        f"{LOGO_MAX_SIDE} x {LOGO_MAX_SIDE} pixels; stored re-encoded as PNG.",
    )
    logo_remove = forms.BooleanField(label="Remove the logo", required=False)

    class Meta:
        model = Organization
        fields = [
            "name",
            "slug",
            "plan",
            "default_time_zone",
            "accent_color",
            "scheduling_sender_name",
            "scheduling_sender_email",
        ]

    def clean_logo_upload(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("logo_upload")
        if upload is not None:
            try:
                logo_reencode(upload, name=upload.name or "")
            except LogoError as error:
                raise forms.ValidationError(error.message) from error
            upload.seek(0)
        return upload


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    form = OrganizationAdminForm
    list_display = ["name", "slug", "plan", "default_time_zone"]
    list_filter = ["plan"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["logo"]
    inlines = [MembershipInline]

    def save_model(
        self,
        request: HttpRequest,
        obj: Organization,
        form: forms.ModelForm[Organization],
        change: bool,
    ) -> None:
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("logo_upload")
        if upload is not None:
            organization_logo_set(organization=obj, upload=upload)
        elif form.cleaned_data.get("logo_remove") and obj.logo:
            organization_logo_set(organization=obj, upload=None)


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
