"""extensions/awx/configure.yml, checked without a controller.

The playbook is parsed and its task arguments resolved by ansible-core itself (DataLoader, ModuleArgsParser,
Templar, with test values in the environment), then validated against the argument spec of the awx.awx module
each task calls, taken from that module's own code in the awx.awx that ``make setup`` installs. What the
modules would then send to a controller is not checked: that needs a controller's answers to their lookups.
"""

import copy
import importlib
import importlib.util
import os
import re
import subprocess
import sys
import zipfile

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.parsing.dataloader import DataLoader
from ansible.parsing.mod_args import ModuleArgsParser
from ansible.plugins.loader import init_plugin_loader
from ansible.template import Templar
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import auth
from playbook_runner import ansible_environment, ansible_playbook, collections_path

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
AWX = os.path.join(ROOT, 'extensions', 'awx')
PLAYBOOK = os.path.join(AWX, 'configure.yml')
AWX_COLLECTION = os.path.join(collections_path(), 'ansible_collections', 'awx', 'awx')
CREDENTIAL_NAME = 'IBM Cloud Direct Link (production)'
NOTIFICATION = 'Direct Link DR alerts'
# What the environment holds when the playbook runs (no value is real; the secrets are unique, to be searched for).
TEST_ENVIRONMENT = {
    'CONTROLLER_HOST': 'https://awx.example.test',
    'DL_EE_IMAGE': 'registry.example.test/dr/ibm-direct-link-ee:0.1.0',
    'DL_BACKUP_REPO': 'git@git.example.test:network/dl-backup.git',
    'IC_API_KEY': 'canary-api-key-awx-3f9d1c',
    'DL_NOTIFY_WEBHOOK_URL': 'https://hooks.example.test/canary-webhook-token-8b2e57',
}
SECRETS = (TEST_ENVIRONMENT['IC_API_KEY'], TEST_ENVIRONMENT['DL_NOTIFY_WEBHOOK_URL'])
# The keywords of ansible-core's argument spec validator among what an awx.awx module hands to AnsibleModule.
VALIDATOR_KEYWORDS = ('mutually_exclusive', 'required_together', 'required_one_of', 'required_if', 'required_by')
# The types of a survey answer, by the role option type they feed.
SURVEY_TYPES = {'str': {'text', 'textarea', 'multiplechoice'}, 'int': {'integer'}, 'bool': {'multiplechoice'}}
# The task options that name another controller object, by the module that creates that kind of object.
REFERENCES = {
    'organization': ('organization',), 'execution_environment': ('execution_environment',),
    'default_environment': ('execution_environment',), 'credential_type': ('credential_type',),
    'credential': ('credential',), 'credentials': ('credential',), 'project': ('project',),
    'source_project': ('project',), 'inventory': ('inventory',),
    'notification_templates_started': ('notification_template',),
    'notification_templates_success': ('notification_template',),
    'notification_templates_error': ('notification_template',),
    'unified_job_template': ('job_template', 'workflow_job_template'),
}


class Task:
    """One task of the playbook, its arguments resolved as ansible-core resolves them at run time."""

    def __init__(self, name, action, args, no_log):
        self.name = name
        self.action = action
        self.module = action.rsplit('.', 1)[1] if action.startswith('awx.awx.') else None
        self.args = args
        self.no_log = no_log


def load_yaml(*path):
    with open(os.path.join(ROOT, *path), encoding='utf-8') as stream:
        return yaml.safe_load(stream)


def resolve_tasks():
    """Every task of the play with ``module_defaults`` applied and every template resolved."""
    init_plugin_loader([collections_path()])
    loader = DataLoader()
    play = loader.load_from_file(PLAYBOOK, trusted_as_template=True)[0]  # trusted, as ansible-playbook loads it
    variables = dict(play['vars'], playbook_dir=AWX, ansible_playbook_python=sys.executable)
    tasks = []
    for task in play['tasks']:
        action, args, _delegate_to = ModuleArgsParser(task).parse()
        args = dict(play.get('module_defaults', {}).get(action, {}), **args)  # task arguments win, as at run time
        templar = Templar(loader=loader, variables=dict(variables, **task.get('vars', {})))
        tasks.append(Task(task['name'], action, templar.template(args), task.get('no_log', False)))
    return tasks


@pytest.fixture(scope='module')
def tasks():
    with pytest.MonkeyPatch.context() as patch:
        for name, value in TEST_ENVIRONMENT.items():
            patch.setenv(name, value)
        return resolve_tasks()


@pytest.fixture(scope='module')
def created(tasks):
    """The objects the playbook creates: module name -> object name -> resolved arguments."""
    objects = {}
    for task in tasks:
        if task.module:
            assert task.args['name'] not in objects.setdefault(task.module, {}), f'{task.name}: created twice'
            objects[task.module][task.args['name']] = task.args
    return objects


class ArgumentSpecCaptured(Exception):
    """Raised instead of building the module: carries what the module's main() would hand to AnsibleModule."""


def module_argument_spec(module_name):
    """The full argument spec of an awx.awx module and its validator keywords, from the module's own code."""
    module = importlib.import_module(f'ansible_collections.awx.awx.plugins.modules.{module_name}')
    controller_api = importlib.import_module('ansible_collections.awx.awx.plugins.module_utils.controller_api')

    def capture(argument_spec, **keywords):
        raise ArgumentSpecCaptured(argument_spec, keywords)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, 'ControllerAPIModule', capture)
        with pytest.raises(ArgumentSpecCaptured) as captured:
            module.main()
    argument_spec, keywords = captured.value.args
    # ControllerModule.__init__ adds the connection options (controller_host, ...) to every module's spec.
    full_spec = dict(controller_api.ControllerModule.AUTH_ARGSPEC, **argument_spec)
    return full_spec, {key: value for key, value in keywords.items() if key in VALIDATOR_KEYWORDS}


def documented_spec(options):
    """An argument spec from a module's DOCUMENTATION options (for suboptions its code spec leaves unchecked)."""
    spec = {}
    for name, option in options.items():
        entry = {key: option[key] for key in ('type', 'elements', 'choices', 'required', 'aliases') if key in option}
        if 'suboptions' in option:
            entry['options'] = documented_spec(option['suboptions'])
        spec[name] = entry
    return spec


def report(errors):
    """One line per task (or node) with every message of the validator."""
    return '\n'.join(f'{where}: {"; ".join(messages)}' for where, messages in errors.items())


def option_specs(role):
    return load_yaml('roles', role, 'meta', 'argument_specs.yml')['argument_specs']['main']['options']


def render_injectors(inputs):
    """The environment the controller injects for a credential with ``inputs`` (sandboxed Jinja, as AWX renders)."""
    injectors = load_yaml('extensions', 'awx', 'credential_type.yml')['injectors']
    environment = ImmutableSandboxedEnvironment()
    return {name: environment.from_string(template).render(**inputs) for name, template in injectors['env'].items()}


def test_the_playbook_passes_the_syntax_check():
    result = subprocess.run([ansible_playbook(), '--syntax-check', PLAYBOOK], env=ansible_environment(),
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_awx_task_is_valid_for_its_modules_argument_spec(tasks):
    awx_tasks = [task for task in tasks if task.module]
    assert {task.action for task in tasks} - {task.action for task in awx_tasks} == {'ansible.builtin.assert'}
    specs = {module: module_argument_spec(module) for module in {task.module for task in awx_tasks}}
    errors = {}
    for task in awx_tasks:
        spec, keywords = specs[task.module]
        result = ArgumentSpecValidator(spec, **keywords).validate(copy.deepcopy(task.args))
        if result.error_messages:
            errors[f'{task.name} ({task.action})'] = result.error_messages
    assert not errors, report(errors)


def test_the_workflow_nodes_match_the_options_the_module_documents(created):
    documentation = yaml.safe_load(importlib.import_module(
        'ansible_collections.awx.awx.plugins.modules.workflow_job_template').DOCUMENTATION)
    node_spec = documented_spec(documentation['options']['workflow_nodes']['suboptions'])
    errors = {}
    for workflow in created['workflow_job_template'].values():
        for node in workflow['workflow_nodes']:
            result = ArgumentSpecValidator(node_spec).validate(copy.deepcopy(node))
            if result.error_messages:
                errors[f"{workflow['name']}, node {node['identifier']}"] = result.error_messages
    assert not errors, report(errors)


def test_every_referenced_object_is_created_earlier_or_is_a_documented_prerequisite(tasks):
    with open(os.path.join(AWX, 'README.md'), encoding='utf-8') as stream:
        readme = stream.read()
    created = set()
    for task in (task for task in tasks if task.module):
        references = [(option, name) for option, value in task.args.items() if option in REFERENCES
                      for name in (value if isinstance(value, list) else [value])]
        references += [('unified_job_template', node['unified_job_template']['name'])
                       for node in task.args.get('workflow_nodes', [])]
        for option, name in references:
            if not any((kind, name) in created for kind in REFERENCES[option]):
                assert name in readme, f'{task.name}: {option} {name!r} is neither created before nor documented'
        created.add((task.module, task.args['name']))
    assert ('organization', 'Default') not in created and 'Default' in readme


def test_the_credential_type_is_the_files_with_its_injectors_left_to_the_controller(created):
    credential_type = load_yaml('extensions', 'awx', 'credential_type.yml')
    assert created['credential_type'] == {credential_type['name']: credential_type}
    assert credential_type['injectors']['env']['IC_API_KEY'] == '{{ api_key }}'  # not templated by the play
    assert set(credential_type['injectors']) == {'env'}, 'the key must reach jobs as environment only (no files)'
    assert credential_type['kind'] in ('cloud', 'net')  # the kinds AWX allows for custom types


def test_credential_inputs_are_injected_into_the_variables_the_modules_read():
    credential_type = load_yaml('extensions', 'awx', 'credential_type.yml')
    spec = auth.auth_argument_spec()
    fields = {field['id']: field for field in credential_type['inputs']['fields']}
    assert set(fields) == {'api_key', 'endpoint', 'iam_endpoint'}
    assert fields['api_key'].get('secret') is True and spec['api_key']['no_log'] is True
    assert credential_type['inputs']['required'] == ['api_key']
    assert not {key for key, value in fields.items() if key != 'api_key' and value.get('secret')}
    injected = render_injectors({field: f'value-of-{field}' for field in fields})
    for field in fields:
        receiving = [name for name, value in injected.items() if value == f'value-of-{field}']
        assert len(receiving) == 1, (field, injected)
        assert receiving[0] in spec[field]['fallback'][1], f'{field} is injected as {receiving[0]}, the modules read ' \
                                                           f'{spec[field]["fallback"][1]}'
    assert injected['IC_API_KEY'] == 'value-of-api_key'


@pytest.mark.parametrize('inputs', [{'api_key': 'k'}, {'api_key': 'k', 'endpoint': '', 'iam_endpoint': ''}])
def test_an_empty_endpoint_injects_the_modules_default_not_an_empty_variable(inputs):
    assert render_injectors(inputs) == {'IC_API_KEY': 'k', 'IBMCLOUD_DL_API_ENDPOINT': auth.DEFAULT_ENDPOINT,
                                        'IBMCLOUD_IAM_API_ENDPOINT': auth.DEFAULT_IAM_ENDPOINT}


def test_secrets_come_from_the_environment_into_no_log_tasks_only(tasks, created):
    for task in tasks:
        holds_secret = any(secret in repr(task.args) for secret in SECRETS)
        assert holds_secret == (task.no_log is True), f'{task.name}: no_log must be set exactly where a secret is'
    assert created['credential'][CREDENTIAL_NAME]['inputs'] == {'api_key': TEST_ENVIRONMENT['IC_API_KEY']}
    spec, _keywords = module_argument_spec('credential')
    assert spec['inputs']['no_log'] is True  # the module masks the key in its own output as well


def test_every_environment_variable_read_is_checked_first_and_documented(tasks):
    with open(PLAYBOOK, encoding='utf-8') as stream:
        source = stream.read()
    with open(os.path.join(AWX, 'README.md'), encoding='utf-8') as stream:
        readme = stream.read()
    read = set(re.findall(r"lookup\('ansible\.builtin\.env', '([A-Z_]+)'\)", source))
    required = set(load_yaml('extensions', 'awx', 'configure.yml')[0]['vars']['dl_required_environment'])
    assert required == read | {'CONTROLLER_HOST'}
    for name in required:
        assert re.search(rf'\b{name}\b', source.split('- name:', 1)[0]), f'{name} is not described in the header'
        assert name in readme, f'{name} is not documented in extensions/awx/README.md'
    assert tasks[0].action == 'ansible.builtin.assert'


def test_a_missing_environment_variable_stops_the_play_before_any_controller_request(tmp_path):
    environment = dict(ansible_environment(), **TEST_ENVIRONMENT)
    for name in ('CONTROLLER_HOST', 'DL_NOTIFY_WEBHOOK_URL'):
        del environment[name]
    result = subprocess.run([ansible_playbook(), PLAYBOOK], env=environment, capture_output=True, text=True,
                            cwd=tmp_path, timeout=120, check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert 'set these environment variables first (extensions/awx/README.md): CONTROLLER_HOST, DL_NOTIFY_WEBHOOK_URL' \
        in result.stdout
    assert result.stdout.count('TASK [') == 1, result.stdout
    assert not any(secret in result.stdout + result.stderr for secret in SECRETS)


def test_job_templates_run_existing_playbooks_with_known_variables(created):
    templates = created['job_template']
    assert set(templates) == {'Direct Link backup', 'Direct Link verify', 'Direct Link recover', 'Direct Link rehearse',
                              'Direct Link decommission', 'Direct Link audit', 'Direct Link standby',
                              'Direct Link standby promote'}
    recover_options = option_specs('recover')
    standby_options = set(option_specs('standby'))
    with open(os.path.join(ROOT, 'playbooks', 'verify.yml'), encoding='utf-8') as stream:
        verify_playbook = stream.read()
    allowed = {'backup.yml': set(option_specs('backup')),
               'recover.yml': set(recover_options),
               'verify.yml': {'verify_backup_dir'} | {name for name in recover_options if name in verify_playbook} | standby_options,
               'rehearse.yml': set(option_specs('rehearse')) | set(recover_options),
               'decommission.yml': set(option_specs('decommission')) | set(recover_options),
               'audit.yml': set(option_specs('audit')) | standby_options,
               'standby.yml': standby_options,
               'standby_promote.yml': standby_options}
    for name, template in templates.items():
        playbook = os.path.join(ROOT, template['playbook'])
        assert os.path.isfile(playbook) and template['playbook'].startswith('playbooks/'), name
        unknown = set(template.get('extra_vars', {})) - allowed[os.path.basename(playbook)]
        assert not unknown, f'{name}: unknown extra variables {unknown}'
        assert template['project'] == 'Direct Link DR playbooks'
        assert template['execution_environment'] == 'cloud_dr.ibm_direct_link'
        assert template['inventory'] == 'Direct Link gateways (backup)'
    backup_options = option_specs('backup')
    for key, value in templates['Direct Link backup']['extra_vars'].items():
        assert isinstance(value, bool) == (backup_options[key]['type'] == 'bool'), key
    assert templates['Direct Link backup']['extra_vars']['backup_git_remote'] == TEST_ENVIRONMENT['DL_BACKUP_REPO']


def test_every_job_template_gets_the_direct_link_credential_and_the_backup_its_push_key(created):
    for name, template in created['job_template'].items():
        expected = [CREDENTIAL_NAME] + (['Direct Link backup repository (push)'] if name == 'Direct Link backup' else [])
        assert template['credentials'] == expected, name
    assert created['credential'][CREDENTIAL_NAME]['credential_type'] == 'IBM Cloud Direct Link'


def test_backup_and_verify_run_daily_the_rehearsal_workflow_and_the_audit_weekly(created):
    scheduled = {schedule['unified_job_template']: schedule['rrule'] for schedule in created['schedule'].values()}
    weekly = {'Direct Link weekly rehearsal', 'Direct Link audit'}
    assert set(scheduled) == {'Direct Link backup', 'Direct Link verify'} | weekly
    for name, rrule in scheduled.items():
        every = 'WEEKLY;INTERVAL=1;BYDAY=MO' if name in weekly else 'DAILY;INTERVAL=1'
        assert re.fullmatch(r'DTSTART;TZID=UTC:\d{8}T\d{6} RRULE:FREQ=' + every, rrule), rrule
    assert all(schedule['enabled'] is True for schedule in created['schedule'].values())


def test_the_rehearsal_workflow_notifies_its_failure_only(created):
    workflow = created['workflow_job_template']['Direct Link weekly rehearsal']
    nodes = workflow['workflow_nodes']
    # One node and no failure path: the rehearsal failing fails the workflow, and the workflow notifies.
    assert [node['unified_job_template'] for node in nodes] == [
        {'name': 'Direct Link rehearse', 'type': 'job_template', 'organization': {'name': 'Default'}}]
    assert not any(node.get('related') for node in nodes)
    assert workflow['notification_templates_error'] == [NOTIFICATION]
    assert 'notification_templates_success' not in workflow
    rehearse = created['job_template']['Direct Link rehearse']
    assert not any(key.startswith('notification_templates') for key in rehearse), 'a failure would be notified twice'
    for name in ('Direct Link backup', 'Direct Link verify', 'Direct Link recover', 'Direct Link decommission'):
        assert created['job_template'][name]['notification_templates_error'] == [NOTIFICATION], name
    assert created['notification_template'][NOTIFICATION]['notification_configuration']['url'] == \
        TEST_ENVIRONMENT['DL_NOTIFY_WEBHOOK_URL']


@pytest.mark.parametrize('name', ['Direct Link recover', 'Direct Link decommission', 'Direct Link standby',
                                  'Direct Link standby promote'])
def test_the_changing_templates_default_to_check_mode_with_a_survey(created, name):
    template = created['job_template'][name]
    assert template['job_type'] == 'check' and template['ask_job_type_on_launch'] is True
    assert template['diff_mode'] is True and template['ask_diff_mode_on_launch'] is True
    assert template['ask_variables_on_launch'] is True
    assert bool(template.get('survey_enabled')) is (name != 'Direct Link standby promote')  # its one choice: the action
    if name == 'Direct Link recover':  # per_host needs a fork per gateway; the decommission runs on localhost only
        assert template['forks'] >= 10
    for other in ('Direct Link backup', 'Direct Link verify', 'Direct Link rehearse'):
        assert created['job_template'][other]['job_type'] == 'run', other


@pytest.mark.parametrize('template, role', [('Direct Link recover', 'recover'), ('Direct Link rehearse', 'rehearse'),
                                            ('Direct Link decommission', 'decommission'), ('Direct Link standby', 'standby')])
def test_survey_questions_are_options_of_the_role(created, template, role):
    options = option_specs(role)
    defaults = load_yaml('roles', role, 'defaults', 'main.yml') or {}
    job_template = created['job_template'][template]
    assert job_template['survey_enabled'] is True
    spec = job_template['survey_spec']['spec']
    assert job_template['survey_spec']['name'] and job_template['survey_spec']['description']
    variables = [question['variable'] for question in spec]
    assert len(variables) == len(set(variables))
    for question in spec:
        name = question['variable']
        assert name in options, f'{name} is not an option of roles/{role}/meta/argument_specs.yml'
        option = options[name]
        assert question['type'] in SURVEY_TYPES[option['type']], (name, question['type'], option['type'])
        assert question['question_name'] and question['question_description'] and 'required' in question
        if question['type'] == 'multiplechoice':
            expected = option.get('choices') or (['true', 'false'] if option['type'] == 'bool' else None)
            assert expected and question['choices'] == expected, name
            assert question['default'] in question['choices']
        if question['type'] == 'integer':
            assert question['min'] <= question['default'] <= question['max']
            assert question['default'] == defaults[name], f'{name}: the survey default differs from the role default'
        if question['type'] == 'text':
            assert question['min'] <= len(question['default']) <= question['max']
    assert not set(variables) & set(job_template['extra_vars']), 'a survey answer and an extra variable set one option'


def test_the_whole_demo_plan_can_be_given_at_launch_and_rehearsed(created):
    plan = load_yaml('tools', 'demo', 'dr-plan.yml')
    recover = created['job_template']['Direct Link recover']
    assert '{name}' in next(question['default'] for question in recover['survey_spec']['spec']
                            if question['variable'] == 'recover_name_template')
    settable = set(recover['extra_vars']) | {question['variable'] for question in recover['survey_spec']['spec']}
    assert set(plan) <= settable
    options = option_specs('recover')
    for key, value in recover['extra_vars'].items():
        kind = {'dict': dict, 'list': list, 'str': str}[options[key]['type']]
        assert isinstance(value, kind), key
    rehearsed = created['job_template']['Direct Link rehearse']['extra_vars']
    assert rehearsed['recover_name_template'] == '{name}-dr' and rehearsed['rehearse_backup_dir'] == '/srv/dl-dr/backup'


def test_versions_repository_and_image_match_the_collection_and_its_execution_environment(created):
    galaxy = load_yaml('galaxy.yml')
    project = created['project']['Direct Link DR playbooks']
    assert project['scm_url'] == galaxy['repository'] + '.git' and project['scm_branch'] == galaxy['version']
    tags = load_yaml('execution-environment.yml')['options']['tags']
    assert [tag.rsplit(':', 1)[1] for tag in tags] == [galaxy['version']]
    environment = created['execution_environment']['cloud_dr.ibm_direct_link']
    assert environment['image'] == TEST_ENVIRONMENT['DL_EE_IMAGE'] and galaxy['version'] in environment['description']
    source = created['inventory_source']['Direct Link backup repository']
    assert source['source'] == 'scm' and source['source_path'] == 'inventory.yml'
    assert source['source_project'] == 'Direct Link backup'
    assert created['project']['Direct Link backup']['scm_url'] == TEST_ENVIRONMENT['DL_BACKUP_REPO']


def test_make_setup_installed_the_awx_collection_the_requirements_pin():
    manifest = load_yaml(AWX_COLLECTION, 'MANIFEST.json')['collection_info']
    with open(os.path.join(ROOT, 'requirements-awx.txt'), encoding='utf-8') as stream:
        requirements = stream.read()
    assert (manifest['namespace'], manifest['name']) == ('awx', 'awx')
    assert f"awx.awx {manifest['version']}" in requirements
    assert re.search(r'^ansible==[\d.]+ --hash=sha256:[0-9a-f]{64}$', requirements, re.MULTILINE)


def test_the_installer_unpacks_only_the_awx_collection(tmp_path):
    spec = importlib.util.spec_from_file_location('awx_collection', os.path.join(ROOT, 'tools', 'awx_collection.py'))
    installer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(installer)
    wheel = tmp_path / 'ansible-0-py3-none-any.whl'
    with zipfile.ZipFile(wheel, 'w') as archive:
        archive.writestr('ansible_collections/awx/awx/MANIFEST.json',
                         '{"collection_info": {"namespace": "awx", "name": "awx", "version": "1.2.3"}}')
        archive.writestr('ansible_collections/awx/awx/plugins/modules/project.py', '')
        archive.writestr('ansible_collections/community/general/MANIFEST.json', '{}')
        archive.writestr('ansible-0.dist-info/METADATA', '')
    unpacked = installer.unpack(str(wheel), str(tmp_path / 'staging'))
    assert installer.collection_version(unpacked) == '1.2.3'
    found = sorted(os.path.relpath(os.path.join(path, name), tmp_path / 'staging')
                   for path, _dirs, names in os.walk(tmp_path / 'staging') for name in names)
    assert found == ['ansible_collections/awx/awx/MANIFEST.json', 'ansible_collections/awx/awx/plugins/modules/project.py']


def test_the_audit_rates_the_live_account_and_fails_on_a_single_point_of_failure(created):
    audit = created['job_template']['Direct Link audit']
    assert audit['extra_vars']['audit_backup_dir'] == ''  # the account, not the synced backup inventory
    assert audit['extra_vars']['audit_fail_on'] == 'spof'
    assert audit['notification_templates_error'] == [NOTIFICATION]


def test_the_standby_templates_and_the_audit_take_the_standby_plan(created):
    templates = created['job_template']
    # The default plan is empty: the audit then checks no standby (the playbook includes the check only with a plan).
    assert not any(key.startswith('standby_location') for key in templates['Direct Link audit']['extra_vars'])
    assert templates['Direct Link standby promote']['extra_vars']['standby_action'] == 'promote'
    for name in ('Direct Link standby', 'Direct Link standby promote', 'Direct Link audit'):
        assert templates[name]['extra_vars']['standby_report_dir'] == '/srv/dl-dr/reports', name
        assert templates[name]['notification_templates_error'] == [NOTIFICATION], name
