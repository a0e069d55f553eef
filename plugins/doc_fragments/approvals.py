# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The approvals option of the state modules that create virtual connections."""


class ModuleDocFragment:  # pylint: disable=too-few-public-methods
    """The O(approvals) option."""

    DOCUMENTATION = r"""
options:
  approvals:
    description:
      - Approve, with the other account's consent, the pending requests of the desired virtual connections that
        reach a VPC of another account - a mapping of that account's id to the name of an environment variable that
        holds an API key of that account (the name, never the key itself; in AWX, a credential injects the
        variable).
      - The request is approved as that account (the network's owner), and only the requests of the virtual
        connections this module manages; requests of accounts not named here stay pending (C(approval_pending))
        for their owners to decide.
      - A variable that is not set is a problem found before any change.
    type: dict
    default: {}
"""
