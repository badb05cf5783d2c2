"""Routed only when FORUM_BENCH=1 (forum/urls.py): scripts/bench.py's no-op ceiling."""

from django.urls import path

from . import views

urlpatterns = [path("bench/noop", views.noop)]
