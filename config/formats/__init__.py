"""Date formats per language (FORMAT_MODULE_PATH): each language's own long, unambiguous form.

Weekdays and months are written in full ("mar" is Tuesday in French but March in Spanish;
27/09 and 09/27 are read differently around the world). Times are 24-hour.
"""
