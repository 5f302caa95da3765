// The house's floors, enforced: `npm run lint` runs dependency-cruiser with this file.
// docs/architecture.md describes the layers; docs/decisions/0090-layers-dependency-cruiser.md why this tool.
//
// LAYERS lists the folders of app/, bottom first. A folder may import only folders of LOWER layers
// (never one of its own layer, never one above), always through their index.ts. That order is the
// whole rule: with it no two folders can import each other, so there is no folder circle. Tests
// (*.test.ts) sit outside the order (a test may start the whole core), but nothing imports a test.
const LAYERS = [
  ['contract'], // call and event definitions, zod shapes, ScribeError, roles: imports only zod
  ['secrets', 'audio', 'assets', 'session'],
  ['vault', 'audit'],
  ['transcribe', 'coding', 'draft', 'fhir'],
  ['encounter', 'settings', 'metrics', 'queue', 'retention', 'security'],
  ['dictation'],
  ['core'], // the composition root, the dispatcher and the handlers
  ['web-bridge'],
  ['cli'],
];

const NOT_A_TEST = '\\.test\\.ts$';
const folderPattern = (folders) => `^app/(${folders.join('|')})/`;

const layerRules = LAYERS.flatMap((layer, i) => {
  const below = LAYERS.slice(0, i).flat();
  return layer.map((folder) => {
    const notAllowed = LAYERS.slice(i)
      .flat()
      .filter((f) => f !== folder);
    return {
      name: `layer:${folder}`,
      comment:
        `app/${folder} is in layer ${i} of .dependency-cruiser.cjs; it may import only ` +
        (below.length ? below.join(', ') : 'zod') +
        ' (docs/architecture.md).',
      severity: 'error',
      from: { path: `^app/${folder}/`, pathNot: NOT_A_TEST },
      to: { path: folderPattern(notAllowed) },
    };
  });
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Two files that import each other (directly or round about) cannot be read, tested or loaded one without the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-circular',
      comment: 'Folders that import each other are one folder in disguise: move the shared part down a layer.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'contract-imports-only-zod',
      comment: 'app/contract is the floor: it imports only zod, so every folder can import it without pulling anything else in.',
      severity: 'error',
      from: { path: '^app/contract/' },
      to: { pathNot: '^(app/contract/|node_modules/zod/)' },
    },
    {
      name: 'through-the-index',
      comment: 'Another folder is used through its index.ts, its public face; its other files are its own business.',
      severity: 'error',
      from: { path: '^app/([^/]+)/', pathNot: NOT_A_TEST },
      to: { path: '^app/[^/]+/', pathNot: ['^app/$1/', '^app/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-test-imports',
      comment: 'Nothing imports a test file.',
      severity: 'error',
      from: {},
      to: { path: NOT_A_TEST },
    },
    {
      name: 'test-support-stays-out-of-the-app',
      comment: 'testing/ is not shipped (electron-builder.yml): only tests, e2e, benches and testing/ itself may import it.',
      severity: 'error',
      from: { path: '^(app|main|renderer|bin|scripts)/', pathNot: NOT_A_TEST },
      to: { path: '^testing/' },
    },
  ],
  options: {
    // Tests are leaves: their imports are not followed, so a test that starts the whole core does not
    // count as its folder importing core (no-test-imports makes sure nothing imports a test).
    doNotFollow: { path: ['node_modules', '\\.test\\.tsx?$', '\\.spec\\.ts$'] },
    exclude: { path: '^(node_modules|dist|release|\\.tmp|\\.tools|test-results|playwright-report)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.js', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
