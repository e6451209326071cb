"""GOV.UK form rendering: a project form renderer plus form base classes that set the Design System classes."""

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


# (widget type, base class, error class); the first match wins, so subclasses come first.
_WIDGETS = [
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input", ""),
    (forms.RadioSelect, "govuk-radios__input", ""),
    (forms.CheckboxInput, "govuk-checkboxes__input", ""),
    (forms.Textarea, "govuk-textarea", "govuk-textarea--error"),
    (forms.SelectMultiple, "govuk-select", "govuk-select--error"),
    (forms.Select, "govuk-select", "govuk-select--error"),
    (forms.FileInput, "govuk-file-upload", "govuk-file-upload--error"),
    (forms.Widget, "govuk-input", "govuk-input--error"),
]


def _kind(widget):
    return next(row for row in _WIDGETS if isinstance(widget, row[0]))


# The largest id a database column holds; SQLite cannot even bind a bigger integer (OverflowError).
MAX_ID = 2**63 - 1


def _refuse_huge_ids(field: forms.ModelChoiceField) -> None:
    """Answer "Select a valid choice" for an id beyond any column's range, instead of a server error."""
    clean = field.clean

    def guarded(value):
        for v in value if isinstance(value, list | tuple) else [value]:
            try:
                n = int(str(v).strip())
            except (TypeError, ValueError):
                continue
            if abs(n) > MAX_ID:
                key = "invalid_choice"
                raise forms.ValidationError(field.error_messages[key], code=key, params={"value": v})
        return clean(value)

    field.clean = guarded


def _style(name: str, field: forms.Field) -> None:
    """Set the Design System classes on a field's widget, once (fields added after __init__ get them late)."""
    widget = field.widget
    if getattr(widget, "_govuk_styled", False):
        return
    widget._govuk_styled = True
    if isinstance(field, forms.ModelChoiceField):
        _refuse_huge_ids(field)
    _, css, _ = _kind(widget)
    widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
    if isinstance(widget, forms.DateInput):
        widget.input_type = "date"
        widget.format = "%Y-%m-%d"
    if isinstance(widget, forms.EmailInput):
        # Most email fields here are someone else's address; sign-in forms set "email" themselves.
        widget.attrs.setdefault("autocomplete", "off")
    if field.help_text:
        widget.attrs["aria-describedby"] = f"id_{name}-hint"


class GovukFormMixin:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            _style(name, field)

    def __getitem__(self, name):
        if name in self.fields:
            _style(name, self.fields[name])
        return super().__getitem__(name)

    def full_clean(self):
        for name, field in self.fields.items():
            _style(name, field)
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            _, _, error_css = _kind(widget)
            if error_css and error_css not in widget.attrs["class"]:
                widget.attrs["class"] += f" {error_css}"
            widget.attrs["aria-describedby"] = f"{widget.attrs.get('aria-describedby', '')} id_{name}-error".strip()


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
