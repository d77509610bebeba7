"""The notification settings form: one choice of delivery per group."""
from wtforms import SelectField

from network.core.forms import BaseForm
from network.notifications.kinds import DELIVERIES, GROUPS


class NotificationSettingsForm(BaseForm):
    """Fields are named after the groups in ``kinds.GROUPS`` (added below)."""

    def choices(self) -> dict[str, str]:
        return {group: self[group].data for group in GROUPS}


for _group, (_label, _kinds, _default) in GROUPS.items():
    setattr(NotificationSettingsForm, _group,
            SelectField(_label, choices=list(DELIVERIES.items()), default=_default))
