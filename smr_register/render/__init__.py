"""Everything the tool prints or writes for people and scripts: the render layer.

Features build data; render turns it into a table on screen, JSON, CSV or a workbook. A command
describes its output once as a `Rendering` (model.py) and hands it to `registry.emit` with the
format chosen by `--format`; `registry.FORMATTERS` maps each `OutputFormat` (formats.py) to the
one function that writes it, so a new format is one function and one entry there. The rest:
cells.py (a `Column`, and a value as text, JSON or CSV), console.py (stdout/stderr, rich tables),
files.py (the atomic file writer), workbook.py (xlsx), and one module per feature (audit and
audit_json, stats, dossier, reports, imports).
"""
