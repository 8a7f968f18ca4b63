"""Widgets of the review screen: the source text, the grid of one part, the findings list, the part tabs, the
source search box, the footer and one-line text."""
