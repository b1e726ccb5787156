// Run Flux's image automation from a directory of its manifests, as a library
// call: `loadConfig(dir, { hosts })` reads the ImageRepository, ImagePolicy,
// ImageUpdateAutomation and GitRepository unchanged, and `runAutomation` does one
// cycle (list tags, choose, patch, commit, push) and returns a plain report,
// summarised here. A dry run first shows what would change. The registry and the
// git remote (over HTTP) come from @tagsmith/testkit, so it runs offline.
// Run after `pnpm build`:
//   node examples/run-flux-manifests.mjs
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadConfig, runAutomation } from '@tagsmith/automation';
import { createGitFixture, serveGit, startRegistry } from '@tagsmith/testkit';

const registry = await startRegistry();
const remote = await createGitFixture({
  files: {
    'apps/my-app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: my-app, namespace: my-app }
spec:
  template:
    spec:
      containers:
        - name: my-app
          image: registry.example.com/my-app:1.4.2 # {"$imagepolicy": "flux-system:my-app"}
`,
  },
});
const git = await serveGit(remote.bareDir);
const dir = await mkdtemp(join(tmpdir(), 'tagsmith-flux-'));
try {
  await registry.pushTags('my-app', ['1.0.0', '1.4.2', '1.9.0', '2.0.0', 'latest']);

  // The Flux manifests as they sit in a cluster repository: examples/flux/image-automation.yaml
  // (ImageRepository, ImagePolicy, ImageUpdateAutomation) and a GitRepository for the remote.
  const flux = new URL('./flux/', import.meta.url);
  await writeFile(
    join(dir, 'image-automation.yaml'),
    await readFile(new URL('image-automation.yaml', flux)),
  );
  await writeFile(
    join(dir, 'gitrepository.yaml'),
    (await readFile(new URL('gitrepository.yaml', flux), 'utf8')).replace(
      'https://git.example.com/org/gitops-config.git',
      git.url,
    ),
  );

  // registry.example.com is served by the local registry: the manifests stay as they are.
  const config = await loadConfig(dir, { hosts: { 'registry.example.com': registry.url } });
  for (const { severity, kind, location, message } of config.problems) {
    console.log(
      `${severity} ${kind} ${basename(location.file)}:${location.line}:${location.column}: ${message}`,
    );
  }

  const summarise = (report) => {
    for (const repository of report.imageRepositories) {
      const listed =
        repository.status === 'listed' ? `${repository.tagCount} tags` : repository.error.code;
      console.log(`image repository ${repository.repository}: ${listed}`);
    }
    for (const policy of report.policies) {
      console.log(
        `policy ${policy.policy}: ${policy.chosen?.tag ?? policy.status} (${policy.reason})`,
      );
    }
    for (const run of report.automations) {
      console.log(
        `automation ${run.automation}: ${run.status}${run.commit?.sha ? ` ${run.commit.sha.slice(0, 7)}` : ''}`,
      );
      // A dry run renders the message too, so a broken template shows before anything is pushed.
      if (run.commit) console.log(`  message: ${run.commit.message}`);
      for (const file of run.files) {
        for (const change of file.changes) {
          console.log(`  ${file.path}:${change.line}: ${change.oldValue} -> ${change.newValue}`);
        }
      }
    }
  };

  console.log('== dry run: patch a checkout, commit and push nothing');
  summarise(await runAutomation(config, { dryRun: true }));
  console.log('\n== run');
  summarise(await runAutomation(config));
  console.log('\n== run again: no new tags');
  summarise(await runAutomation(config));

  const [head] = await remote.log();
  console.log(`\nremote main: ${head.message} (by ${head.author.name})`);
} finally {
  await rm(dir, { recursive: true, force: true });
  await git.close();
  await remote.remove();
  await registry.close();
}
