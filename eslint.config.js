// Lint rules: typescript-eslint's recommended set, plus the determinism rules of the simulator path.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
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
