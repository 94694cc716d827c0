"""The limits on what users type and send, in one place (the README's "Errors" section lists
them). Each sits well above what a real shop reaches and below what breaks something: a
spreadsheet cell holds 32,767 characters, a terminal table must print in well under a second.
"""

from __future__ import annotations

# Free text: a complaint's summary, a note on a check-off, a reply, a solution.
MAX_TEXT_CHARS = 4_000
# One name or reference: a person, a buyer, an order number, a product, an id.
MAX_NAME_CHARS = 200
# A roster is the people of one shop's service team and its escalation chain.
MAX_CONTACTS = 5_000
# A table cell on a terminal shows at most this many characters, then "…" (show and JSON
# keep the whole text): every name shows whole, free text its first few lines in its column,
# and a table of long values prints as quickly as one of short ones.
TABLE_CELL_CHARS = MAX_NAME_CHARS
# A card of one record (complaint show, triage) or the playbook shows a value whole up to this
# many characters, far more than any field takes at entry: only a damaged or hand-made record
# holds more, and its card then stays as quick as any (the JSON keeps it all). A spreadsheet
# cell's limit.
CARD_CELL_CHARS = 32_767
# A shop's own YAML files (shop, policy, holidays) are a few kilobytes; roster.yaml with
# MAX_CONTACTS contacts, every field filled, about 1.3 MB (`roster import` writes none
# larger than its limit, so a saved roster can always be read back). Parsing YAML costs
# about 1.5-2.5 s and 80 MB per megabyte: these bound a hostile file's cost too.
MAX_YAML_BYTES = 1 << 20
MAX_ROSTER_BYTES = 2 << 20

# Files received from other teams (roster import, import checklist). A 5,000-contact roster is
# about 0.3 MB as a workbook, its sheet about 3 MB unpacked (deflated 14:1), and 1 MB as CSV.
MiB = 1024 * 1024
# A workbook or CSV file as it is on disk (a roster at its limit of contacts, every usual
# column filled, takes about a megabyte).
MAX_IMPORT_FILE_BYTES = 16 * MiB
# A shop's own exports read by the audits, as CSV (streamed: memory stays flat): 100,000
# listings with a 500-character description each are about 150 MB.
MAX_AUDIT_FILE_BYTES = 256 * MiB
# The parts (zip members) of a workbook: a real one has 10 to 40.
MAX_WORKBOOK_PARTS = 1_000
# One part unpacked (the biggest in a real workbook is its worksheet), and all parts together.
MAX_PART_BYTES = 8 * MiB
MAX_UNPACKED_BYTES = 32 * MiB
# Unpacked size over packed size of a part of more than RATIO_FROM_BYTES: XML deflates 5 to
# 20 times, a zip bomb hundreds or thousands of times.
MAX_PACKING_RATIO = 100
RATIO_FROM_BYTES = 1 * MiB
# The parts openpyxl reads whole (shared strings, styles, the workbook, relations: all but
# the worksheet it streams) together: they become Python objects of up to 35 times their size,
# at up to 2 s a MB (styles). A 5,000-contact roster's shared strings are 1 to 2 MB.
MAX_PARSED_BYTES = 3 * MiB
# The XML elements of the worksheet read (a cell is two or three; 5,000 rows of 20 columns
# are about 300,000): openpyxl keeps those it does not know in memory, some 370 bytes each.
MAX_SHEET_ELEMENTS = 400_000
# The cells of the worksheet read, empty ones of its rows included (5,000 rows of 50 columns);
# an empty row counts as one (its reader takes as long over it as over a cell).
MAX_SHEET_CELLS = 250_000
