"""The project's URLs plus two trivial views, the floor that bench_floor.py measures pages against.

Bench-only: served by bench_floor.py through floor_settings.py, never by the project.
"""

from django.http import HttpResponse
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


def trivial(request):
    """The cheapest Django page: a tiny response through the project's middleware."""
    return HttpResponse("ok", content_type="text/plain")


class TrivialApi(APIView):
    """The cheapest DRF answer, with the project's default authentication and renderers."""

    def get(self, request):
        return Response({"ok": True})


handler500 = "newsroom.unavailable.server_error"

urlpatterns = [
    path("bench/trivial", trivial),
    path("bench/trivial-api", TrivialApi.as_view()),
    path("", include("newsroom.urls")),
]
