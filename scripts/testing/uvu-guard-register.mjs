// `node --import tsx --import ./scripts/testing/uvu-guard-register.mjs <file>` makes every
// `import ... from 'uvu'` of a test load uvu-guard.ts instead (see there); the guard's own
// import of 'uvu' gets the real package. tsx runs this repo's .ts files as CommonJS, so the
// require path is redirected too; the ESM hook covers .mts files and a future "type": "module".
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const GUARD = fileURLToPath(new URL('./uvu-guard.ts', import.meta.url));

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'uvu' && parent?.filename !== GUARD) return GUARD;
  return resolveFilename.call(this, request, parent, ...rest);
};

register('./uvu-guard-hooks.mjs', import.meta.url);
