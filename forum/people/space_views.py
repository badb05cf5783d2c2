"""The member's own space (/me/): what they asked (anonymous questions included), answered and
follow. Each page shows the signed-in member's own rows only: no URL names a member, so there
is no one else's list to ask for; the pages are never cached."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import selectors


@never_cache
@login_required
@require_safe
def me(request):
    return render(request, "people/me.html")


@never_cache
@login_required
@require_safe
def my_questions(request):
    page = selectors.my_questions(request.user, page=request.GET.get("page", 1))
    return render(request, "people/my_questions.html", {"page": page})


@never_cache
@login_required
@require_safe
def my_answers(request):
    page = selectors.my_answers(request.user, page=request.GET.get("page", 1))
    return render(request, "people/my_answers.html", {"page": page})


@never_cache
@login_required
@require_safe
def following(request):
    page = selectors.my_follows(request.user, page=request.GET.get("page", 1))
    return render(request, "people/following.html", {"page": page})
