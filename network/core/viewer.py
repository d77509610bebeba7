"""Who is asking: the one place views get the signed-in person from."""
from flask_login import current_user


def viewer():
    """The signed-in person (or the anonymous user) itself, not Flask-Login's proxy:
    policy functions read it dozens of times per page."""
    return current_user._get_current_object()
