import os

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from forum.core import views as core
from forum.people import language_views
from forum.questions import views as question_views
from forum.questions.sitemaps import SITEMAPS

urlpatterns = [
    path("", question_views.home, name="home"),
    path("", include("forum.questions.urls")),
    path("", include("forum.desk.urls")),
    path("", include("forum.people.urls")),
    path("markdownx/markdownify/", core.markdown_preview, name="markdown_preview"),
    path("about/", core.page, {"template": "pages/about.html"}, name="about"),
    path("guidelines/", core.page, {"template": "pages/guidelines.html"}, name="guidelines"),
    path("privacy/", core.page, {"template": "pages/privacy.html"}, name="privacy"),
    path("language/", language_views.set_language, name="set_language"),  # core's switcher + the member's choice
    path("jsi18n/<str:language>.js", core.javascript_catalog, name="javascript_catalog"),
    path("healthz", core.healthz, name="healthz"),
    path("robots.txt", core.robots_txt, name="robots_txt"),
    path("favicon.ico", core.favicon, name="favicon"),
    # An index of paged sections: one sitemap file may list at most 50,000 addresses.
    path(
        "sitemap.xml",
        require_safe(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        require_safe(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if os.environ.get("FORUM_BENCH") == "1":  # scripts/bench.py: the no-op ceiling
    urlpatterns += [path("", include("forum.devtools.urls"))]

if settings.DEBUG and "debug_toolbar" in settings.INSTALLED_APPS:
    urlpatterns += [path("__debug__/", include("debug_toolbar.urls"))]

handler400 = "forum.core.views.error_400"
handler403 = "forum.core.views.error_403"
handler404 = "forum.core.views.error_404"
handler500 = "forum.core.views.error_500"
