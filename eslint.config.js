// Lint rules: typescript-eslint's recommended set, plus the determinism rules of the simulator path.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, bottom to top (docs/design.md, "Layers"). A folder may import only
 * folders of a lower layer; folders that share a layer may not import each other. The
 * `no-restricted-imports` rules below are made from this table, and
 * test/project/layers.test.ts checks the same table and that no import cycle exists.
 */
export const LAYERS = [
  ['util'],
  ['core'],
  ['trace'],
  ['scenario'],
  ['world'],
  ['program'],
  ['sim', 'transport'],
  ['check'],
  ['export'],
  ['api'],
  ['repro'],
  ['ci', 'sweep'],
  ['cli'],
  ['bench'],
];

function layerRules() {
  return LAYERS.flatMap((layer, rank) => layer.map((folder) => {
    const above = LAYERS.slice(rank).flat().filter((f) => f !== folder);
    if (above.length === 0) return null;
    return {
      files: [`src/${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': ['error', {
          patterns: [{
            group: above.map((f) => `../${f}/*`),
            message: `src/${folder} may import only lower layers (docs/design.md, "Layers").`,
          }],
        }],
      },
    };
  })).filter((config) => config !== null);
}

/**
 * src/cli reaches the layers below the API only through src/api/index.ts, the one door
 * (docs/design.md, "Layers"); it may also use util/ and the layers above the API (repro/,
 * ci/, sweep/). A command that is itself about a layer is named here with the folders it may
 * import directly, and says why in a comment at the import.
 */
const BEHIND_API = ['core', 'trace', 'scenario', 'world', 'program', 'sim', 'transport', 'check', 'export'];
export const CLI_EXCEPTIONS = {
  // `vcsim node` is one live node on a socket: it runs src/transport's InteractiveNode.
  'src/cli/node.ts': ['transport'],
};

function cliRules() {
  const layer = layerRules().find((c) => c.files[0] === 'src/cli/**/*.ts').rules['no-restricted-imports'][1].patterns;
  const rule = (allowed) => ['error', {
    patterns: [...layer, {
      group: [...BEHIND_API.filter((f) => !allowed.includes(f)).map((f) => `../${f}/*`), '../api/*', '!../api/index.js'],
      message: 'src/cli imports the lower layers through src/api/index.ts only (docs/design.md, "Layers").',
    }],
  }];
  return [
    { files: ['src/cli/**/*.ts'], ignores: Object.keys(CLI_EXCEPTIONS), rules: { 'no-restricted-imports': rule([]) } },
    ...Object.entries(CLI_EXCEPTIONS).map(([file, allowed]) => ({ files: [file], rules: { 'no-restricted-imports': rule(allowed) } })),
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules(),
  ...cliRules(),
  {
    // The core and the simulator must be deterministic: no wall clock, no unseeded randomness.
    files: ['src/core/**/*.ts', 'src/sim/**/*.ts', 'src/check/**/*.ts', 'src/export/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Use a seeded stream from src/sim/rng.ts.' },
        { object: 'Date', property: 'now', message: 'Virtual time only in the simulator path.' },
        { object: 'performance', property: 'now', message: 'Virtual time only in the simulator path.' },
      ],
    },
  },
);
