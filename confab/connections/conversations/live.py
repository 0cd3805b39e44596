"""What a conversations stream sends to its reader (used by confab.realtime.views).

Events reach `conversations:<account>` only for the people a post is addressed to; this
checks once more against the reader's current relations, so a block made while the stream
is open stops delivery at once.
"""

from confab.posts.visibility import Relations, sees

EVENTS = {"message", "message_update", "message_delete", "read"}


def outgoing(relations: Relations, data: dict) -> dict | None:
    """Return the event's data for this reader, or None when it is not theirs to see."""
    facts = data.get("facts")
    if facts is not None and not sees(relations, facts, feed=False):
        return None
    return {key: value for key, value in data.items() if key != "facts"}
