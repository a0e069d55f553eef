# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the virtual_connection module, printing its progress every progress_interval seconds while it waits."""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.plugin_utils.progress_action import ProgressAction


class ActionModule(ProgressAction):
    """The virtual_connection module with progress lines."""
