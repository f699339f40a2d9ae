"""The campaign's rules and records: awards from test scores, the survey tally and its report, the
certificate ledger, signing and verification."""
