"""Template helpers for a thread's <head>: its plain-text summary and its schema.org JSON-LD."""

from django import template
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from forum.questions import seo

register = template.Library()

_JSON_SCRIPT_OPEN = '<script id="qa-jsonld" type="application/json">'
_LD_JSON_OPEN = '<script type="application/ld+json" id="qa-jsonld">'


@register.filter
def summary(question, limit=200):
    """Plain text (the template escapes it): the start of the body, or only the content warning."""
    return seo.question_text(question, limit=int(limit))


@register.simple_tag(takes_context=True)
def qa_jsonld(context, question, answers):
    """<script type="application/ld+json" id="qa-jsonld"> for a published thread.

    Django's json_script escapes <, > and & inside the JSON, so no post can close the script
    element; search engines need the ld+json type, which browsers never execute.
    """
    url = context["request"].build_absolute_uri(question.get_absolute_url())
    script = json_script(seo.qa_page(question, answers, url=url), "qa-jsonld")
    if not script.startswith(_JSON_SCRIPT_OPEN):
        raise ValueError("django.utils.html.json_script changed its output; update qa_jsonld.")
    return mark_safe(_LD_JSON_OPEN + script.removeprefix(_JSON_SCRIPT_OPEN))  # noqa: S308 - json_script escaped it
