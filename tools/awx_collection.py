"""Install the awx.awx collection, and nothing else, from the ``ansible`` community wheel on PyPI.

awx.awx is published on Galaxy (out of reach here) and inside the ``ansible`` package on PyPI, which installs about
a hundred collections (some 470 MB). This script lets pip download the one wheel that ``requirements-awx.txt`` pins
by hash (pip refuses any other file), then unpacks only ``ansible_collections/awx/awx/`` from it (about 1 MB) into
``COLLECTIONS_DIR/ansible_collections/awx/awx``, replacing what was there. The wheel itself is not kept.

Usage: ``.venv/bin/python tools/awx_collection.py COLLECTIONS_DIR``
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIREMENTS = os.path.join(ROOT, 'requirements-awx.txt')
MEMBER_PREFIX = 'ansible_collections/awx/awx/'


def download_wheel(directory: str) -> str:
    """The path of the hash-pinned wheel, downloaded by pip into ``directory``."""
    subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps',
                    '--only-binary=:all:', '--require-hashes', '-r', REQUIREMENTS, '-d', directory], check=True)
    wheels = glob.glob(os.path.join(directory, '*.whl'))
    if len(wheels) != 1:
        raise SystemExit(f'{REQUIREMENTS}: expected pip to download one wheel, got {wheels}')
    return wheels[0]


def unpack(wheel: str, staging: str) -> str:
    """Unpack the collection's files of ``wheel`` under ``staging``; return the collection's directory there."""
    with zipfile.ZipFile(wheel) as archive:
        members = [name for name in archive.namelist() if name.startswith(MEMBER_PREFIX)]
        if not members:
            raise SystemExit(f'{os.path.basename(wheel)} holds no {MEMBER_PREFIX}')
        archive.extractall(staging, members)  # zipfile drops absolute paths and '..' from member names
    return os.path.join(staging, *MEMBER_PREFIX.strip('/').split('/'))


def collection_version(directory: str) -> str:
    """The version in the collection's MANIFEST.json, after checking that it is awx.awx."""
    with open(os.path.join(directory, 'MANIFEST.json'), encoding='utf-8') as stream:
        info = json.load(stream)['collection_info']
    if (info['namespace'], info['name']) != ('awx', 'awx'):
        raise SystemExit(f"{directory}/MANIFEST.json describes {info['namespace']}.{info['name']}, not awx.awx")
    return info['version']


def main(argv: list) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    target = os.path.join(os.path.abspath(argv[0]), 'ansible_collections', 'awx', 'awx')
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with tempfile.TemporaryDirectory(dir=os.path.dirname(target)) as work:
        wheel = download_wheel(os.path.join(work, 'download'))
        unpacked = unpack(wheel, os.path.join(work, 'unpacked'))
        version = collection_version(unpacked)
        shutil.rmtree(target, ignore_errors=True)
        os.rename(unpacked, target)
    print(f'awx.awx {version} from {os.path.basename(wheel)} in {target}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
