"""Reader accounts: sign-up, the premium page, and Django's password reset on SITE_URL.

Buying premium and the readers' own story pages are in billing_views.py and reader_views.py.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from sources.site_url import site_scheme_and_host

from .checkout import billing_enabled, prices
from .forms import SignUpForm
from .premium import may_see_factuality
from .reading import save_limit, saved_count
from .selectors import subscription_of
from .signup import create_account, pending_sign_up, request_sign_up


def _next_url(request) -> str:
    """Where to go after signing up: the ?next= page when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    """Ask for a user name and an address; the rest continues from the e-mailed link."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request_sign_up(**form.cleaned_data, next_url=_next_url(request))
        return redirect("signup_done")
    return render(request, "registration/signup.html", {"form": form, "next": _next_url(request)})


@require_safe
def signup_done(request):
    return render(request, "registration/signup_done.html")


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def signup_confirm(request, token):
    """The e-mailed link: choose a password, which creates the account and logs in."""
    pending = pending_sign_up(token)
    if pending is None:
        return render(request, "registration/signup_confirm.html", {"validlink": False})
    reader = get_user_model()(username=pending["username"], email=pending["email"])
    form = SetPasswordForm(reader, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if (user := create_account(password_form=form)) is None:
            return render(request, "registration/signup_confirm.html", {"validlink": False})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Your account is ready.")
        return redirect(pending["next"])
    return render(request, "registration/signup_confirm.html", {"validlink": True, "form": form})


@require_safe
def premium(request):
    """What premium adds, the reader's own plan if there is one, and how to buy or manage it."""
    context = {
        "subscription": subscription_of(request.user),
        "has_premium": may_see_factuality(request.user),
        "billing": billing_enabled(),
        "plans": prices(),
        "saved_count": saved_count(request.user),
        "save_limit": save_limit(request.user) if request.user.is_authenticated else None,
        "free_saves": settings.NEWSROOM_FREE_SAVED_STORIES,
    }
    response = render(request, "accounts/premium.html", context)
    if context["billing"]:
        # Its forms lead to Stripe's pages: the CSP's form-action covers the redirect there.
        response._csp_update = {"form-action": settings.STRIPE_PAGES}
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, but the e-mailed link names SITE_URL, not the request's Host."""

    @property
    def extra_email_context(self):
        protocol, domain = site_scheme_and_host()
        return {"protocol": protocol, "domain": domain, "site_name": domain}
