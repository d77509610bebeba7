"""Events: meetings a network runs, who is going, and calendar files (issue 13)."""
