"""The page frame's template tags."""

from django.template import Context, Template
from django.urls import reverse, set_script_prefix


def render(source: str) -> str:
    return Template("{% load site %}" + source).render(Context())


def test_link_reverses_like_the_url_tag():
    assert render("{% link 'local' %}") == reverse("local")
    assert render("{% link 'curation:kits' %}") == reverse("curation:kits")


def test_link_follows_the_script_prefix():
    set_script_prefix("/confab/")
    try:
        assert render("{% link 'local' %}") == reverse("local") == "/confab/local"
    finally:
        set_script_prefix("/")
    assert render("{% link 'local' %}") == "/local"
