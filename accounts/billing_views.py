"""Buying and managing premium through Stripe, and Stripe's webhook."""

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from .billing_events import receive_event
from .checkout import BillingUnavailable, billing_enabled, checkout_url, portal_url, prices
from .premium import may_see_factuality
from .selectors import subscription_of

UNAVAILABLE = (
    "Payments are unavailable just now, and nothing was charged. Please try again in a few minutes."
)


def _billing_only(view):
    """Without Stripe configured these pages do not exist and nothing calls Stripe."""

    def wrapper(request, *args, **kwargs):
        if not billing_enabled():
            raise Http404("Premium is granted by the newsroom's staff.")
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@login_required
@_billing_only
def checkout(request):
    """Send the reader to Stripe Checkout for the plan they chose."""
    plan = request.POST.get("plan", "")
    if plan not in prices():
        return HttpResponseBadRequest("Choose the monthly or the yearly plan.")
    subscription = subscription_of(request.user)
    if may_see_factuality(request.user) and subscription and subscription.is_billed:
        messages.info(request, "You already have premium; manage it below.")
        return redirect("premium")
    try:
        return redirect(checkout_url(user=request.user, plan=plan))
    except BillingUnavailable:
        messages.error(request, UNAVAILABLE)
        return redirect("premium")


@require_safe
@login_required
@_billing_only
def welcome(request):
    """Where Stripe sends the reader back: premium now, or in a moment once Stripe tells us."""
    context = {"has_premium": may_see_factuality(request.user)}
    return render(request, "accounts/premium_welcome.html", context)


@require_POST
@login_required
@_billing_only
def portal(request):
    """Stripe's customer portal: change the card, switch plan, cancel."""
    try:
        return redirect(portal_url(user=request.user))
    except BillingUnavailable:
        messages.error(request, UNAVAILABLE)
        return redirect("premium")


@csrf_exempt  # Stripe signs its requests instead; nothing else here is exempt.
@require_POST
@_billing_only
def webhook(request):
    """Stripe's billing events: 400 unless signed with the webhook secret, else applied once."""
    if not settings.STRIPE_WEBHOOK_SECRET:  # an empty secret would verify anyone's signature
        raise Http404("No webhook secret is configured.")
    signature = request.headers.get("Stripe-Signature", "")
    try:
        outcome = receive_event(payload=request.body, signature=signature)
    except (ValueError, KeyError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("Not a validly signed Stripe event.")
    # What was done, for the delivery log in Stripe's dashboard.
    return HttpResponse(outcome, content_type="text/plain")
