"""Root URLs: the admin, the public site, the API and the health check."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from .media import media_file
from .views import healthz

admin.site.site_header = "Newsroom editors"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Curation"

# Django's 500 page, except that a database outage answers 503 with Retry-After.
handler500 = "newsroom.unavailable.server_error"

# Readers' pages first: a URL is matched against the patterns in order, and most requests
# are theirs (none of these patterns overlap).
urlpatterns = [
    path("", include("web.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("api/", include("api.urls")),
    path("media/<path:path>", media_file, name="media"),
    # Subscriptions moved from the stories app to accounts; old admin links still work.
    re_path(
        r"^admin/stories/subscription/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/accounts/subscription/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
]
