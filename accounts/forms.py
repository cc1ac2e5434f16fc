"""The sign-up form of reader accounts, and the log-in forms that refuse guessing."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

from . import throttle


class SignUpForm(forms.ModelForm):
    """A user name and an address; the password is chosen from the link e-mailed there.

    Whether the address already has an account is not checked here: the form must
    answer the same either way (see accounts/signup.py). A taken user name is said,
    as on any site where names are public.
    """

    email = forms.EmailField(
        label="E-mail address", help_text="We send a link there to confirm it is yours."
    )

    class Meta:
        model = get_user_model()
        fields = ("username", "email")

    def clean_username(self):
        """As Django's UserCreationForm: "Reader" is taken when "reader" is."""
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("A user with that username already exists.")
        return username


class ThrottledLogin:
    """Refuses a log-in while its account or address is locked, before the password is checked."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if not (username and self.cleaned_data.get("password")):
            return super().clean()  # a required field is missing: nothing to verify
        address = throttle.client_address(self.request)
        if wait := throttle.seconds_locked(username=username, address=address):
            raise forms.ValidationError(throttle.locked_message(wait), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if self.get_user() is None:  # a wrong password, not an inactive or non-staff user
                throttle.record_failure(username=username, address=address)
            raise
        throttle.record_success(username=username)
        return cleaned


class LoginForm(ThrottledLogin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLogin, AdminAuthenticationForm):
    pass
