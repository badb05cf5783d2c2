from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from forum.core import views as core
from forum.questions import views as question_views

urlpatterns = [
    path("", question_views.home, name="home"),
    path("", include("forum.questions.urls")),
    path("", include("forum.moderation.urls")),
    path("markdownx/markdownify/", core.markdown_preview, name="markdown_preview"),
    path("about/", core.page, {"template": "pages/about.html"}, name="about"),
    path("guidelines/", core.page, {"template": "pages/guidelines.html"}, name="guidelines"),
    path("privacy/", core.page, {"template": "pages/privacy.html"}, name="privacy"),
    path("healthz", core.healthz, name="healthz"),
    path("robots.txt", core.robots_txt, name="robots_txt"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG and "debug_toolbar" in settings.INSTALLED_APPS:
    urlpatterns += [path("__debug__/", include("debug_toolbar.urls"))]

handler403 = "forum.core.views.error_403"
handler404 = "forum.core.views.error_404"
handler500 = "forum.core.views.error_500"
