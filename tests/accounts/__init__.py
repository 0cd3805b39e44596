import html


def page_text(response) -> str:
    """Return a page's HTML with entities decoded, so messages read as a person sees them."""
    return html.unescape(response.content.decode())
