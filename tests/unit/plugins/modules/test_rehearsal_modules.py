"""The rehearsal's plan file (read as data by the rehearsed runs) and how a failed rehearsed run is reported."""

from ansible.module_utils._internal._datatag import AnsibleTagHelper  # pylint: disable=import-error
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.cloud_dr.ibm_direct_link.plugins.modules import rehearsal_plan, rehearsal_report


def test_every_plan_value_reads_back_as_the_same_data_that_templating_leaves_alone(tmp_path):
    pwned = tmp_path / 'PWNED'
    plan = {'recover_name_template': f"{{name}}{{{{ lookup('pipe', 'touch {pwned}') }}}}",
            'recover_port_map': {'{{ 7 * 6 }}': {'provider': '{% if true %}x{% endif %}'}},
            'recover_limit': ['{# comment #}gw', '1000', 'yes', 'null', '0x1f'], 'recover_wait_timeout': 60,
            'recover_start_all_first': False, 'recover_macsec': {'gw': {'caks': [{'name': '1000', 'session': 'primary'}]}}}
    plan_file = tmp_path / 'plan.yml'
    plan_file.write_text(rehearsal_plan.plan_document(plan))
    loaded = DataLoader().load_from_file(str(plan_file), trusted_as_template=True)  # as -e @plan.yml loads it
    templated = Templar(loader=DataLoader(), variables={'plan': loaded}).template(trust_as_template('{{ plan }}'))
    assert AnsibleTagHelper.as_native_type(templated) == plan
    assert not pwned.exists()


def test_a_failed_run_is_quoted_by_its_first_error_with_its_continuation_and_its_log():
    run = {'item': 'recover', 'rc': 2, 'stdout': 'fatal: [localhost]: FAILED! => {"msg": "later"}\n',
           'stderr': '[WARNING]: noise\n[ERROR]: Task failed: Validation of arguments failed:\n'
                     "argument 'recover_wait_timeout' is not an int\nOrigin: <unknown>\n\n[ERROR]: second\n"}
    assert rehearsal_report.run_failure(run, '/srv/rehearsal') == (
        "the rehearsed recover run failed (rc 2): [ERROR]: Task failed: Validation of arguments failed: "
        "argument 'recover_wait_timeout' is not an int (whole output: /srv/rehearsal/recover.log)")


def test_a_run_without_an_error_line_still_names_its_log_and_long_errors_are_cut():
    assert rehearsal_report.run_failure({'item': 'verify', 'rc': 1, 'stdout': '', 'stderr': ''}, '/r') == (
        'the rehearsed verify run failed (rc 1): no error line (whole output: /r/verify.log)')
    long_error = 'ERROR! ' + 'x' * 2000
    quoted = rehearsal_report.first_error({'stdout': long_error})
    assert quoted.startswith('ERROR! x') and len(quoted) == rehearsal_report.MAX_QUOTE + 1
