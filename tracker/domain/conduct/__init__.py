"""The rule books' conduct rules beyond the 30-minute answer: flooding, ads, links, banned
words, posting hours; and the warnings ledger they feed. Pure: no I/O, times come in."""
