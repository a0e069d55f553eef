#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalog_info module: its documentation, examples and return values are in catalog_info.yml beside this file."""


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
