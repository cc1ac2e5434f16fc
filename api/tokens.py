"""The self-service page where a signed-in reader creates or replaces their API token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from accounts.premium import may_see_factuality
from sources.site_url import absolute_url

from .services import rotate_token


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_page(request):
    """GET shows the reader's token (if any); POST creates or replaces it."""
    if request.method == "POST":
        rotate_token(user=request.user)
        messages.success(request, "Your new token is ready; the previous one no longer works.")
        return redirect("api:token")
    context = {
        "token": Token.objects.filter(user=request.user).first(),
        "premium": may_see_factuality(request.user),
        "stories_url": absolute_url(reverse("api:story-list")),
    }
    return render(request, "api/token.html", context)
