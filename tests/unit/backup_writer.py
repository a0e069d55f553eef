"""A backup directory laid out exactly as ``backup_store`` writes it, for the unit tests that read one."""

import os

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files

GROUP = 'direct_link_gateways'


def write(root, relative, text):
    """Write ``text`` to ``root/relative`` (directories made as needed); returns the path."""
    path = os.path.join(str(root), relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as stream:
        stream.write(text)
    return path


def write_backup(root, gateway, host, text=None, source=None):
    """A one-gateway backup: the gateway's host vars (``text`` instead of its document, the checksum following it),
    the manifest (``source`` as its source) and the inventory. Returns the path of the gateway's file."""
    document = text if text is not None else files.gateway_document(host, gateway)
    path = write(root, os.path.join(files.HOST_VARS, host, files.GATEWAY_FILE), document)
    entries = {host: {'name': gateway['name'], 'id': gateway.get('id', 'g1'), 'present': True,
                      'file': os.path.relpath(path, str(root)), 'sha256': files.sha256(document)}}
    write(root, files.MANIFEST, files.manifest_document(source or {}, GROUP, entries))
    write(root, files.INVENTORY, files.inventory_document(GROUP, entries))
    return path
