from django import forms
from django.core.validators import URLValidator

from accounts.models import ExpertProfile
from forum.questions.models import Tag


class ExpertApplicationForm(forms.ModelForm):
    website = forms.URLField(
        label="Public website",
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="A page where your registration can be checked.",
    )
    areas = forms.ModelMultipleChoiceField(
        label="Areas of practice",
        queryset=Tag.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one area of practice."},
    )

    class Meta:
        model = ExpertProfile
        fields = ["title", "credentials", "licence_number", "licence_body", "jurisdiction", "website", "bio", "areas"]
        widgets = {"credentials": forms.Textarea(attrs={"rows": 4}), "bio": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "title": {"required": "Please give your professional title."},
            "credentials": {"required": "Please list your credentials and qualifications."},
            "licence_number": {"required": "Please give your registration or licence number."},
            "licence_body": {"required": "Please name the body that issued it."},
            "jurisdiction": {"required": "Please say where you are registered."},
        }
