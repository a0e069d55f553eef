# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options of the modules that read a backup with a recovery plan."""


class ModuleDocFragment:  # pylint: disable=too-few-public-methods
    """A backup directory and a recovery plan."""

    DOCUMENTATION = r"""
options:
  backup_dir:
    description: The backup directory (the inventory the recovery runs with).
    type: path
    required: true
  plan:
    description:
      - The plan values, keyed like the recover role's variables (C(recover_location_map), C(recover_port_map),
        C(recover_router_map), C(recover_network_map), C(recover_transit_gateway_map), C(recover_name_template),
        C(recover_limit), C(recover_bgp), C(recover_macsec), C(recover_accept_missing), C(recover_inactive_vcs),
        C(recover_approvals)).
      - What a backup records as missing (a CLI export has no route filters nor MACsec CAKs) is a problem unless
        C(recover_macsec) fills it or C(recover_accept_missing) accepts recovering without it; virtual connections
        that were inactive at backup time are not recreated unless C(recover_inactive_vcs=recreate).
      - Without them the backup is taken as it is (same names and locations).
    type: dict
    default: {}
  defined_keys:
    description:
      - Names of the variables defined for the play (the roles pass every name), so that misspelled plan keys are
        refused rather than silently ignored.
      - A name that starts with C(recover) or is at most two edits from a plan or role key, but is not one, is a
        problem (C(recovery_limit) - did you mean C(recover_limit)?); C(rehearse_*), C(backup_*), C(verify_*) and
        C(decommission_*) variables are never taken for one.
    type: list
    elements: str
    default: []
  max_concurrency:
    description: At most this many requests in flight at once while reading the live account.
    type: int
    default: 32
"""
