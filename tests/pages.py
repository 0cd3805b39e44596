"""Helpers for reading what a page holds."""

from confab.posts.models import Post


def post_texts(items) -> list[str]:
    """What the authors typed, for the posts (or loaded cards) of a page, in its order."""
    ids = [item.id for item in items]
    texts = dict(Post.objects.filter(pk__in=ids).values_list("id", "text"))
    return [texts[pk] for pk in ids]
