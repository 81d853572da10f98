"""Importing providers' spreadsheets: read a file into rows, decide each row, report every row.

`reading` turns a file (.xlsx/.xls/.xlsb/.ods through python-calamine, .csv by hand) into a
`Table`: the header row found below any title rows, columns recognised by their Dutch or English
names, and the data rows with their row numbers as a spreadsheet shows them. `cells` cleans the
values providers send. `attendance`, `agenda_import` and `coach_import` decide each row and write
through `db.py`; `report` holds the per-row report and renders it. Whole-file problems raise
`InputFileError`; row problems go into the report with a stable reason slug.
"""
