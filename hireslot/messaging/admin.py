from django.contrib import admin

from hireslot.messaging.models import EmailTemplate


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin[EmailTemplate]):
    list_display = ["name", "subject", "organization"]
    list_filter = ["organization"]
    search_fields = ["name", "subject"]
