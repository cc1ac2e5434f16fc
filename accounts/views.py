"""Reader accounts: sign-up and the premium page; log-in and passwords are Django's views."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from .forms import SignUpForm
from .premium import may_see_factuality
from .selectors import subscription_of


def _next_url(request) -> str:
    """Where to go after signing up: the ?next= page when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    """Create a free reader account and log the reader in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Your account is ready.")
        return redirect(_next_url(request))
    return render(request, "registration/signup.html", {"form": form, "next": _next_url(request)})


@require_safe
def premium(request):
    """What premium adds, and the reader's own plan if there is one."""
    context = {
        "subscription": subscription_of(request.user),
        "has_premium": may_see_factuality(request.user),
    }
    return render(request, "accounts/premium.html", context)
