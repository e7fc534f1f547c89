/**
 * The dependency rule (docs/architecture.md), checked by `npm run check`:
 * production code in src/forge, src/presence-service and static/ reaches the other sides
 * only through src/protocol; src/protocol reaches nothing of ours; nothing in production
 * reaches src/sandbox or scripts/. Test code (tests, testing/, fixtures,
 * fakes) may reach anything: it is where the sides are wired together.
 */
const TEST = '(\\.test\\.ts$|/testing/|/__fixtures__/|/fixtures/|/fake-[^/]+\\.ts$)';

/** A production side may import itself and src/protocol, nothing else of ours. */
const side = (name, path) => ({
  name: `${name}-only-through-protocol`,
  severity: 'error',
  comment: `${path} reaches the other sides only through src/protocol`,
  from: { path: `^${path}/`, pathNot: TEST },
  to: { path: '^(src|static|scripts)/', pathNot: [`^${path}/`, '^src/protocol/'] },
});

module.exports = {
  forbidden: [
    side('forge', 'src/forge'),
    side('presence-service', 'src/presence-service'),
    side('static', 'static'),
    {
      name: 'protocol-is-a-leaf',
      severity: 'error',
      comment: 'src/protocol is shared by every side and imports none of them',
      from: { path: '^src/protocol/', pathNot: TEST },
      to: { path: '^(src|static|scripts)/', pathNot: '^src/protocol/' },
    },
    {
      name: 'production-never-reaches-sandbox-or-scripts',
      severity: 'error',
      comment: 'the local stand-ins and the build scripts are never shipped',
      from: { path: '^(src/(forge|presence-service|protocol)|static)/', pathNot: TEST },
      to: { path: '^(src/sandbox|scripts)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a runtime import cycle (type-only imports, erased by the compiler, do not count)',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|build|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
    },
  },
};
