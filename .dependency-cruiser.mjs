// Layer rules, checked in CI by `npm run lint:layers`. Layers from the bottom: platform, web and shop, the privacy
// engine, features, and the composition root (app, composition, features list, main, worker, cli). Three
// type modules at the top of src are shared by the privacy engine and the features: deps.ts (the context a use
// case may draw on), database.ts (the tables) and feature.ts (the manifest shape); the platform may not use them. No
// exceptions are listed here on purpose: a violation is fixed in the code, not allowed in this file.
// Runtime import cycles are checked by a second pass, .dependency-cruiser.cycles.mjs (see there why).
// Tests follow the rules of the folder they sit in, except that they may import src/testing (the harness and
// factories); a test that needs the whole app gets it through the harness, not by importing the composition root.

const TEST_FILE = '\\.test\\.ts$';
const ROOT = '^src/(app|composition|features|main|worker|cli)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'platform-imports-only-platform',
      comment:
        'The platform is the bottom layer and knows no shop or privacy rules, so it may not import above itself.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^(src|bench|bin)/', pathNot: '^src/(platform|testing)/' },
    },
    {
      name: 'web-imports-only-platform-and-web',
      comment: 'The web layer (layout, page context, forms, assets) sits below features and the privacy engine.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^(src|bench|bin)/', pathNot: '^src/(platform|web|testing)/' },
    },
    {
      name: 'shop-imports-only-platform-and-shop',
      comment:
        'Shared shop concepts (money, addresses, provider interfaces) must not depend on any feature above them.',
      severity: 'error',
      from: { path: '^src/shop/' },
      to: { path: '^(src|bench|bin)/', pathNot: '^src/(platform|shop|testing)/' },
    },
    {
      name: 'privacy-never-imports-features',
      comment: 'Features declare their data to the privacy engine; the engine must not know any feature by name.',
      severity: 'error',
      from: { path: '^src/privacy/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'privacy-never-imports-composition-root',
      comment:
        'The composition root wires the privacy engine up, so the engine importing it would point the wrong way.',
      severity: 'error',
      from: { path: '^src/privacy/' },
      to: { path: ROOT },
    },
    {
      name: 'features-meet-only-through-index',
      comment: "A feature's index.ts is its public face; reaching into another feature's files couples their insides.",
      severity: 'error',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/[^/]+/', pathNot: ['^src/features/$1/', '^src/features/[^/]+/index\\.ts$'] },
    },
    {
      name: 'features-never-import-composition-root',
      comment:
        'The feature list and entry points import the features; a feature importing them makes a loop of layers.',
      severity: 'error',
      from: { path: '^src/features/' },
      to: { path: '^src/(app|composition|features|main|worker|cli)\\.ts$' },
    },
    {
      name: 'testing-only-from-tests',
      comment: 'Test support (harness, fakes, factories) must never be loaded by the running shop.',
      severity: 'error',
      from: { pathNot: [TEST_FILE, '^src/testing/', '^bench/'] },
      to: { path: '^src/testing/' },
    },
  ],
  options: {
    // Follow `import type` too: a type import still ties one layer to another.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
