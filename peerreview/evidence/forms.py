from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from peerreview.core.forms import GovukForm
from peerreview.core.roles import Role
from peerreview.reviews.forms import date_field

from .build import editable_sections, line_titles, report_sections
from .models import NOTE_MAX_CHARS, SOURCE_FOR_SESSION_KIND, FindingKind, Leaning, Note, SourceType

LINES_ERRORS = {
    "required": "Choose at least one line of enquiry",
    "invalid_choice": "Choose lines of enquiry from this review",
    "invalid_pk_value": "Choose lines of enquiry from this review",
}


def _line_choices(review):
    lines = list(review.lines.all())
    titles = line_titles(lines)
    return [(line.pk, titles[line.pk]) for line in lines]


class LinesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.question


class SessionForm(GovukForm):
    title = forms.CharField(
        label="Session title",
        max_length=200,
        help_text="Name groups, not people, for example “Front door team managers”.",
        error_messages={
            "required": "Enter the session title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of session",
        error_messages={"required": "Choose the kind of session", "invalid_choice": "Choose a kind from the list"},
    )
    day = date_field("Day", required_message="Enter the day of the session")

    def __init__(self, review, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = review.review_type.config.get("session_types", {})
        self.fields["kind"].choices = [("", "Choose a kind")] + [(k, v["label"]) for k, v in types.items()]
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate())


class NoteForm(GovukForm):
    text = forms.CharField(
        label="Note",
        help_text=f"What you heard or read. Name staff groups, not people. Up to {NOTE_MAX_CHARS:,} characters. "
        "Press Ctrl and Enter to save.",
        widget=forms.Textarea(attrs={"rows": 6, "autofocus": True, "data-evidence-text": ""}),
        error_messages={
            "required": "Enter the note",
            "max_length": f"The note must be {NOTE_MAX_CHARS:,} characters or fewer",
        },
        max_length=NOTE_MAX_CHARS,
    )
    lines = LinesField(
        label="Lines of enquiry",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages=LINES_ERRORS,
    )
    leaning = forms.ChoiceField(
        label="Leaning",
        choices=Leaning.choices,
        initial=Leaning.NEUTRAL,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this is a strength, a concern or neutral"},
    )
    source_type = forms.ChoiceField(
        label="Source",
        choices=SourceType.choices,
        error_messages={"required": "Choose the source", "invalid_choice": "Choose a source from the list"},
    )
    staff_groups = forms.CharField(
        label="Staff groups (optional)",
        required=False,
        max_length=200,
        help_text="For example “social workers, team managers”.",
        error_messages={"max_length": "The staff groups must be 200 characters or fewer"},
    )
    source_ref = forms.CharField(
        label="Document, data item or case reference",
        max_length=200,
        help_text="Use case references, never a child's name.",
        error_messages={
            "required": "Enter the document, data item or case reference",
            "max_length": "The reference must be 200 characters or fewer",
        },
    )
    day = date_field("Day", required_message="Enter the day")

    def __init__(self, review, *args, session=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = review.lines.all()
        self.fields["lines"].choices = _line_choices(review)
        if session is not None or editing:
            del self.fields["source_ref"], self.fields["day"]
        if session is not None:
            self.initial.setdefault("source_type", SOURCE_FOR_SESSION_KIND.get(session.kind, SourceType.INTERVIEW))
        elif not self.is_bound:
            self.initial.setdefault("source_type", SourceType.DOCUMENT)
            self.initial.setdefault("day", timezone.localdate())


class FindingForm(GovukForm):
    title = forms.CharField(
        label="Finding",
        max_length=300,
        help_text="One sentence, in the words the team would use in feedback.",
        error_messages={"required": "Enter the finding", "max_length": "The finding must be 300 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Type",
        choices=FindingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of finding"},
    )
    line = forms.ModelChoiceField(
        label="Line of enquiry",
        queryset=None,
        required=False,
        empty_label="Across the service (no single line)",
        error_messages={"invalid_choice": "Choose a line of enquiry from this review"},
    )
    detail = forms.CharField(
        label="Detail (optional)",
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The detail must be {NOTE_MAX_CHARS:,} characters or fewer"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, review, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = review.lines.all()
        titles = line_titles(list(review.lines.all()))
        self.fields["line"].label_from_instance = lambda obj: titles[obj.pk]


class LinkForm(GovukForm):
    notes = forms.ModelMultipleChoiceField(
        label="Evidence",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the evidence to link",
            "invalid_choice": "You can only link evidence from this review",
            "invalid_pk_value": "You can only link evidence from this review",
        },
    )
    relation = forms.ChoiceField(
        label="This evidence",
        choices=[("supports", "Supports the finding"), ("contradicts", "Contradicts the finding")],
        widget=forms.RadioSelect,
        initial="supports",
        error_messages={"required": "Choose whether the evidence supports or contradicts the finding"},
    )

    def __init__(self, review, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].queryset = Note.objects.filter(review=review)
        if candidates is not None:
            self.fields["notes"].choices = [(n.pk, n.text[:200]) for n in candidates]


class AgreeForm(GovukForm):
    override_reason = forms.CharField(
        label="Why the team agrees this finding without enough evidence",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the review lead can agree an unsupported finding.",
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )


class ChallengeForm(GovukForm):
    text = forms.CharField(
        label="Your challenge",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What evidence would change the team's mind, or what is missing?",
        error_messages={
            "required": "Enter your challenge",
            "max_length": "The challenge must be 2,000 characters or fewer",
        },
    )


class ResolveForm(GovukForm):
    resolution = forms.CharField(
        label="How the team resolved the challenge",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter how the team resolved the challenge",
            "max_length": "The resolution must be 2,000 characters or fewer",
        },
    )


class KitForm(GovukForm):
    draft = forms.CharField(
        label="Summary for the sponsor",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Emerging themes only. Do not say who said what or name any person or case.",
        error_messages={"max_length": "The summary must be 10,000 characters or fewer"},
    )


class ReportForm(GovukForm):
    """A text box for each section of the review type's report that carries the team's wording."""

    def __init__(self, review, *args, **kwargs):
        self.specs = editable_sections(review)
        # The fields exist before GovukForm's __init__, so they get the GOV.UK classes like any declared field.
        self.base_fields = {
            f"section_{spec.key}": forms.CharField(
                label=spec.heading,
                required=False,
                max_length=20000,
                help_text=spec.hint or "Leave a blank line between paragraphs.",
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={"max_length": f"{spec.heading} must be 20,000 characters or fewer"},
            )
            for spec in self.specs
        }
        super().__init__(*args, **kwargs)

    def sections(self) -> dict[str, str]:
        return {spec.key: self.cleaned_data[f"section_{spec.key}"] for spec in self.specs}


class CommentForm(GovukForm):
    section = forms.ChoiceField(
        label="Section",
        error_messages={"required": "Choose the section", "invalid_choice": "Choose a section of this report"},
    )
    text = forms.CharField(
        label="Comment on factual accuracy",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter your comment",
            "max_length": "The comment must be 4,000 characters or fewer",
        },
    )

    def __init__(self, review, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(spec.key, spec.heading) for spec in report_sections(review)]
        self.fields["section"].choices = [("", "Choose a section"), *choices]


class QuickSelect(forms.Select):
    """A select rendered in Python: the same HTML as Django's template, without one template per option (the
    search page has four selects on every request)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class SearchForm(GovukForm):
    q = forms.CharField(label="Search evidence and findings", required=False, max_length=200)
    line = forms.TypedChoiceField(
        label="Line of enquiry", required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    source_type = forms.ChoiceField(
        label="Source", required=False, choices=[("", "Any source"), *SourceType.choices], widget=QuickSelect
    )
    peer = forms.TypedChoiceField(label="Peer", required=False, coerce=int, empty_value=None, widget=QuickSelect)
    day = forms.DateField(
        label="Day", required=False, widget=forms.DateInput(), error_messages={"invalid": "Enter a real date"}
    )
    leaning = forms.ChoiceField(
        label="Leaning", required=False, choices=[("", "Any leaning"), *Leaning.choices], widget=QuickSelect
    )

    def __init__(self, review, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "Any line"), *_line_choices(review)]
        peers = review.memberships.active().filter(role__in=[Role.PCM, Role.LEAD, Role.OBSERVER, Role.PEER])
        self.fields["peer"].choices = [("", "Anyone")] + [
            (m.user_id, m.user.full_name) for m in peers.select_related("user")
        ]
        for name in ("line", "peer"):
            self.fields[name].error_messages["invalid_choice"] = "Choose an option from the list"
