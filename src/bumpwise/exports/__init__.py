"""Exports: the weekly summary, its charts, printable PDFs, iCalendar files and CSV/JSON of logs.

Every module here is free of web and database imports, so the CLI, the web app and the API all
call the same functions. The heavy libraries (WeasyPrint, pygal, icalendar) are imported inside
the functions that need them.
"""
