// `node --import ./record-imports.mjs …`: appends every module URL the process loads to
// $PULLGUARD_IMPORT_LOG (one per line), so a test can assert what a command does NOT load.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      appendFileSync(process.env.PULLGUARD_IMPORT_LOG, result.url + '\\n');
      return result;
    }
  `)}`,
);
