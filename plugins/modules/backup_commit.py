#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup_commit module: its documentation, examples and return values are in backup_commit.yml beside this file."""


import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files

# The lock, the journal and staged temporaries of backup_store: never part of a commit.
NOT_COMMITTED = (f':(glob,exclude){files.TEMP_PREFIX}*', f':(glob,exclude)**/{files.TEMP_PREFIX}*')


class Git:
    """git commands in the backup directory; failures end the module with git's message."""

    def __init__(self, module, path):
        self.module = module
        self.path = path
        self.binary = module.get_bin_path('git', required=True)

    def run(self, *args, check=True):
        """Run one git command; return (rc, stdout)."""
        rc, out, err = self.module.run_command([self.binary, *args], cwd=self.path)
        if check and rc != 0:
            self.module.fail_json(msg=f"git {args[0]} failed in {self.path}: {' '.join((err or out).split())}")
        return rc, out.strip()

    def configured(self, key):
        """Whether a git setting has a value (repository, global or system)."""
        return self.run('config', '--get', key, check=False)[0] == 0


def main():
    """Module entry point."""
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            commit_message=dict(type='str', required=True),
            remote=dict(type='str', default=''),
            branch=dict(type='str', default='main'),
            author_name=dict(type='str', default='Direct Link backup'),
            author_email=dict(type='str', default='direct-link-backup@localhost'),
            lock_timeout=dict(type='float', default=300),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if not os.path.isdir(params['path']):
        module.fail_json(msg=f"{params['path']} does not exist: run the backup first")
    if os.path.lexists(os.path.join(params['path'], files.JOURNAL)):
        module.fail_json(msg=files.resume_hint(params['path']))
    if module.check_mode:  # writes nothing, not even the lock file
        commit_and_push(module, params)
    try:
        with files.locked(params['path'], params['lock_timeout']):
            commit_and_push(module, params)
    except files.BackupPathError as error:
        module.fail_json(msg=str(error))


def commit_and_push(module, params):
    """Commit the backup directory and push it (exits the module)."""
    git = Git(module, params['path'])
    fresh = not os.path.isdir(os.path.join(params['path'], '.git'))
    if fresh and module.check_mode:
        module.exit_json(changed=True, commit='', pushed=False)
    if fresh:
        git.run('init', '--quiet', '--initial-branch', params['branch'])
    for key, value in (('user.name', params['author_name']), ('user.email', params['author_email'])):
        if not git.configured(key):
            git.run('config', key, value)
    git.run('add', '--all', '--', '.', *NOT_COMMITTED)
    staged = git.run('diff', '--cached', '--quiet', check=False)[0] != 0
    commit = ''
    if staged and not module.check_mode:
        git.run('commit', '--quiet', '--message', params['commit_message'])
        commit = git.run('rev-parse', 'HEAD')[1]
    elif staged:
        git.run('reset', '--quiet')
    pushed = False
    if params['remote'] and not module.check_mode:
        if git.run('remote', 'get-url', 'backup', check=False)[0] != 0:
            git.run('remote', 'add', 'backup', params['remote'])
        else:
            git.run('remote', 'set-url', 'backup', params['remote'])
        behind = git.run('ls-remote', 'backup', f"refs/heads/{params['branch']}", check=False)[1].split('\t')[0]
        if staged or behind != git.run('rev-parse', 'HEAD')[1]:
            git.run('push', '--quiet', 'backup', f"HEAD:refs/heads/{params['branch']}")
            pushed = True
    module.exit_json(changed=staged or pushed, commit=commit, pushed=pushed)


if __name__ == '__main__':
    main()
