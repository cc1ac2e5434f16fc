"""Subscriptions in the editors' admin: who has premium, until when."""

from django import forms
from django.contrib import admin

from sources.admin import NewsroomAdmin, counted
from sources.admin_filters import ChoicesFilter

from .forms import AdminLoginForm
from .models import BillingCustomer, BillingEvent, Subscription
from .services import extend_subscriptions

# The admin's log-in refuses guessing as the site's does (accounts/throttle.py).
admin.site.login_form = AdminLoginForm


class SubscriptionAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        starts, expires = cleaned.get("starts_at"), cleaned.get("expires_at")
        if starts and expires and expires <= starts:
            self.add_error("expires_at", "The expiry must come after the start.")
        return cleaned


class SubscriptionStateFilter(ChoicesFilter):
    title = "state"
    parameter_name = "state"
    options = {"active": ("Active", "active"), "expired": ("Expired", "expired")}


@admin.register(Subscription)
class SubscriptionAdmin(NewsroomAdmin):
    form = SubscriptionAdminForm
    list_display = ["user", "starts_at", "expires_at", "active", "billing", "plan", "status"]
    list_filter = [SubscriptionStateFilter, "plan", "status"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "stripe_subscription_id"]
    autocomplete_fields = ["user"]
    # Stripe's events keep these; staff grant and extend complimentary plans.
    readonly_fields = [
        "plan",
        "stripe_subscription_id",
        "status",
        "current_period_end",
        "cancel_at_period_end",
        "grace_until",
        "billing_event_at",
    ]
    actions = ["extend_one_year"]

    @admin.display(description="active", boolean=True)
    def active(self, subscription):
        return subscription.is_active()

    @admin.display(description="billing")
    def billing(self, subscription):
        return "Stripe" if subscription.is_billed else "Complimentary"

    @admin.action(description="Extend by one year", permissions=["change"])
    def extend_one_year(self, request, queryset):
        count = extend_subscriptions(subscriptions=queryset)
        self.message_user(request, f"Extended {counted(count, 'subscription')} by one year.")


@admin.register(BillingCustomer)
class BillingCustomerAdmin(NewsroomAdmin):
    list_display = ["user", "stripe_customer_id", "checkout_session_id"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "stripe_customer_id"]
    readonly_fields = ["user", "stripe_customer_id", "checkout_session_id", "checkout_plan"]


@admin.register(BillingEvent)
class BillingEventAdmin(NewsroomAdmin):
    """Stripe's events as received and what applying each did; a record, never edited."""

    list_display = ["event_id", "type", "created", "received_at", "outcome"]
    list_filter = ["type"]
    search_fields = ["event_id", "outcome"]
    readonly_fields = ["event_id", "type", "created", "received_at", "outcome"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
