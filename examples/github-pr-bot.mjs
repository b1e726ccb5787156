// A custom image-update bot that opens a pull request on GitHub instead of
// pushing to main, composed from the primitives: @tagsmith/registry lists the
// tags, @tagsmith/policy picks one as a Flux ImagePolicy would, @tagsmith/setters
// patches the marked fields in the text read through the API, @tagsmith/git's
// GitHubRepository commits to a branch (no clone) and opens or updates the pull
// request, and @tagsmith/automation renders a Flux commit message template.
// The "GitHub" is the testkit's GitHub API over a local bare repository, so it
// runs offline; for github.com leave out `baseUrl` and `writeIntervalMs` and
// pass a token. A second run, after a new tag, updates the same pull request.
// Run after `pnpm build`:
//   node examples/github-pr-bot.mjs
import { createTemplateData, renderCommitMessage } from '@tagsmith/automation';
import { GitHubRepository } from '@tagsmith/git';
import { compilePolicy, excludeTags } from '@tagsmith/policy';
import { RegistryClient } from '@tagsmith/registry';
import { updateText } from '@tagsmith/setters';
import { createGitFixture, startGitHubServer, startRegistry } from '@tagsmith/testkit';

// What the bot is configured with: one ImagePolicy's spec, the directory it may
// change, the branch of its pull request, and a Flux commit message template.
const IMAGE = 'registry.example.com/my-app';
const POLICY = 'flux-system:my-app';
const policy = compilePolicy({ policy: { semver: { range: '>=1.0.0 <2.0.0' } } });
const UPDATE_PATH = 'apps';
const BRANCH = 'tagsmith/my-app';
const AUTHOR = { name: 'tagsmith-bot', email: 'bot@example.com' };
const MESSAGE_TEMPLATE = `chore(my-app): update to {{ .Values.ref }}

Automation: {{ .AutomationObject }}
{{ range $file, $changes := .Changed.FileChanges -}}
{{ range $object, $list := $changes }}{{ range $list }}
- {{ $file }} ({{ $object.Kind }}{{ with $object.Name }} {{ . }}{{ end }}): {{ .OldValue }} -> {{ .NewValue }}
{{- end }}{{ end }}{{ end }}
`;

/** One cycle of the bot: list, choose, patch what is on main, commit to the PR branch, open or update the PR. */
async function runBot({ registryClient, github }) {
  const tags = excludeTags(await registryClient.listTags(IMAGE));
  const explanation = policy.explain(tags);
  console.log(`${IMAGE}: ${explanation.summary}`);
  if (explanation.selected === undefined) return;
  const policies = { [POLICY]: { name: IMAGE, tag: explanation.selected } };

  // Patch the files of main: the pull request always holds main plus this bump.
  const files = [];
  const changes = [];
  for (const path of await github.listFiles('main', UPDATE_PATH)) {
    if (!/\.ya?ml$/.test(path)) continue;
    const result = updateText(await github.readFile(path, 'main'), policies, { path });
    for (const problem of result.problems) console.log(`  ${path}: ${problem.message}`);
    if (result.changes.length === 0) continue;
    files.push({ path, content: result.text });
    for (const change of result.changes) {
      // Flux keys FileChanges by the path relative to update.path.
      changes.push({ ...change.object, ...change, file: path.slice(UPDATE_PATH.length + 1) });
    }
  }
  if (files.length === 0) {
    console.log('main already runs it: nothing to propose');
    return;
  }

  const message = renderCommitMessage(
    MESSAGE_TEMPLATE,
    createTemplateData({
      automation: { namespace: 'flux-system', name: 'my-app-bot' },
      // Flux's messageTemplateValues: `.Values` in the template.
      values: { ref: `${IMAGE}:${explanation.selected}` },
      changes,
    }),
  );
  const [title, ...body] = message.split('\n');
  // commitFiles creates the branch from main the first time and adds a commit on top of it
  // after that; it returns undefined when the branch already holds these contents.
  const commit = await github.commitFiles({
    branch: BRANCH,
    base: 'main',
    files,
    message,
    author: AUTHOR,
  });
  const pull = await github.openOrUpdatePullRequest({
    head: BRANCH,
    base: 'main',
    title,
    body: body.join('\n').trim(),
    labels: ['dependencies'],
  });
  console.log(`pull request #${pull.number} ${pull.created ? 'opened' : 'updated'}: ${pull.title}`);
  console.log(
    `  branch ${pull.head} -> ${pull.base}, commit ${commit ? commit.sha.slice(0, 7) : 'none'}`,
  );
  for (const { path } of files) console.log(`  changed ${path}`);
}

const registry = await startRegistry();
const remote = await createGitFixture({
  files: {
    'apps/my-app/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: my-app, namespace: my-app }
spec:
  template:
    spec:
      containers:
        - name: my-app
          image: registry.example.com/my-app:1.4.2 # {"$imagepolicy": "flux-system:my-app"}
`,
    'apps/my-app/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [deployment.yaml]
images:
  - name: registry.example.com/my-app
    newTag: 1.4.2 # {"$imagepolicy": "flux-system:my-app:tag"}
`,
    'README.md': '# fleet\n',
  },
});
const server = await startGitHubServer({
  bareRepo: remote.bareDir,
  owner: 'acme',
  repo: 'fleet',
  token: 'ghs_example',
});
try {
  await registry.pushTags('my-app', ['1.0.0', '1.4.2', '1.9.0', '2.0.0', 'latest']);
  const registryClient = new RegistryClient({
    // The manifests name registry.example.com; the testkit registry serves it here.
    hosts: { 'registry.example.com': { endpoint: registry.url } },
  });
  const github = new GitHubRepository({
    owner: 'acme',
    repo: 'fleet',
    auth: 'ghs_example', // e.g. process.env.GITHUB_TOKEN
    baseUrl: server.url, // leave out for github.com
    writeIntervalMs: 0, // the test server has no write limit; leave out for GitHub
  });

  console.log('== first run');
  await runBot({ registryClient, github });
  console.log(`\n${(await github.readFile('apps/my-app/kustomization.yaml', BRANCH)).trim()}`);

  console.log('\n== 1.9.1 is pushed; second run');
  await registry.pushTags('my-app', ['1.9.1']);
  await runBot({ registryClient, github });

  const pulls = server.pulls();
  console.log(`\nopen pull requests: ${pulls.length}`);
  console.log(pulls[0].body);
  console.log(
    `main still runs: ${(await github.readFile('apps/my-app/deployment.yaml', 'main')).match(/my-app:\S+/)[0]}`,
  );
} finally {
  await server.close();
  await remote.remove();
  await registry.close();
}
