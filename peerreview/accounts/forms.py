from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from peerreview.core.forms import GovukForm, GovukFormMixin


class SignInForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ChoosePasswordForm(GovukForm):
    password1 = forms.CharField(
        label="Create a password",
        help_text="Use at least 12 characters. A long phrase is easier to remember than a short complicated word.",
        strip=False,
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        error_messages={"required": "Enter your password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        try:
            password_validation.validate_password(password, self.user)
        except forms.ValidationError as exc:
            raise forms.ValidationError([_plain(m) for m in exc.messages]) from exc
        return password

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The passwords do not match. Enter the same password twice")
        return data


def _plain(message: str) -> str:
    replacements = {
        "This password is too short. It must contain at least 12 characters.": "Password must be 12 characters or more",
        "This password is too common.": "This password is too common. Choose a less common one, such as a phrase",
        "This password is entirely numeric.": "Password must not be only numbers",
    }
    return replacements.get(message, message.rstrip("."))


class GovukPasswordResetForm(GovukFormMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }


class GovukSetPasswordForm(GovukFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Create a password"
        self.fields["new_password2"].label = "Confirm your password"
        self.fields["new_password1"].error_messages["required"] = "Enter a password"
        self.fields["new_password2"].error_messages["required"] = "Enter your password again"
        self.error_messages["password_mismatch"] = "The passwords do not match. Enter the same password twice"


class PersonForm(GovukForm):
    """Name and email of someone being invited. Forms that invite people add their own fields to these."""

    # Someone else's details: the browser must not offer the signed-in person's own name and email.
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the person's full name"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class InviteUserForm(PersonForm):
    is_lga_staff = forms.BooleanField(label="LGA staff (can start reviews)", required=False)
