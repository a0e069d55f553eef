# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The progress options of the modules that wait."""


class ModuleDocFragment:  # pylint: disable=too-few-public-methods
    """The O(progress_interval) and O(progress_file) options."""

    DOCUMENTATION = r"""
options:
  progress_interval:
    description:
      - While the module waits, a progress line is printed every O(progress_interval) seconds - on the terminal and,
        under AWX or ansible-runner, in the job's output - with the time elapsed, the gateways provisioned, waiting
        (on the provider, on IBM, or at the LOA stage) and failed, and the virtual connections attached, pending (on
        their gateway, on IBM, or on the approval of the network's owner) and failed. C(0) prints none.
      - The lines come from the state the module polls anyway; they add no API request.
      - The module must run on the controller (the local connection, as the collection's playbooks run it); when it
        runs elsewhere (O(progress_file) is then not on the controller) no line is printed and the run is unchanged.
    type: int
    default: 30
  progress_file:
    description:
      - Where the module rewrites a small JSON snapshot of what it waits for, whenever that changes.
      - Leave it unset - the collection's action plugin sets it to a file in a private temporary directory that it
        creates for the task (mode 0700), reads every O(progress_interval) seconds and removes afterwards.
    type: path
notes:
  - Progress lines are printed by the collection's action plugin for this module, while the module runs; they are
    not part of the task's result.
"""
