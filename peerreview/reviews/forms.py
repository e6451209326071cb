from django import forms
from django.utils import timezone

from peerreview.accounts.forms import PersonForm
from peerreview.core.forms import GovukForm
from peerreview.core.roles import Role
from peerreview.councils.models import Organisation
from peerreview.policy.models import ReviewType

DATE_ERRORS = {"required": "Enter the date", "invalid": "Enter a real date, like 9 March 2027"}


def date_field(label, *, required=True, help_text="", required_message=None):
    errors = dict(DATE_ERRORS)
    if required_message:
        errors["required"] = required_message
    return forms.DateField(
        label=label, required=required, help_text=help_text, error_messages=errors, widget=forms.DateInput()
    )


class ReviewForm(GovukForm):
    host = forms.ModelChoiceField(
        label="Host council",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.COUNCIL),
        empty_label="Choose a council",
        error_messages={"required": "Choose the host council", "invalid_choice": "Choose a council from the list"},
    )
    review_type = forms.ModelChoiceField(
        label="Type of review",
        queryset=ReviewType.objects.filter(is_current=True),
        empty_label="Choose a type",
        error_messages={"required": "Choose the type of review", "invalid_choice": "Choose a type from the list"},
    )
    delivery_start = date_field(
        "Delivery start date",
        help_text="The first day of the delivery week, usually a Monday.",
        required_message="Enter the delivery start date",
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="Leave blank to use the type and council, for example “SEND peer challenge: Kent”.",
    )
    has_case_record_review = forms.BooleanField(label="Include a case record review", required=False, initial=True)

    def clean_delivery_start(self):
        day = self.cleaned_data["delivery_start"]
        if day <= timezone.localdate():
            raise forms.ValidationError("The delivery start date must be in the future")
        return day


class DatesForm(GovukForm):
    def __init__(self, review, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.fields["delivery_start"] = date_field(
            "Delivery start date", required_message="Enter the delivery start date"
        )
        self.initial["delivery_start"] = review.delivery_start
        for d in review.key_dates.exclude(code="delivery_start"):
            self.fields[f"date_{d.code}"] = date_field(
                d.label,
                required_message=f"Enter the date for {d.label.lower()}",
                help_text="Changed by hand" if d.overridden else "",
            )
            self.initial[f"date_{d.code}"] = d.date
        # These fields are added after GovukForm styled the form, so style them here.
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "govuk-input govuk-input--width-10")
            field.widget.input_type = "date"
            field.widget.format = "%Y-%m-%d"
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def clean_delivery_start(self):
        day = self.cleaned_data["delivery_start"]
        if day != self.review.delivery_start and day <= timezone.localdate():
            raise forms.ValidationError("The delivery start date must be in the future")
        return day

    def overrides(self):
        return {name.removeprefix("date_"): v for name, v in self.cleaned_data.items() if name.startswith("date_")}


class InviteForm(PersonForm):
    role = forms.ChoiceField(
        label="Role in this review",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person's role"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation (optional)",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="Choose an organisation",
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)

    def __init__(self, review, *args, **kwargs):
        self.review = review
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if self.review.memberships.filter(user__email=email, revoked_at__isnull=True).exists():
            raise forms.ValidationError("This person is already in this review. Check the list of people")
        return email


class RevokeForm(GovukForm):
    reason = forms.CharField(
        label="Why are you removing this person's access?",
        max_length=300,
        error_messages={"required": "Enter the reason for removing access"},
    )


class ScopingMeetingForm(GovukForm):
    held_on = date_field("Date of the scoping meeting", required_message="Enter the date of the scoping meeting")
    attendees = forms.CharField(
        label="Who attended",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Names and roles, for example “Director of Children's Services (sponsor)”.",
        error_messages={"required": "Enter who attended the scoping meeting"},
    )
    purpose = forms.CharField(
        label="Purpose question",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The one question the review should answer for the council.",
        error_messages={"required": "Enter the purpose question"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of the scoping meeting must be today or in the past")
        return day


class LinesForm(GovukForm):
    lines = forms.MultipleChoiceField(
        label="Key lines of enquiry",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one line of enquiry",
            "invalid_choice": "Choose lines of enquiry from the list",
        },
    )

    def __init__(self, review, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = review.review_type.themes()
        self.fields["lines"].choices = [(q["code"], q["text"]) for t in self.themes for q in t["questions"]]
        self.initial["lines"] = list(review.lines.filter(is_custom=False).values_list("code", flat=True))


class CustomLineForm(GovukForm):
    theme = forms.CharField(label="Theme", max_length=200, error_messages={"required": "Enter the theme"})
    question = forms.CharField(
        label="Question",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Enter the question"},
    )
    prompts = forms.CharField(
        label="Evidence prompts (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One on each line.",
    )

    def clean_prompts(self):
        return [p.strip() for p in self.cleaned_data["prompts"].splitlines() if p.strip()]


class PurgeForm(GovukForm):
    reason = forms.CharField(
        label="Why are you deleting this review's material now?",
        max_length=300,
        help_text="For example, “Retention period of 3 months after the report has ended”.",
        error_messages={"required": "Enter the reason for deleting the material"},
    )
    confirm = forms.BooleanField(
        label="I understand that documents, notes, findings and the timetable are deleted for good",
        error_messages={"required": "Confirm that you understand the material is deleted for good"},
    )
