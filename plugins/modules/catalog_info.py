#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: catalog_info
short_description: Snapshot the part of the IBM Cloud Direct Link offering catalog that a recovery depends on
version_added: 0.1.0
description:
  - Reads the locations of both offerings, the cross-connect routers of every dedicated location, the offered
    speeds and every provider port, in one document that the backup stores beside the gateways
    (O(cloud_dr.ibm_direct_link.backup_store#module:catalog)) and that a rehearsal replays when the live catalog is
    out of reach.
  - Costs 5 requests plus one per dedicated location (concurrent) plus one per 100 ports.
author:
  - Cloud DR maintainers (@cloud-dr)
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.concurrency
  - cloud_dr.ibm_direct_link.attributes.read_only
"""

EXAMPLES = r"""
- name: Snapshot the offering catalog
  cloud_dr.ibm_direct_link.catalog_info:
  register: direct_link_catalog

- name: Which ports does Dallas 12 offer?
  ansible.builtin.debug:
    msg: "{{ direct_link_catalog.catalog.ports | selectattr('location_name', 'eq', 'dal12') | map(attribute='label') }}"
"""

RETURN = r"""
catalog:
  description: The catalog, each part sorted so that an unchanged catalog gives an identical document.
  returned: always
  type: dict
  contains:
    locations:
      description: Locations by offering type (C(connect), C(dedicated)), as the API describes them.
      type: dict
    routers:
      description: Cross-connect routers (C(router_name), C(capabilities), C(total_connections)) by dedicated location.
      type: dict
    speeds:
      description: Offered speeds (C(link_speed), C(capabilities), C(macsec_enabled)) by offering type.
      type: dict
    ports:
      description:
        - Provider ports (C(id), C(label), C(location_name), C(provider_name), C(supported_link_speeds)).
        - The counters C(direct_link_count) of ports and C(total_connections) of routers change with every order
          anywhere, so they are left out.
      type: list
      elements: dict
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import snapshot
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule


def gather(module):
    """Return the catalog snapshot."""
    return {'changed': False, 'catalog': snapshot(module.connection, module.params['max_concurrency'])}


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec={}, concurrent=True).run(gather)


if __name__ == '__main__':
    main()
