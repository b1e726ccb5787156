import { createHash } from 'node:crypto';
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, test } from 'vitest';
import {
  AutomationError,
  createTemplateData,
  DEFAULT_COMMIT_TEMPLATE,
  parseCommitTemplate,
  renderCommitMessage,
  type TemplateChange,
} from '../src/index.js';

const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo', namespace: 'default' };
const changes: TemplateChange[] = [
  {
    file: 'apps/podinfo.yaml',
    ...deploy,
    oldValue: 'ghcr.io/stefanprodan/podinfo:5.0.0',
    newValue: 'ghcr.io/stefanprodan/podinfo:5.0.3',
    setter: 'flux-system:podinfo',
  },
  {
    file: 'apps/redis.yaml',
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: 'Redis',
    namespace: 'cache',
    oldValue: '7.0',
    newValue: '7.2',
    setter: 'flux-system:redis:tag',
  },
];
const data = createTemplateData({
  automation: { namespace: 'flux-system', name: 'auto' },
  values: { cluster: 'prod' },
  changes,
});

// The templates are Flux's documentation's (docs/spec/v1/imageupdateautomations.md), byte for byte.
const filesObjects = `Automated image update

Automation name: {{ .AutomationObject }}

Files:
{{ range $filename, $_ := .Changed.FileChanges -}}
- {{ $filename }}
{{ end -}}

Objects:
{{ range $resource, $changes := .Changed.Objects -}}
- {{ $resource.Kind }} {{ $resource.Name }}
  Changes:
{{- range $_, $change := $changes }}
    - {{ $change.OldValue }} -> {{ $change.NewValue }}
{{ end -}}
{{ end -}}
`;

const lowerContains = `Automated image update

Automation name: {{ .AutomationObject }}

Files:
{{ range $filename, $_ := .Changed.FileChanges -}}
- {{ $filename }}
{{ end -}}

Objects:
{{ range $resource, $changes := .Changed.Objects -}}
- {{ $resource.Kind | lower }} {{ $resource.Name | lower }}
  Changes:
{{- range $_, $change := $changes }}
  {{ if contains "5.0.3" $change.NewValue -}}
    - {{ $change.OldValue }} -> {{ $change.NewValue }}
  {{ else -}}
    [skip ci] wrong image
  {{ end -}}
{{ end -}}
{{ end -}}
`;

const gerrit = `Perform automatic image update

Automation name: {{ .AutomationObject }}

{{- $ChangeId := .AutomationObject -}}
{{- $ChangeId = printf "%s%s" $ChangeId ( .Changed.FileChanges | toString ) -}}
{{- $ChangeId = printf "%s%s" $ChangeId ( .Changed.Objects | toString ) -}}
{{- $ChangeId = printf "%s%s" $ChangeId ( .Changed.Changes | toString ) }}
Change-Id: {{ printf "I%s" ( sha256sum $ChangeId | trunc 40 ) }}
`;

describe('Flux documentation templates', () => {
  test('the Files/Objects/Changes template', () => {
    expect(renderCommitMessage(filesObjects, data)).toBe(`Automated image update

Automation name: flux-system/auto

Files:
- apps/podinfo.yaml
- apps/redis.yaml
Objects:
- Deployment podinfo
  Changes:
    - ghcr.io/stefanprodan/podinfo:5.0.0 -> ghcr.io/stefanprodan/podinfo:5.0.3
- StatefulSet Redis
  Changes:
    - 7.0 -> 7.2
`);
  });

  test('the lower/contains variant', () => {
    expect(renderCommitMessage(lowerContains, data)).toBe(`Automated image update

Automation name: flux-system/auto

Files:
- apps/podinfo.yaml
- apps/redis.yaml
Objects:
- deployment podinfo
  Changes:
  - ghcr.io/stefanprodan/podinfo:5.0.0 -> ghcr.io/stefanprodan/podinfo:5.0.3
  - statefulset redis
  Changes:
  [skip ci] wrong image
  `);
  });

  test('.Values', () => {
    expect(
      renderCommitMessage(
        'Automated image update by Flux for cluster {{ .Values.cluster }}.',
        data,
      ),
    ).toBe('Automated image update by Flux for cluster prod.');
  });

  test('the Gitea print/println template', () => {
    expect(
      renderCommitMessage(
        '{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}',
        data,
      ),
    ).toBe(
      'ghcr.io/stefanprodan/podinfo:5.0.0 -> ghcr.io/stefanprodan/podinfo:5.0.3\n7.0 -> 7.2\n',
    );
  });

  test('the Gerrit Change-Id template hashes the %v forms of the data', () => {
    const fileChanges =
      'map[apps/podinfo.yaml:map[{{{apps/v1 Deployment} {podinfo default}}}:[{ghcr.io/stefanprodan/podinfo:5.0.0 ghcr.io/stefanprodan/podinfo:5.0.3 flux-system:podinfo}]] apps/redis.yaml:map[{{{apps/v1 StatefulSet} {Redis cache}}}:[{7.0 7.2 flux-system:redis:tag}]]]';
    const objects =
      'map[{{{apps/v1 Deployment} {podinfo default}}}:[{ghcr.io/stefanprodan/podinfo:5.0.0 ghcr.io/stefanprodan/podinfo:5.0.3 flux-system:podinfo}] {{{apps/v1 StatefulSet} {Redis cache}}}:[{7.0 7.2 flux-system:redis:tag}]]';
    const flat =
      '[{ghcr.io/stefanprodan/podinfo:5.0.0 ghcr.io/stefanprodan/podinfo:5.0.3 flux-system:podinfo} {7.0 7.2 flux-system:redis:tag}]';
    expect(renderCommitMessage('{{ .Changed.FileChanges | toString }}', data)).toBe(fileChanges);
    expect(renderCommitMessage('{{ .Changed.Objects | toString }}', data)).toBe(objects);
    const id = createHash('sha256')
      .update(`flux-system/auto${fileChanges}${objects}${flat}`)
      .digest('hex')
      .slice(0, 40);
    expect(renderCommitMessage(gerrit, data)).toBe(`Perform automatic image update

Automation name: flux-system/auto
Change-Id: I${id}
`);
  });
});

describe('.Updated', () => {
  const seed = createTemplateData({
    automation: { namespace: 'flux-system', name: 'flux-system' },
    changes: [
      {
        file: 'deploy.yaml',
        ...deploy,
        oldValue: 'registry.example.com/my-app:1.4.2',
        newValue: 'registry.example.com/my-app:1.9.0',
        setter: 'flux-system:my-app',
      },
      {
        file: 'values.yaml',
        oldValue: 'registry.example.com/old',
        newValue: 'registry.example.com/my-app',
        setter: 'flux-system:web:name',
      },
      { file: 'values.yaml', oldValue: '1.0', newValue: '1.1', setter: 'flux-system:web:tag' },
    ],
  });
  const tpl = 'chore: update image to {{range .Updated.Images}}{{.}}{{end}}';

  test('works under v1beta2 (one image per policy, :name and :tag joined) and is flagged', () => {
    const t = parseCommitTemplate(tpl, { apiVersion: 'image.toolkit.fluxcd.io/v1beta2' });
    expect(t.usesUpdated).toBe(true);
    expect(t.render(seed)).toBe(
      'chore: update image to registry.example.com/my-app:1.9.0registry.example.com/my-app:1.1',
    );
    expect(
      renderCommitMessage(
        '{{range $f, $r := .Updated.Files}}{{$f}} {{range $o, $refs := $r.Objects}}{{$refs}}{{end}};{{end}}',
        seed,
      ),
    ).toBe(
      'deploy.yaml [registry.example.com/my-app:1.9.0];values.yaml [registry.example.com/my-app:1.1];',
    );
    expect(
      renderCommitMessage(
        '{{range .Updated.Images}}{{.Identifier}} {{.Policy}} {{.Repository}};{{end}}',
        seed,
      ),
    ).toBe('1.9.0 flux-system/my-app my-app;1.1 flux-system/web my-app;');
  });

  test('fails under v1 with Flux message, at parse time and at render time', () => {
    const e = expectCode(
      () => parseCommitTemplate(tpl, { apiVersion: 'image.toolkit.fluxcd.io/v1' }),
      AutomationError,
      'TEMPLATE_PARSE',
    );
    expect(e.message).toContain(
      "template uses removed '.Updated' field. Please use '.Changed' instead.",
    );
    const t = parseCommitTemplate('{{with $x := .}}{{$x.Updated}}{{end}}', {
      apiVersion: 'image.toolkit.fluxcd.io/v1',
    });
    const r = expectCode(() => t.render(seed), AutomationError, 'TEMPLATE_EXEC');
    expect(r.message).toContain("template uses removed '.Updated' field");
  });

  test('is not flagged when dot is not the root', () => {
    expect(
      parseCommitTemplate('{{range .Changed.Changes}}{{.Updated}}{{end}}', {
        apiVersion: 'image.toolkit.fluxcd.io/v1',
      }).usesUpdated,
    ).toBe(false);
  });
});

describe('errors and defaults', () => {
  test('an empty template is Flux default message', () => {
    expect(renderCommitMessage('', data)).toBe(DEFAULT_COMMIT_TEMPLATE);
    expect(DEFAULT_COMMIT_TEMPLATE).toBe('Update from image update automation');
  });

  test('a syntax error is TEMPLATE_PARSE with Go message, line and column', () => {
    const e = expectCode(
      () => parseCommitTemplate('line one\n  {{ if .x }}'),
      AutomationError,
      'TEMPLATE_PARSE',
    );
    expect(e.message).toBe('template: msg:2: unexpected EOF');
    expect(e.line).toBe(2);
  });

  test('a non-deterministic sprig function is not defined', () => {
    for (const f of ['now', 'randAlpha', 'uuidv4', 'env', 'expandenv', 'date']) {
      const e = expectCode(
        () => parseCommitTemplate(`{{ ${f} }}`),
        AutomationError,
        'TEMPLATE_PARSE',
      );
      expect(e.message).toBe(`template: msg:1: function "${f}" not defined`);
    }
  });

  test('a failing function is TEMPLATE_EXEC with Go location', () => {
    const e = expectCode(
      () => renderCommitMessage('ok\n{{ .Changed.Nope }}', data),
      AutomationError,
      'TEMPLATE_EXEC',
    );
    expect(e.message).toBe(
      'template: msg:2:11: executing "msg" at <.Changed.Nope>: can\'t evaluate field Nope in type update.Result',
    );
    expect(e.line).toBe(2);
  });

  test('createTemplateData rejects a change without strings', () => {
    expectCode(
      () =>
        createTemplateData({
          automation: { namespace: 'a', name: 'b' },
          changes: [{ file: 'x' } as unknown as TemplateChange],
        }),
      AutomationError,
      'INVALID_ARGUMENT',
    );
  });
});
