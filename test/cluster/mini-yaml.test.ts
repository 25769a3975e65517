/**
 * The tiny YAML reader the manifest checks rely on. Reference: YAML 1.2.2 (block mappings and
 * sequences, "- key: value" items, quoted scalars, literal block scalars with clip and strip chomping,
 * core-schema typing of plain scalars) and the Kubernetes documentation's own Indexed Job example
 * (kubernetes.io, "Indexed Job for Parallel Processing with Static Work Assignment"), whose structure
 * is written out by hand below. Unsupported constructs must be refused, not misread.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseYamlSubset, YamlSubsetError } from './mini-yaml.ts';

const KUBERNETES_EXAMPLE = `apiVersion: batch/v1
kind: Job
metadata:
  name: 'indexed-job'
spec:
  completions: 5
  parallelism: 3
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: 'input'
        image: 'docker.io/library/bash'
        command:
        - "bash"
        - "-c"
        - |
          items=(foo bar baz qux xyz)
          echo \${items[$JOB_COMPLETION_INDEX]} > /input/data.txt
        volumeMounts:
        - mountPath: /input
          name: input
      containers:
      - name: 'worker'
        image: 'docker.io/library/busybox'
        command:
        - "rev"
        - "/input/data.txt"
        volumeMounts:
        - mountPath: /input
          name: input
      volumes:
      - name: input
        emptyDir: {}
`;

test('reads the Kubernetes documentation example Indexed Job', () => {
  assert.equal(parseYamlSubset(KUBERNETES_EXAMPLE), {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'indexed-job' },
    spec: {
      completions: 5,
      parallelism: 3,
      completionMode: 'Indexed',
      template: {
        spec: {
          restartPolicy: 'Never',
          initContainers: [
            {
              name: 'input',
              image: 'docker.io/library/bash',
              command: ['bash', '-c', 'items=(foo bar baz qux xyz)\necho ${items[$JOB_COMPLETION_INDEX]} > /input/data.txt\n'],
              volumeMounts: [{ mountPath: '/input', name: 'input' }],
            },
          ],
          containers: [
            {
              name: 'worker',
              image: 'docker.io/library/busybox',
              command: ['rev', '/input/data.txt'],
              volumeMounts: [{ mountPath: '/input', name: 'input' }],
            },
          ],
          volumes: [{ name: 'input', emptyDir: {} }],
        },
      },
    },
  });
});

test('scalars: quotes, escapes, comments, core-schema types, flow sequences', () => {
  const doc = parseYamlSubset(
    [
      '# a comment line',
      'a: "x # not a comment"  # a comment',
      "b: 'it''s'",
      'c: "tab\\tquote\\""',
      'd: 42',
      'e: -1.5e3',
      'f: true',
      'g: ~',
      'h: "42"',
      'i: image:tag',
      'j: ["npx", storsim, 3]',
      'k: []',
      'l: |-',
      '  line one',
      '',
      '  line # two',
      'm:',
      '- 1',
      '- - nested',
      "n: \"metadata.annotations['batch.kubernetes.io/job-completion-index']\"",
    ].join('\n'),
  );
  assert.equal(doc, {
    a: 'x # not a comment',
    b: "it's",
    c: 'tab\tquote"',
    d: 42,
    e: -1500,
    f: true,
    g: null,
    h: '42',
    i: 'image:tag',
    j: ['npx', 'storsim', 3],
    k: [],
    l: 'line one\n\nline # two',
    m: [1, ['nested']],
    n: "metadata.annotations['batch.kubernetes.io/job-completion-index']",
  });
});

test('refuses what it does not read, naming the line', () => {
  const cases: [string, RegExp][] = [
    ['a: &anchor 1\nb: *anchor', /line 1: .*anchors/],
    ['a: !!str 1', /line 1: .*tags/],
    ['a: >\n  folded', /line 1: .*folded/],
    ['a: 1\na: 2', /line 2: duplicate key "a"/],
    ['a: {b: 1}', /line 1: flow mappings/],
    ['a: 1\n---\nb: 2', /line 2: several documents/],
    ['a:\n\tb: 1', /line 2: tabs/],
    ['a: 1\n    b: 2', /line 2: unexpected indentation/],
    ['a: "open', /line 1: unterminated/],
  ];
  for (const [source, message] of cases) {
    assert.throws(() => parseYamlSubset(source), (error: unknown) => error instanceof YamlSubsetError && message.test(error.message), source);
  }
});

test.run();
