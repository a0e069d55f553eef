# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Problems found before a recovery, as records: what is wrong, and which gateway (host) it belongs to, if any.

Consumers pick a gateway's problems by its ``host``, never by searching the message text; the message is the one
line a person reads (it names the gateway, file and field itself).
"""

from typing import NamedTuple, Optional

# What a problem is about: one gateway of the backup, or the plan or backup as a whole.
GATEWAY = 'gateway'
GENERAL = 'general'


class Problem(NamedTuple):
    """One problem: ``message`` as shown; ``host`` and ``gateway`` when it belongs to one gateway."""

    message: str
    host: Optional[str] = None
    gateway: Optional[str] = None

    @property
    def scope(self) -> str:
        """GATEWAY or GENERAL."""
        return GATEWAY if self.host else GENERAL

    def as_dict(self) -> dict:
        """The record as modules return it."""
        return {'message': self.message, 'host': self.host, 'gateway': self.gateway, 'scope': self.scope}


def general(messages: list[str]) -> list[Problem]:
    """Problems of the plan or the backup as a whole."""
    return [Problem(message) for message in messages]


def of_gateway(host: str, gateway: Optional[str], messages: list[str]) -> list[Problem]:
    """Problems of one gateway (inventory host ``host``, backed-up name ``gateway``)."""
    return [Problem(message, host, gateway) for message in messages]


def from_records(records: list) -> list[Problem]:
    """Problems from the records a module returned (unknown keys ignored; a record without a message skipped)."""
    return [Problem(str(record['message']), record.get('host'), record.get('gateway'))
            for record in records or [] if isinstance(record, dict) and record.get('message')]


def for_host(found: list[Problem], host: str) -> list[str]:
    """The messages of the problems that belong to ``host``."""
    return [problem.message for problem in found if problem.host == host]
