/**
 * A jest transform that gives the JSON imports of @actions/languageservice and
 * @actions/workflow-parser the `with { type: 'json' }` their published modules lack.
 *
 * Why here, and not elsewhere: plain Node refuses those imports (ERR_IMPORT_ASSERTION_TYPE_MISSING
 * on 20, ERR_IMPORT_ATTRIBUTE_MISSING on 24). Jest links ESM itself, in a vm, so a Node load hook
 * (`module.register`, `--import`) never sees them; jest 30 lets them through with a deprecation
 * warning per import and says its next major will refuse them. The packages have no CommonJS
 * build to load instead (their exports have only `import`), and a moduleNameMapper cannot help:
 * jest checks the attribute by the resolved path ending in `.json`. So the importing module's
 * source gets the attribute, as GitHub's own source would need to say it.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

// A default import of a relative .json file, which is all these packages do.
const JSON_IMPORT = /^(import\s+[\w$]+\s+from\s+(["'])\.{1,2}\/[^"']+\.json\2)\s*;/gm
const self = readFileSync(new URL(import.meta.url), 'utf8')

export default {
  process(source) {
    return { code: source.replace(JSON_IMPORT, '$1 with { type: "json" };') }
  },
  // Jest caches transformed files; a change to this file must not reuse what it produced before.
  getCacheKey(source, path, options) {
    return createHash('sha256')
      .update(self)
      .update(path)
      .update(source)
      .update(options.configString)
      .digest('hex')
  }
}
