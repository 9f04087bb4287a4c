"""nbgrader's collect for the class server: a submission counts only if its student made it.

nbgrader's ``inbound/`` is writable by every account (mode 733), and a submission's folder name
``<student>+<assignment>+<timestamp>[+<random>]`` says whose it is. Stock ``nbgrader collect``
only warns when the folder's Unix owner is someone else, and still takes it: a student could
hand in a folder named after a classmate with a later time stamp and replace that classmate's
newest submission. ``deploy.py install`` copies this module into the class's environment and
sets ``c.ExchangeFactory.collect`` to :class:`OwnerCheckedCollect`, so every collect (command
line, ``hub/grade_class.py``, formgrader) skips such folders, logs an error naming them, and
collects each student's newest submission of their own.
"""

from __future__ import annotations

import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect


def owner_name(path: str) -> str:
    """The account that owns ``path`` (its uid when no account has it)."""
    uid = os.stat(path).st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


class OwnerCheckedCollect(ExchangeCollect):
    """``ExchangeCollect`` that refuses a submission whose folder its named student does not own."""

    def _path_to_record(self, path: str) -> dict:
        record = super()._path_to_record(path)
        owner = owner_name(path)
        if owner != record["username"]:
            record["forged_by"] = owner
            self.log.error(
                "Not collected: %s in inbound/ claims to be %s's submission but belongs to %s",
                record["filename"],
                record["username"],
                owner,
            )
        return record

    def _sort_by_timestamp(self, records: list[dict]) -> list[dict]:
        # A student's own submissions only; a student with none left still yields one record
        # (nbgrader takes the first of each student's list), which copy_files then drops.
        genuine = [r for r in records if "forged_by" not in r]
        return super()._sort_by_timestamp(genuine or records)

    def copy_files(self) -> None:
        """Collect as nbgrader does, without the refused submissions (logged by ``_path_to_record``)."""
        self.src_records = [r for r in self.src_records if "forged_by" not in r]
        super().copy_files()
