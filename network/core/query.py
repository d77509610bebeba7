"""Small helpers for building queries from what people type."""


def like_pattern(text: str, max_length: int = 100) -> str:
    """A LIKE pattern matching ``text`` anywhere, with % and _ taken literally
    (use with ``escape="\\\\"``)."""
    text = (text or "").strip()[:max_length].lower()
    text = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{text}%"
