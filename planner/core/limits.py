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
