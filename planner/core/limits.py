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
# keep the whole text).
TABLE_CELL_CHARS = 300

# Files received from other teams (roster import, import checklist). A 5,000-contact roster is
# about 0.3 MB as a workbook, its sheet about 3 MB unpacked (deflated 14:1), and 1 MB as CSV.
MiB = 1024 * 1024


def megabytes(size: int) -> str:
    """A size as messages give it: MB with at most one decimal (10, 8.5)."""
    return f"{size / MiB:.1f}".removesuffix(".0")


# A workbook or CSV file as it is on disk.
MAX_IMPORT_FILE_BYTES = 10 * MiB
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
# the worksheet it streams) together: they become Python objects of about 30 times their size.
MAX_PARSED_BYTES = 6 * MiB
# The cells of the worksheet read, empty ones of its rows included (5,000 rows of 50 columns);
# an empty row counts as one (its reader takes as long over it as over a cell).
MAX_SHEET_CELLS = 250_000
