from django import forms

from peerreview.core.forms import GovukForm
from peerreview.councils.models import REGIONS
from peerreview.policy.library import library

from .models import ROLE_CHOICES, HostDecision


class PoolSearchForm(GovukForm):
    q = forms.CharField(label="Name, organisation or email", required=False, max_length=100)
    role = forms.ChoiceField(label="Role", required=False, choices=[("", "Any role"), *ROLE_CHOICES])
    specialism = forms.ChoiceField(label="Specialism", required=False)
    region = forms.ChoiceField(label="Region", required=False, choices=[("", "Any region")] + [(r, r) for r in REGIONS])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialism"].choices = [("", "Any specialism")] + [
            (t["code"], t["title"]) for t in library()["themes"]
        ]


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Upload a CSV or XLSX file",
        help_text="One row per peer. Columns: email, full_name, organisation, role, and optionally the others in the export.",
        error_messages={"required": "Choose a CSV or XLSX file", "empty": "The file is empty; choose another file"},
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or XLSX file")
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file must be smaller than 5 MB")
        return f


class SolveForm(GovukForm):
    same_region_conflict = forms.BooleanField(
        label="Also rule out peers from the host council's region", required=False
    )


class PinForm(GovukForm):
    email = forms.EmailField(
        label="Email address of a person in the pool",
        error_messages={
            "required": "Enter the email address of a person in the peer pool",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class HostDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Are you content with the proposed team?",
        choices=[
            (HostDecision.Decision.ACCEPTED, "Yes, accept the team"),
            (HostDecision.Decision.CHANGE, "No, ask for a change"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you accept the team"},
    )
    reason = forms.CharField(
        label="What would you like changed, and why?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == HostDecision.Decision.CHANGE and not data.get("reason", "").strip():
            self.add_error("reason", "Say what you would like changed and why")
        return data


class RespondForm(GovukForm):
    answer = forms.ChoiceField(
        label="Can you join the team?",
        choices=[("accept", "Yes, I accept"), ("decline", "No, I cannot take part")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you accept the invitation"},
    )
    reason = forms.CharField(
        label="Reason for declining (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TriadForm(GovukForm):
    region = forms.ChoiceField(
        label="Region",
        choices=[("", "Choose a region")] + [(r, r) for r in REGIONS],
        error_messages={"required": "Choose the region"},
    )
    last_year = forms.CharField(
        label="Last year's triads (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One triad a line as host, lead, observer council codes, for example: leeds, york, wakefield",
    )
    conflicts = forms.CharField(
        label="Councils that must not meet (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One pair a line, for example: leeds, bradford",
    )

    def councils(self) -> list[str]:
        from peerreview.councils.models import Organisation

        return list(
            Organisation.objects.filter(
                kind=Organisation.Kind.COUNCIL, region=self.cleaned_data.get("region", ""), is_fictional=False
            ).values_list("code", flat=True)
        )

    def _lines(self, name: str, size: int) -> list[tuple]:
        out, councils = [], set(self.councils())
        for n, line in enumerate(self.cleaned_data.get(name, "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip().lower() for p in line.split(",")]
            if len(parts) != size or len(set(parts)) != size:
                raise forms.ValidationError(f"Line {n} must list {size} different council codes separated by commas")
            return_bad = [p for p in parts if p not in councils]
            if return_bad:
                raise forms.ValidationError(f"Line {n}: {', '.join(return_bad)} is not a council in this region")
            out.append(tuple(parts))
        return out

    def clean_last_year(self):
        return self._lines("last_year", 3)

    def clean_conflicts(self):
        return self._lines("conflicts", 2)
