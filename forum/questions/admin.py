from django import forms
from django.contrib import admin, messages
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum.core import effects
from forum.core.admin import StrictModelAdmin
from forum.core.pagecache import EVERYTHING

from . import services, synonyms
from .models import Question, SearchSynonym, Tag


@admin.register(Tag)
class TagAdmin(StrictModelAdmin):
    list_display = ("name", "slug", "is_sensitive", "question_count")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("question_count",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        effects.pages_changed(EVERYTHING)  # a topic's name and sensitivity show on lists and threads

    def has_delete_permission(self, request, obj=None):
        # Only an unused topic: deleting one in use would leave questions without their topics.
        return obj is not None and obj.question_count == 0 and not obj.questions.exists()


@admin.register(Question)
class QuestionAdmin(StrictModelAdmin):
    list_display = ("title", "status", "answer_count", "score", "created_at")
    list_filter = ("status", "tags")
    search_fields = ("title",)
    # The stored author of an anonymous question is shown only through the moderators' audited reveal.
    # When the private link was emailed: with a mail server's logs it would tie an address to the question.
    exclude = (
        "author",
        "key_hash",
        "submission_hash",
        "source_hash",
        "body_html",
        "search_vector",
        "key_link_emailed_at",
    )
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        # Content changes go through the services (which re-render and re-sanitize), not the admin form.
        return [f.name for f in Question._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request):
        return False  # questions are asked on the site, through the service

    def has_delete_permission(self, request, obj=None):
        # Askers and moderators delete through the services, which keep the counters, the search
        # index and the log right; a row deleted here would also take with it the question a
        # suspension points to, and the confirmation page would list who was notified about it.
        return False

    @admin.action(description=_("Publish the selected pending questions"), permissions=["change"])
    def publish(self, request, queryset):
        done = 0
        for question in queryset:
            try:
                services.question_publish(question=question)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"“{question}”: {error.messages[0]}", messages.WARNING)
        self.message_user(
            request, ngettext("Published %(count)s question.", "Published %(count)s questions.", done) % {"count": done}
        )


class SearchSynonymForm(forms.ModelForm):
    terms = SimpleArrayField(
        forms.CharField(max_length=synonyms.TERM_MAX, required=False),  # blank lines are dropped
        delimiter="\n",
        label=_("Words and phrases"),
        help_text=_("One per line, as people would type them (2 to 12, letters and spaces)."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    class Meta:
        model = SearchSynonym
        fields = ("language", "terms")

    def clean_terms(self) -> list[str]:
        terms = list(dict.fromkeys(" ".join(term.split()) for term in self.cleaned_data["terms"] if term.strip()))
        if not synonyms.MIN_TERMS <= len(terms) <= synonyms.MAX_TERMS:
            raise ValidationError(_("Give between 2 and 12 words or phrases, one per line."))
        bad = [term for term in terms if not synonyms.valid_term(term)]
        if bad:
            raise ValidationError(
                _("Only letters, with spaces, hyphens or apostrophes between words (and never “or”): %(terms)s"),
                params={"terms": ", ".join(bad)},
            )
        return terms


@admin.register(SearchSynonym)
class SearchSynonymAdmin(StrictModelAdmin):
    """Groups of words that mean the same in search (forum/questions/synonyms.py). A search
    page shows a change within a minute (each process reads the groups again after TTL)."""

    form = SearchSynonymForm
    list_display = ("__str__", "language", "updated_at")
    list_filter = ("language",)
