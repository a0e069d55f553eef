"""Bad input — damaged backups, hostile names, broken plans — gets one clear error and changes nothing."""

import hashlib
import os

import pytest
import yaml

from dlsim.catalog import port_id
from drill import DAL10, backup, recover, write_plan

HOST = 'dal10_connect_primary'
HOST_FILE = os.path.join('host_vars', HOST, 'direct_link.yml')
MANIFEST = os.path.join('group_vars', 'all', 'direct_link_manifest.yml')


def edit_yaml(path, change):
    """Load a YAML file, let ``change`` edit the document, write it back; returns the new text."""
    with open(path, encoding='utf-8') as stream:
        document = yaml.safe_load(stream)
    change(document)
    text = yaml.safe_dump(document, sort_keys=True)
    with open(path, 'w', encoding='utf-8') as stream:
        stream.write(text)
    return text


def edit_gateway_file(backup_dir, change, host=HOST):
    """Edit one gateway's backup and record its new checksum in the manifest, as a careless hand edit would not:
    so that the structural checks behind the checksum are exercised."""
    text = edit_yaml(os.path.join(backup_dir, 'host_vars', host, 'direct_link.yml'), change)
    digest = hashlib.sha256(text.encode()).hexdigest()
    edit_yaml(os.path.join(backup_dir, MANIFEST),
              lambda doc: doc['direct_link_backup_manifest']['gateways'][host].update(sha256=digest))


def truncate(backup_dir):
    path = os.path.join(backup_dir, HOST_FILE)
    with open(path, encoding='utf-8') as stream:
        text = stream.read()
    with open(path, 'w', encoding='utf-8') as stream:
        stream.write(text[:len(text) // 2] + '\n  - [unclosed\n')
    return 'not valid YAML'


def wrong_type(backup_dir):
    edit_gateway_file(backup_dir, lambda doc: doc['direct_link_backup']['gateway'].update(speed_mbps='fast'))
    return f"{HOST_FILE}: gateway.speed_mbps is 'fast', expected int"


def missing_location(backup_dir):
    edit_gateway_file(backup_dir, lambda doc: doc['direct_link_backup']['gateway'].pop('location_name'))
    return f'{HOST_FILE}: gateway.location_name is None, expected str'


def vcs_not_a_list(backup_dir):
    edit_gateway_file(backup_dir, lambda doc: doc['direct_link_backup']['gateway'].update(virtual_connections='vc-a'))
    return f'{HOST_FILE}: gateway.virtual_connections must be a list'


def unknown_schema(backup_dir):
    edit_yaml(os.path.join(backup_dir, MANIFEST), lambda doc: doc['direct_link_backup_manifest'].update(schema_version=99))
    return f'{MANIFEST}: schema_version 99 is not supported'


def checksum_mismatch(backup_dir):
    path = os.path.join(backup_dir, HOST_FILE)
    with open(path, encoding='utf-8') as stream:
        text = stream.read()
    with open(path, 'w', encoding='utf-8') as stream:
        stream.write(text.replace('speed_mbps: 1000', 'speed_mbps: 2000'))
    return f'{HOST_FILE}: checksum does not match the manifest'


def unlisted_file(backup_dir):
    os.makedirs(os.path.join(backup_dir, 'host_vars', 'added_by_hand'), mode=0o700)
    with open(os.path.join(backup_dir, HOST_FILE), encoding='utf-8') as source, \
            open(os.path.join(backup_dir, 'host_vars', 'added_by_hand', 'direct_link.yml'), 'w', encoding='utf-8') as copy:
        copy.write(source.read().replace('dal10-connect-primary', 'added-by-hand'))
    return 'host_vars/added_by_hand: not listed in the manifest'


def huge_file(backup_dir):
    with open(os.path.join(backup_dir, HOST_FILE), 'a', encoding='utf-8') as stream:
        stream.write(('# ' + 'x' * 1022 + '\n') * 3 * 1024)
    return 'is larger than a gateway backup can be'


def manifest_missing(backup_dir):
    os.remove(os.path.join(backup_dir, MANIFEST))
    return f'{MANIFEST}: missing'


@pytest.mark.parametrize('damage', [truncate, wrong_type, missing_location, vcs_not_a_list, unknown_schema,
                                    checksum_mismatch, unlisted_file, huge_file, manifest_missing])
def test_a_damaged_backup_is_refused_naming_the_file_and_nothing_is_created(sim, tmp_path, backup_dir, damage):
    expected = damage(backup_dir)
    sim.disaster(location='dal10', mode='lost')
    sim.reset_stats()
    result = recover(sim, tmp_path, backup_dir)
    assert result.rc != 0
    assert expected in result.output, result.output
    assert 'Traceback' not in result.output
    assert sim.stats()['mutating'] == 0


HOSTILE_NAMES = ['../../escaped', 'slash/in/name', 'with space', 'ünïcødé-名前', '$(touch PWNED); `touch PWNED`',
                 "{{ lookup('pipe', 'touch PWNED') }}", '{% raw %}x{% endraw %}']


def test_hostile_gateway_names_stay_inside_the_backup_and_are_never_evaluated(sim, tmp_path):
    sim.seed_with({'generate': {'gateways': len(HOSTILE_NAMES), 'vcs': 1}})
    state = sim.state()
    for gateway, name in zip(state['gateways'], HOSTILE_NAMES):
        gateway['name'] = name
    sim.seed_with(state)
    workdir = tmp_path / 'work'
    workdir.mkdir()
    directory = tmp_path / 'inside' / 'backup'
    result = backup(sim, workdir, directory)
    assert result.rc == 0, result.output
    outside = {os.path.relpath(os.path.join(path, name), tmp_path)
               for path, _dirs, names in os.walk(tmp_path) for name in names}
    assert {path for path in outside if not path.startswith('inside/backup/')} == set()
    saved = set()
    for path, _dirs, names in os.walk(directory / 'host_vars'):
        for name in names:
            with open(os.path.join(path, name), encoding='utf-8') as stream:
                saved.add(yaml.safe_load(stream.read().replace('!unsafe ', ''))['direct_link_backup']['gateway']['name'])
    assert set(HOSTILE_NAMES) <= saved
    assert not list(tmp_path.rglob('PWNED')) and not os.path.exists(os.path.join(os.getcwd(), 'PWNED'))

    planned = recover(sim, workdir, directory, '--check', '--diff',
                      plan=write_plan(workdir, recover_limit=HOSTILE_NAMES[:2], recover_name_template='{name}',
                                      recover_location_map={}))
    assert 'Traceback' not in planned.output
    assert not list(tmp_path.rglob('PWNED'))
    assert sim.stats()['mutating'] == 0


PLAN_ERRORS = [
    pytest.param({'recover_location_map': 'dal12'}, "argument 'recover_location_map' is of type str", id='map-not-a-mapping'),
    pytest.param({'recover_limit': 'dal10-connect-primary'}, 'recover_limit must be a list of gateway names', id='limit-not-a-list'),
    pytest.param({'recover_bgp': 'maybe'}, 'value of recover_bgp must be one of: keep, auto, got: maybe', id='bgp-choice'),
    pytest.param({'recover_name_templat': '{name}-x'}, 'unknown key recover_name_templat (did you mean recover_name_template?)',
                 id='typo'),
    pytest.param({'recover_location_map': {'dal10': 'mars01'}},
                 'plan: recover_location_map maps dal10 to mars01, which is not a Direct Link location (known connect and '
                 'dedicated locations: ', id='unknown-location'),
    pytest.param({'recover_port_map': {port_id('dal10', 'EQUINIX', 'PRI'): '00000000-0000-4000-8000-000000000000'}},
                 'port 00000000-0000-4000-8000-000000000000', id='unknown-port'),
    pytest.param({'recover_router_map': {'xcr01.dal10': 'xcr09.dal12'}}, 'xcr09.dal12', id='unknown-router'),
    pytest.param({'recover_limit': DAL10 + ['no-such-gateway']}, 'no-such-gateway', id='unknown-gateway-in-limit'),
]


@pytest.mark.parametrize('changes, expected', PLAN_ERRORS)
def test_a_broken_plan_is_refused_before_anything_is_created(sim, tmp_path, backup_dir, changes, expected):
    sim.disaster(location='dal10', mode='lost')
    sim.reset_stats()
    result = recover(sim, tmp_path, backup_dir, plan=write_plan(tmp_path, **changes))
    assert result.rc != 0
    assert expected in result.output, result.output
    assert 'Traceback' not in result.output
    assert sim.stats()['mutating'] == 0
