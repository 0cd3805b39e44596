"""Search: one box for people, posts, hashtags and chats, on SQLite FTS5 or PostgreSQL."""
