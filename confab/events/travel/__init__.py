"""Trips and meetups: telling connections where you will be, and meeting a few of them."""
