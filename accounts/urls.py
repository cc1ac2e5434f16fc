"""Reader accounts: sign-up, log-in and password pages; premium and its billing; saved stories
and My News Bias."""

from django.contrib.auth.views import LoginView
from django.urls import include, path

from . import billing_views, reader_views, views
from .forms import LoginForm

urlpatterns = [
    path("premium/", views.premium, name="premium"),
    path("premium/checkout/", billing_views.checkout, name="premium_checkout"),
    path("premium/welcome/", billing_views.welcome, name="premium_welcome"),
    path("premium/billing/", billing_views.portal, name="premium_portal"),
    path("billing/stripe/webhook/", billing_views.webhook, name="stripe_webhook"),
    path("saved/", reader_views.saved_stories, name="saved_stories"),
    path("saved/<slug:slug>/", reader_views.save_story, name="save_story"),
    path("my-news-bias/", reader_views.news_bias, name="news_bias"),
    path("my-news-bias/history/", reader_views.reading_history, name="reading_history"),
    path(
        "my-news-bias/history.json",
        reader_views.reading_history_export,
        name="reading_history_export",
    ),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/done/", views.signup_done, name="signup_done"),
    path("accounts/signup/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    # Before Django's own: refuses guessing (accounts/throttle.py).
    path("accounts/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    # Before Django's own, which would build the e-mailed link from the Host header.
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
]
