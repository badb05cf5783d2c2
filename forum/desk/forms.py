from django import forms

from forum.moderation.canned import picked_text
from forum.moderation.models import Flag, ModerationAction, SourceBlock, Suspension, WatchedWord
from forum.questions.models import MAX_TAGS, SUPPORT_NOTE_MAX, Tag


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What's wrong with this post?",
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose a reason."},
    )
    note = forms.CharField(
        label="Anything the moderators should know? (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required if you chose “Something else”. Don't include personal details.",
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Flag.Reason.OTHER and not data.get("note", "").strip():
            self.add_error("note", "Please tell the moderators what is wrong.")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=2000, required=False, widget=forms.TextInput)
    # A canned reason picked without JavaScript: its text is used when `reason` is left empty.
    canned = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def reason_text(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("reason", "") or picked_text(data.get("canned"))


class SuspendForm(forms.Form):
    days = forms.IntegerField(label="Days", min_value=Suspension.DAYS[0], max_value=Suspension.DAYS[1], initial=7)
    reason = forms.CharField(label="Reason (the member sees it)", max_length=2000)


class BlockForm(forms.Form):
    hours = forms.TypedChoiceField(
        label="Block for", coerce=int, choices=SourceBlock.LENGTHS, initial=SourceBlock.LENGTHS[0][0]
    )
    reason = forms.CharField(label="Reason", max_length=2000)


class DuplicateForm(forms.Form):
    duplicate_of = forms.IntegerField(
        label="The original question", min_value=1, error_messages={"required": "Choose the original question."}
    )
    reason = forms.CharField(label="Reason", max_length=2000, required=False)
    canned = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class RetagForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        label="Topics",
        queryset=Tag.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=f"Choose 1 to {MAX_TAGS}, as when asking.",
        error_messages={"required": "Choose at least one topic.", "invalid_choice": "Choose topics from the list."},
    )
    reason = forms.CharField(label="Reason (optional; needed to leave a topic with crisis resources)",
                             max_length=2000, required=False)  # fmt: skip
    canned = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"Choose at most {MAX_TAGS} topics.")
        return tags


class EditForm(forms.Form):
    title = forms.CharField(label="Title", max_length=150, required=False)
    body = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 10}), max_length=20_000)
    reason = forms.CharField(label="Reason for the edit", max_length=2000)


class WatchedWordForm(forms.Form):
    phrase = forms.CharField(label="Word or phrase", max_length=100)
    action = forms.ChoiceField(label="What it does", choices=WatchedWord.Action.choices)


class LogFilterForm(forms.Form):
    moderator = forms.CharField(required=False, label="Moderator")
    kind = forms.ChoiceField(required=False, label="Action", choices=[("", "Any action")])
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Any action"), *ModerationAction.Kind.choices]


class SupportNoteForm(forms.Form):
    body = forms.CharField(
        label="Your note to the asker",
        max_length=SUPPORT_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "Shown on the asker's private page, signed “the moderators” (never your name), and emailed to "
            "them if they left an address. Short inline markdown: *emphasis*, **bold**, links."
        ),
    )
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)
