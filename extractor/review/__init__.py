"""Spot-checking: review decisions on findings, the review web app, the static review page
and the working-paper export. Importing this package stays light (no Flask, no store): the
command table of `jixiao --help` is declared from here."""

NOTE_MAX_CHARS = 2000  # a note is a working-paper remark, not a document (the command help says so too)
