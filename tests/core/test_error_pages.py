"""Error pages keep the site around them: a 404 (what permission refusals look like) has the
header, search and one <main> with one <h1>, and says nothing about what might be there."""

from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.test import Client


class _Count(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}

    def handle_starttag(self, tag, attrs) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1


def _count(html: str) -> dict[str, int]:
    parser = _Count()
    parser.feed(html)
    return parser.tags


def test_a_refused_profile_is_a_404_page_inside_the_site(ann, cat, client_for):
    from confab.accounts import actions

    actions.block(ann, cat)
    page = client_for(cat).get("/@ann")
    assert page.status_code == 404
    html = page.content.decode()
    tags = _count(html)
    assert (tags.get("main"), tags.get("h1")) == (1, 1)
    assert 'role="search"' in html and "Your profile (@cat)" in html
    assert "Ann" not in html


def test_a_missing_page_signed_out_is_the_same_page(db):
    page = Client().get("/@nobody")
    assert page.status_code == 404
    assert _count(page.content.decode()).get("main") == 1
    assert "Not found" in page.content.decode()


def test_the_server_error_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")
    tags = _count(html)
    assert (tags.get("main"), tags.get("h1")) == (1, 1)
