import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'Never eval: use our own parsers.' },
        { selector: "NewExpression[callee.name='Function']", message: 'Never new Function.' },
      ],
    },
  },
  {
    files: ['sim/**/*.ts'],
    ignores: ['sim/clock/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'sim/ reads time only from the injected Clock.' },
        { object: 'Math', property: 'random', message: 'sim/ draws randomness only from the injected Rng.' },
        { object: 'performance', property: 'now', message: 'sim/ reads time only from the injected Clock.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'sim/ schedules only through the injected Clock.' },
        { name: 'setInterval', message: 'sim/ schedules only through the injected Clock.' },
        { name: 'setImmediate', message: 'sim/ schedules only through the injected Clock.' },
        { name: 'process', message: 'sim/ has no process: the cli layer owns argv, stdout and exit codes.' },
      ],
    },
  },
);
