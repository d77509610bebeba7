"""Network libraries: documents in folders, their versions, and safe files (issue 13)."""
