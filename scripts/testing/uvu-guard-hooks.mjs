// Module resolve hook (node:module register): `import ... from 'uvu'` in a test resolves
// to uvu-guard.ts; the guard's own import of 'uvu' resolves to the real package.
const GUARD = new URL('./uvu-guard.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'uvu' && context.parentURL !== GUARD) return { url: GUARD, shortCircuit: true, format: 'module' };
  return next(specifier, context);
}
