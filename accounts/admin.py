"""Subscriptions in the editors' admin: who has premium, until when."""

from django import forms
from django.contrib import admin

from sources.admin import NewsroomAdmin, counted
from sources.admin_filters import ChoicesFilter

from .forms import AdminLoginForm
from .models import Subscription
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
    list_display = ["user", "starts_at", "expires_at", "active"]
    list_filter = [SubscriptionStateFilter]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    actions = ["extend_one_year"]

    @admin.display(description="active", boolean=True)
    def active(self, subscription):
        return subscription.is_active()

    @admin.action(description="Extend by one year", permissions=["change"])
    def extend_one_year(self, request, queryset):
        count = extend_subscriptions(subscriptions=queryset)
        self.message_user(request, f"Extended {counted(count, 'subscription')} by one year.")
