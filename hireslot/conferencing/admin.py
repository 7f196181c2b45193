from django.contrib import admin

from hireslot.conferencing.models import ZoomConnection


@admin.register(ZoomConnection)
class ZoomConnectionAdmin(admin.ModelAdmin[ZoomConnection]):
    list_display = ["user", "account", "status"]
    list_filter = ["status"]
    exclude = ["credentials"]
    raw_id_fields = ["user"]
