"""The mark and the favicon set (scripts/make_icons.py): every file a browser or phone asks for
exists at its size, the pages link them, and /favicon.ico leads to the .ico."""

import json
import mimetypes
from pathlib import Path

import pytest
from django.templatetags.static import static
from PIL import Image

STATIC = Path(__file__).resolve().parents[2] / "static"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "size", "kind"),
    [
        ("favicon.ico", (32, 32), "ICO"),
        ("icons/apple-touch-icon.png", (180, 180), "PNG"),
        ("icons/icon-192.png", (192, 192), "PNG"),
        ("icons/icon-512.png", (512, 512), "PNG"),
    ],
)
def test_it_has_each_icon_at_its_size(name, size, kind):
    with Image.open(STATIC / name) as image:
        assert (image.format, image.size) == (kind, size)
    assert (STATIC / name).stat().st_size < 20_000


def test_it_describes_the_app_in_a_web_manifest_whose_icons_exist():
    manifest = json.loads((STATIC / "site.webmanifest").read_text())
    assert manifest["name"] == "Ask Freely" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert (STATIC / icon["src"]).is_file()


def test_it_draws_the_mark_in_the_scheme_of_the_page():
    svg = (STATIC / "favicon.svg").read_text()
    assert "prefers-color-scheme:dark" in svg.replace(" ", "")
    mark = (STATIC.parent / "templates" / "includes" / "mark.svg").read_text()
    assert 'fill="currentColor"' in mark and 'aria-hidden="true"' in mark


def test_it_sends_favicon_ico_to_the_ico(visitor):
    response = visitor.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == static("favicon.ico")


def test_it_links_the_icons_and_shows_the_mark_beside_the_name(visitor):
    html = visitor.get("/").content.decode()
    for name in ("favicon.ico", "favicon.svg", "icons/apple-touch-icon.png", "site.webmanifest"):
        assert f'href="{static(name)}"' in html, name
    brand = html[html.index('class="brand"') :][:1200]
    assert 'class="brand-mark"' in brand and "<span>Ask Freely</span>" in brand


def test_it_serves_the_web_manifest_as_one():
    assert mimetypes.guess_type("site.webmanifest")[0] == "application/manifest+json"
