"""Reader accounts: sign-up, Django's log-in and password pages, and the premium page."""

from django.contrib.auth.views import LoginView
from django.urls import include, path

from . import views
from .forms import LoginForm

urlpatterns = [
    path("premium/", views.premium, name="premium"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/done/", views.signup_done, name="signup_done"),
    path("accounts/signup/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    # Before Django's own: refuses guessing (accounts/throttle.py).
    path("accounts/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    # Before Django's own, which would build the e-mailed link from the Host header.
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
]
