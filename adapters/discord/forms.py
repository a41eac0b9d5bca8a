"""The last form shown to each member, so a refused submission can be reopened as it was typed."""

from __future__ import annotations

from collections import OrderedDict

from bot.messages import Form

REMEMBERED_FORMS = 1000


class ShownForms:
    """The last form shown to each member, so a refused submission can be reopened with its
    entries kept (Discord shows no errors inside a modal). Memory only: after a restart the
    member opens the form again from its command."""

    def __init__(self) -> None:
        self._forms: OrderedDict[int, Form] = OrderedDict()

    def shown(self, user_id: int, form: Form) -> None:
        self._forms[user_id] = form
        self._forms.move_to_end(user_id)
        while len(self._forms) > REMEMBERED_FORMS:
            self._forms.popitem(last=False)

    def refill(self, user_id: int, action_id: str, values: dict[str, str]) -> None:
        form = self._forms.get(user_id)
        if form is not None and form.action_id == action_id:
            self._forms[user_id] = form.refilled(values)

    def last(self, user_id: int) -> Form | None:
        return self._forms.get(user_id)
