"""Pre-flight checks of a recovery plan: misspelled plan variables, the name template's hint, location map targets."""

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import recovery
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import Catalog

# Names a play defines beside the plan: role keys, the other roles' and playbooks' variables, Ansible's own.
NEVER_TYPOS = list(recovery.PLAN_KEYS + recovery.ROLE_KEYS) + [
    'rehearse_dir', 'rehearse_plan', 'rehearse_lost_locations', 'backup_dir', 'backup_catalog', 'verify_backup_dir',
    'ansible_check_mode', 'ansible_inventory_sources', 'ansible_playbook_python', 'hostvars', 'groups', 'group_names',
    'inventory_hostname', 'playbook_dir', 'role_path', 'omit', 'direct_link_backup_manifest', 'direct_link_backup']


def unknown_key_problems(names):
    return [problem for problem in recovery.Plan({}).problems(names) if 'unknown key' in problem]


@pytest.mark.parametrize('name, expected', [
    ('recovery_limit', 'unknown key recovery_limit (did you mean recover_limit?)'),
    ('recover_limits', 'unknown key recover_limits (did you mean recover_limit?)'),
    ('rcover_location_map', 'unknown key rcover_location_map (did you mean recover_location_map?)'),
    ('Recover_bgp', 'unknown key Recover_bgp (did you mean recover_bgp?)'),
    ('recover_wait_timout', 'unknown key recover_wait_timout (did you mean recover_wait_timeout?)'),
    ('recovery_location_mapping', 'unknown key recovery_location_mapping; known keys: recover_location_map'),
])
def test_a_misspelled_plan_variable_is_refused_with_the_key_it_resembles(name, expected):
    problems = unknown_key_problems(NEVER_TYPOS + [name])
    assert len(problems) == 1 and problems[0].startswith(f'plan: {expected}'), problems


def test_the_play_s_other_variables_are_never_taken_for_typos():
    assert unknown_key_problems(NEVER_TYPOS) == []


def test_the_name_template_error_recommends_the_placeholder_that_survives_ansible():
    problems = recovery.Plan({'recover_name_template': 'fixed-name'}).problems([])
    assert problems == ["plan: recover_name_template 'fixed-name' must contain {name}, which stands for the old "
                        "gateway name (for example '{name}-dr')"]


def test_a_name_template_marked_unsafe_in_a_plan_file_still_works():
    assert recovery.Plan({'recover_name_template': '{{ name }}-dr'}).problems([]) == []
    assert recovery.Plan({'recover_name_template': '{{ name }}-dr'}).new_name('gw') == 'gw-dr'


class FixedCatalog(Catalog):
    """A catalog with fixed locations (the real ``offerings_at`` reads them)."""

    def __init__(self, locations):
        super().__init__(connection=None)
        self.fixed = locations

    def locations(self, offering):
        return {name: {'name': name} for name in self.fixed[offering]}


CATALOG = FixedCatalog({'connect': ['dal10', 'dal12', 'wdc04'], 'dedicated': ['dal10', 'fra02']})


def selected(*gateways):
    """Backup sections by host for (name, type, location) triples."""
    return {name: {'gateway': {'name': name, 'type': kind, 'location_name': location}} for name, kind, location in gateways}


def location_problems(location_map, *gateways):
    return recovery.location_map_problems(recovery.Plan({'recover_location_map': location_map}), selected(*gateways), CATALOG)


def test_a_location_map_to_nowhere_is_named_with_the_known_locations():
    assert location_problems({'dal10': 'mars01'}, ('gw-a', 'connect', 'dal10')) == [
        'plan: recover_location_map maps dal10 to mars01, which is not a Direct Link location (known connect '
        'locations: dal10, dal12, wdc04)']


def test_an_unused_mapping_to_nowhere_is_checked_against_every_offering_type():
    assert location_problems({'sjc03': 'mars01'}, ('gw-a', 'connect', 'dal10')) == [
        'plan: recover_location_map maps sjc03 to mars01, which is not a Direct Link location (known connect and '
        'dedicated locations: dal10, dal12, fra02, wdc04)']


def test_a_location_of_the_other_offering_type_is_named_as_such():
    problems = location_problems({'dal10': 'wdc04', 'fra02': 'dal12'}, ('gw-a', 'connect', 'dal10'),
                                 ('gw-b', 'dedicated', 'dal10'), ('gw-c', 'dedicated', 'fra02'))
    assert problems == [
        'plan: recover_location_map maps dal10 to wdc04, which is a Direct Link location for connect gateways only, '
        'not for the dedicated gateway(s) gw-b',
        'plan: recover_location_map maps fra02 to dal12, which is a Direct Link location for connect gateways only, '
        'not for the dedicated gateway(s) gw-c']


def test_locations_offered_for_the_mapped_gateways_pass():
    assert location_problems({'dal10': 'dal12', 'wdc04': 'dal10'}, ('gw-a', 'connect', 'dal10'),
                             ('gw-b', 'connect', 'wdc04')) == []


def test_a_target_that_is_not_a_name_is_not_a_location():
    assert location_problems({'dal10': ['dal12']}, ('gw-a', 'connect', 'dal10'))[0].startswith(
        "plan: recover_location_map maps dal10 to ['dal12'], which is not a Direct Link location")
