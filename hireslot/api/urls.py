from django.urls import URLPattern, URLResolver, path

from hireslot.api import docs
from hireslot.api.v1 import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("docs", docs.api_docs, name="api-docs"),
    path("", api.urls),
]
