"""Importing providers' spreadsheets: read a file into rows, decide each row, report every row.

One module per job:
- `reading` turns a file (.xlsx/.xls/.xlsb/.ods through python-calamine, .csv by hand) into a
  `Table`: the header row found below any title rows, the data rows numbered as a spreadsheet
  shows them; `columns` holds the fields each kind of import knows and their Dutch and English
  header synonyms; `cells` cleans the values providers send.
- `reasons`: what became of a row (`Outcome`) and why (`Reason`), the report's stable slugs.
- Attendance lists: `index` (the register loaded into memory once), `matching` (which coach a
  row means), `deciding` (each row's outcome), `writing` (batch, import rows, history through
  `db`), with `attendance` running them a chunk at a time (`background`: the writes on a thread
  of their own) and `pipeline` every file of a command.
- The agenda and coaches sheets: `agenda_import` and `coach_import`, sharing `sheets`.
- After an import: `batches` (list, show, review, resolve, undo); `report` the per-row report and
  its rendering.
Whole-file problems raise `InputFileError`; row problems go into the report with a reason.
"""
