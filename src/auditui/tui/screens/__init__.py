"""Screens: the queue of reports, the review of one report, and the modal dialogs."""
