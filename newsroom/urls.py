"""Root URLs: the admin, the public site, the API and the health check."""

from django.contrib import admin
from django.urls import include, path

from .views import healthz

admin.site.site_header = "Newsroom editors"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Curation"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("stories.api.urls")),
    path("", include("stories.urls")),
]
