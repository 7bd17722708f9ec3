/** What each recipe import_result means, from Workato's docs and its OpenAPI spec. */
export interface RecipeResult {
  id: string
  import_result: string
  ok: boolean
}

const MEANINGS: Readonly<Record<string, { ok: boolean; meaning: string }>> = {
  no_update_or_update_without_restart: {
    ok: true,
    meaning: 'No restart was needed: updated without a restart, or nothing to update.'
  },
  // The OpenAPI spec and Workato's CLI spell it this way; the docs spell it as above.
  no_update_or_updated_without_restart: {
    ok: true,
    meaning: 'No restart was needed: updated without a restart, or nothing to update.'
  },
  restarted: { ok: true, meaning: 'Updated and restarted.' },
  not_found: {
    ok: false,
    meaning: 'Workato could not find the recipe; it was not updated.'
  },
  stop_failed: {
    ok: false,
    meaning: 'Workato could not stop the running recipe; it was not updated.'
  },
  stopped: {
    ok: false,
    meaning:
      'Updated, but left stopped: Workato did not restart it because of errors in the recipe.'
  },
  restart_failed: {
    ok: false,
    meaning: 'Updated, but Workato failed to restart it; it is stopped.'
  }
}

export function describeResult(importResult: string): { ok: boolean; meaning: string } {
  // Fail closed: a value nobody has documented is not a success.
  return (
    (Object.hasOwn(MEANINGS, importResult) ? MEANINGS[importResult] : undefined) ?? {
      ok: false,
      meaning: 'Unknown result: not one Workato documents, so treated as a failure.'
    }
  )
}

/** Reads recipe_status defensively: Workato's samples are not always well-formed. */
export function classifyRecipes(recipeStatus: unknown): RecipeResult[] {
  if (recipeStatus === undefined || recipeStatus === null) return []
  if (!Array.isArray(recipeStatus)) {
    return [{ id: '?', import_result: 'malformed recipe_status', ok: false }]
  }
  return recipeStatus.map(entry => {
    const e = (entry ?? {}) as Record<string, unknown>
    const id = typeof e.id === 'number' || typeof e.id === 'string' ? String(e.id) : '?'
    const importResult =
      typeof e.import_result === 'string' ? e.import_result : String(e.import_result)
    return { id, import_result: importResult, ok: describeResult(importResult).ok }
  })
}

/** Failures first, so the table shows what needs attention at the top. */
export function failuresFirst(results: RecipeResult[]): RecipeResult[] {
  return [...results.filter(r => !r.ok), ...results.filter(r => r.ok)]
}
