from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from forum.moderation.canned import picked_text
from forum.moderation.models import Flag, ModerationAction, SourceBlock, Suspension, WatchedWord
from forum.questions.models import MAX_TAGS, SUPPORT_NOTE_MAX, Tag


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What's wrong with this post?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a reason.")},
    )
    note = forms.CharField(
        label=_("Anything the moderators should know? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required if you chose “Something else”. Don't include personal details."),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Flag.Reason.OTHER and not data.get("note", "").strip():
            self.add_error("note", gettext("Please tell the moderators what is wrong."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False, widget=forms.TextInput)
    # A canned reason picked without JavaScript: its text is used when `reason` is left empty.
    canned = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def reason_text(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("reason", "") or picked_text(data.get("canned"))


class SuspendForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=Suspension.DAYS[0], max_value=Suspension.DAYS[1], initial=7)
    reason = forms.CharField(label=_("Reason (the member sees it)"), max_length=2000)


class BlockForm(forms.Form):
    hours = forms.TypedChoiceField(
        label=_("Block for"), coerce=int, choices=SourceBlock.LENGTHS, initial=SourceBlock.LENGTHS[0][0]
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class DuplicateForm(forms.Form):
    duplicate_of = forms.IntegerField(
        label=_("The original question"), min_value=1, error_messages={"required": _("Choose the original question.")}
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)
    canned = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class RetagForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Tag.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=format_lazy(_("Choose 1 to {most}, as when asking."), most=MAX_TAGS),
        error_messages={
            "required": _("Choose at least one topic."),
            "invalid_choice": _("Choose topics from the list."),
        },
    )
    reason = forms.CharField(label=_("Reason (optional; needed to leave a topic with crisis resources)"),
                             max_length=2000, required=False)  # fmt: skip
    canned = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(gettext("Choose at most %(most)s topics.") % {"most": MAX_TAGS})
        return tags


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20_000)
    reason = forms.CharField(label=_("Reason for the edit"), max_length=2000)


class WatchedWordForm(forms.Form):
    phrase = forms.CharField(label=_("Word or phrase"), max_length=100)
    action = forms.ChoiceField(label=_("What it does"), choices=WatchedWord.Action.choices)


class LogFilterForm(forms.Form):
    moderator = forms.CharField(required=False, label=_("Moderator"))
    kind = forms.ChoiceField(required=False, label=_("Action"), choices=[("", _("Any action"))])
    since = forms.DateField(
        required=False, label=pgettext_lazy("dates", "From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label=pgettext_lazy("dates", "To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any action")), *ModerationAction.Kind.choices]


class SupportNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Your note to the asker"),
        max_length=SUPPORT_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Shown on the asker's private page, signed “the moderators” (never your name), and emailed to "
            "them if they left an address. Short inline markdown: *emphasis*, **bold**, links."
        ),
    )
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)
