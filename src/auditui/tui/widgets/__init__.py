"""Widgets of the review screen: the source text, the grid of one part, the findings list."""
