"""Reader accounts: sign-up, Django's log-in and password pages, and the premium page."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("premium/", views.premium, name="premium"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
]
