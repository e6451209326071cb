from django import forms
from django.conf import settings

from peerreview.core.forms import GovukForm

from .validation import UploadRejected, detect_kind


class UploadForm(GovukForm):
    checklist_code = forms.ChoiceField(
        label="Which document is this?",
        error_messages={
            "required": "Choose which document this is",
            "invalid_choice": "Choose a document from the list",
        },
    )
    title = forms.CharField(
        label="Title (optional)", max_length=200, required=False, help_text="Leave blank to use the checklist name."
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word, Excel, PowerPoint or CSV, up to {mb} MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, review, *args, **kwargs):
        super().__init__(*args, **kwargs)
        items = review.review_type.config.get("documents", [])
        self.fields["checklist_code"].choices = (
            [("", "Choose a document")] + [(d["code"], d["title"]) for d in items] + [("other", "Something else")]
        )
        self.fields["file"].help_text = self.fields["file"].help_text.format(mb=settings.MAX_UPLOAD_MB)
        self.items = {d["code"]: d["title"] for d in items}

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The selected file must be smaller than {settings.MAX_UPLOAD_MB} MB")
        head = f.read(16)
        f.seek(0)
        try:
            self.kind = detect_kind(f.name, head, f)
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from exc
        return f

    def clean(self):
        data = super().clean()
        if data.get("checklist_code") == "other" and not data.get("title"):
            self.add_error("title", "Enter a title for this document")
        return data
