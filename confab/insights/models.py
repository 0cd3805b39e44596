"""Scheduled posts and insights."""
