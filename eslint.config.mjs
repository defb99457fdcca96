import tseslint from 'typescript-eslint';

/**
 * Import layers (docs/architecture.md). Relative imports are matched by the top-level folder they reach:
 *   runtime code (lambda/, hosts/, containers/) -> common/ and its own tree only; no CDK;
 *   common/ -> nothing of the project outside common/; no CDK;
 *   infrastructure (bin/, lib/, config/) -> lib/, config/, common/, and *types* of runtime code
 *   (a renderer writes what a host program reads); never runtime values, tests or tools.
 * Tests, benchmarks, the drill and scripts may import anything.
 */
const reach = (...folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;
const CDK = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'];
const TOOLS = ['test', 'bench', 'drill', 'scripts'];

const layer = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      paths: [],
      patterns: [
        ...patterns.map((p) => ({ ...p, message })),
      ],
    }],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out*/**', 'coverage/**', '**/*.js', '**/*.mjs', 'test/__snapshots__/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  layer(['lambda/**/*.ts'], [{ regex: reach('lib', 'config', 'bin', 'hosts', 'containers', ...TOOLS) }, { group: CDK }],
    'lambda/ may import common/ and lambda/ only (docs/architecture.md#import-layers)'),
  layer(['hosts/**/*.ts'], [{ regex: reach('lib', 'config', 'bin', 'lambda', 'containers', ...TOOLS) }, { group: CDK }],
    'hosts/ may import common/ and hosts/ only (docs/architecture.md#import-layers)'),
  layer(['containers/**/*.ts'], [{ regex: reach('lib', 'config', 'bin', 'lambda', 'hosts', ...TOOLS) }, { group: CDK }],
    'containers/ may import common/ and containers/ only (docs/architecture.md#import-layers)'),
  layer(['common/**/*.ts'], [{ regex: reach('lib', 'config', 'bin', 'lambda', 'hosts', 'containers', ...TOOLS) }, { group: CDK }],
    'common/ may import common/ only (docs/architecture.md#import-layers)'),
  layer(['lib/**/*.ts', 'bin/**/*.ts', 'config/**/*.ts'], [
    { regex: reach('lambda', 'hosts', 'containers'), allowTypeImports: true },
    { regex: reach(...TOOLS) },
  ], 'lib/, bin/ and config/ may import runtime code for its types only, never tests or tools (docs/architecture.md#import-layers)'),
);
