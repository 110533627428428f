"""Reading users' extracts: which file is which table, which column is which contract column, and
how each file writes its text (encoding, delimiter, numbers, dates, nulls). See
docs/decisions/0021-reading-real-extracts.md."""
