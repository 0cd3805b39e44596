"""`{% post_card post %}` and `{% post_actions shown %}`: the Python-rendered post card."""

from django import template

from confab.posts.cards import CardContext, render_actions, render_card

register = template.Library()


def _card_context(context) -> CardContext:
    # One page renders many cards: work out the page's part once per render.
    cache = context.render_context
    card = cache.get(CardContext)
    if card is None:
        card = cache[CardContext] = CardContext.from_template(context)
    return card


@register.simple_tag(takes_context=True)
def post_card(context, post, focused=False, depth=0):
    return render_card(post, _card_context(context), focused=bool(focused), depth=depth or 0)


@register.simple_tag(takes_context=True)
def post_actions(context, shown, error=""):
    return render_actions(shown, _card_context(context), error=error or "")
