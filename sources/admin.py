"""The editors' admin for owners, outlets, feeds and the articles the feeds bring in."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext

from .admin_filters import (
    BiasFilter,
    FactualityFilter,
    FeedHealthFilter,
    OutletBiasFilter,
    OutletFilter,
    PublishedWithinFilter,
)
from .fetch import check_feed_host
from .logos import LogoField
from .models import Article, Feed, Owner, Source
from .normalize import canonical_url
from .pagination import CappedPaginator
from .ratings import Bias, Factuality

# What the fetcher records about a feed; editors read it, the fetcher writes it.
FETCH_STATE = [
    "last_fetched_at",
    "last_status",
    "last_new_count",
    "last_updated_count",
    "last_skipped_count",
    "consecutive_errors",
    "last_error",
    "fetch_interval",
    "next_fetch_at",
    "etag",
    "last_modified",
    "redirect_url",
    "redirect_count",
    "lease_until",
    "created_at",
]
FACTUALITY_RATING = ["factuality", "factuality_rated_by", "factuality_rated_at"]

# A link pasted without its scheme is taken as https, as browsers do today.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class NewsroomAdmin(admin.ModelAdmin):
    """Base of the newsroom's admin pages."""

    formfield_overrides = URL_FIELDS

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        if isinstance(paginator, CappedPaginator) and request.GET.get(SEARCH_VAR, "").strip():
            paginator.trust_estimates = True  # a search: see CappedPaginator
        return paginator

    def action_checkbox(self, obj):
        """Django's checkbox that selects a row for an action, written out: rendered as a
        form widget through its templates, it took about half of a changelist's time."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    def response_action(self, request, queryset):
        # Django turns a selected id that is not a number into a 500; a tampered
        # or stale form gets a message instead, and nothing is changed.
        try:
            for pk in request.POST.getlist(ACTION_CHECKBOX_NAME):
                self.opts.pk.to_python(pk)
        except ValidationError:
            message = "The selection could not be read; nothing was changed."
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


def counted(number: int, thing: str, things: str = "") -> str:
    """E.g. "1 feed", "3 feeds", "2 stories"."""
    return f"{number} {thing if number == 1 else things or thing + 's'}"


@admin.register(Owner)
class OwnerAdmin(NewsroomAdmin):
    list_display = ["name", "category", "country", "source_count"]
    list_filter = ["category", "country"]
    search_fields = ["name"]
    # Explicit: a grouped (annotated) query drops the model's default ordering.
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("sources"))

    @admin.display(description="sources", ordering="source_count")
    def source_count(self, owner):
        return owner.source_count


class FeedAdminForm(forms.ModelForm):
    """Looks up the host of a feed address only when it is new or changed.

    Saving an outlet or its feed for anything else (a rating, switching a feed off)
    must work while the outlet's DNS is down. A name that cannot be looked up now is
    a warning (`address_warning`, shown once saved); a private address is refused.
    """

    address_warning: str | None = None

    def clean_url(self):
        url = self.cleaned_data["url"]
        if "url" in self.changed_data:
            try:
                self.address_warning = check_feed_host(url)
            except ValidationError as refused:
                raise forms.ValidationError(refused.messages, code=refused.code) from None
        return url


def warn_about_addresses(request, forms_: list) -> None:
    """Say, once saved, which new or changed feed addresses could not be looked up."""
    for form in forms_:
        if getattr(form, "address_warning", None):
            messages.warning(request, form.address_warning)


class FeedInline(admin.TabularInline):
    model = Feed
    form = FeedAdminForm
    fields = ["url", "is_active", "last_fetched_at", "last_status", "consecutive_errors"]
    readonly_fields = ["last_fetched_at", "last_status", "consecutive_errors"]
    extra = 1
    show_change_link = True
    formfield_overrides = URL_FIELDS


class SourceAdminForm(forms.ModelForm):
    logo = LogoField(
        required=False,
        help_text=f"A JPEG, PNG, GIF or WebP picture of up to "
        f"{filesizeformat(settings.NEWSROOM_UPLOAD_MAX_BYTES)}, shown as a small square. "
        "Without one, pages show the outlet's initials.",
    )

    def clean_domain(self):
        # The database allows one outlet per domain; say which one holds it instead
        # of naming the constraint.
        domain = self.cleaned_data["domain"].strip().lower()
        holder = Source.objects.filter(domain=domain).exclude(pk=self.instance.pk).first()
        if domain and holder:
            raise forms.ValidationError(f"“{holder}” already uses this domain.")
        return domain


@admin.register(Source)
class SourceAdmin(NewsroomAdmin):
    form = SourceAdminForm
    list_display = ["name", "bias_rating", "factuality_rating", "owner", "country"]
    list_filter = [BiasFilter, FactualityFilter, "owner__category", "country"]
    list_select_related = ["owner"]
    search_fields = ["name", "domain"]
    autocomplete_fields = ["owner"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FeedInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "homepage", "domain", "country", "owner", "logo"]}),
        ("Bias rating", {"fields": ["bias", "bias_rated_by", "bias_rated_at", "bias_rating_note"]}),
        ("Factuality rating", {"fields": FACTUALITY_RATING}),
        (None, {"fields": ["description"]}),
    ]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        warn_about_addresses(request, formset.forms)

    @admin.display(description="bias", ordering="bias")
    def bias_rating(self, source):
        return Bias.label_of(source.bias)

    @admin.display(description="factuality", ordering="factuality")
    def factuality_rating(self, source):
        return Factuality.label_of(source.factuality)


@admin.register(Feed)
class FeedAdmin(NewsroomAdmin):
    form = FeedAdminForm
    list_display = [
        "url",
        "source",
        "is_active",
        "last_fetched_at",
        "last_status",
        "last_counts",
        "consecutive_errors",
        "short_error",
        "next_fetch_at",
    ]
    list_filter = [FeedHealthFilter, "is_active"]
    list_select_related = ["source"]
    search_fields = ["url", "title", "source__name"]
    autocomplete_fields = ["source"]
    fields = ["source", "url", "title", "is_active", "disabled_reason", *FETCH_STATE]
    readonly_fields = FETCH_STATE
    actions = ["re_enable", "fetch_now"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_about_addresses(request, [form])

    @admin.display(description="last fetch brought")
    def last_counts(self, feed):
        return f"{feed.last_new_count} new, {feed.last_updated_count} updated"

    @admin.display(description="last error")
    def short_error(self, feed):
        return Truncator(feed.last_error).chars(80)

    @admin.action(
        description="Re-enable selected feeds and fetch them soon", permissions=["change"]
    )
    def re_enable(self, request, queryset):
        count = queryset.update(
            is_active=True, consecutive_errors=0, disabled_reason="", next_fetch_at=timezone.now()
        )
        self.message_user(request, f"Re-enabled {counted(count, 'feed')}; they are due now.")

    @admin.action(description="Fetch selected feeds now", permissions=["change"])
    def fetch_now(self, request, queryset):
        # Imported here: the task module pulls in the fetcher, which the admin
        # needs only when an editor asks for a fetch.
        from sources.tasks import QueueUnavailable, queue_fetches

        ids = list(queryset.values_list("pk", flat=True))
        try:
            queue_fetches(ids)  # at once: the admin runs actions outside a transaction
        except QueueUnavailable as exc:
            message = (
                f"Could not queue {counted(len(exc.unqueued), 'feed')} for fetching: the task "
                "queue is unavailable. They stay due and will be fetched when it is back."
            )
            self.message_user(request, message, messages.WARNING)
            return
        self.message_user(
            request, f"Queued {counted(len(ids), 'feed')} for fetching.", messages.INFO
        )


@admin.register(Article)
class ArticleAdmin(NewsroomAdmin):
    """Articles as the feeds delivered them; stories/admin.py adds curation on top."""

    list_display = ["title", "source", "outlet_bias", "published_at"]
    list_filter = [OutletFilter, OutletBiasFilter, PublishedWithinFilter]
    list_select_related = ["source"]
    # Searched by get_search_results(), which the story form's article picker uses too.
    search_fields = ["title"]
    search_help_text = "Words of the headline, an outlet's name, or an article's link."
    autocomplete_fields = ["source", "feed"]
    # The fetcher makes the thumbnail (sources/thumbnails.py); editors see what came of it.
    readonly_fields = ["fetched_at", "updated_at", "thumbnail", "thumbnail_error"]
    # Counting a million articles costs more than showing a page of them: the count
    # stops at CappedPaginator.limit, and the unfiltered total is not counted at all.
    paginator = CappedPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """Articles whose headline has every word, or whose outlet's name has the term;
        a link finds its article.

        Each part is answered by an index: the headline by a trigram index on
        PostgreSQL (sources/migrations), the outlets by their ids, looked up first in
        the small table of outlets, the link by its canonical form, which is unique.
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        link = canonical_url(term)
        if link is not None:
            return queryset.filter(url=link), False
        headline = Q(*(Q(title__icontains=word) for word in term.split()))
        outlets = Source.objects.filter(name__icontains=term).values_list("pk", flat=True)
        return queryset.filter(headline | Q(source__in=list(outlets))), False

    @admin.display(description="outlet bias", ordering="source__bias")
    def outlet_bias(self, article):
        return Bias.label_of(article.source.bias)
