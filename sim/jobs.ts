/**
 * Workato's package jobs, simulated: each runs for a scripted number of status checks (or a
 * minimum time), then ends as scripted; answers are shaped as the spec's PackageResponse (the
 * POSTs) or PackageDetailsResponse (GET by id).
 */

export interface JobScript {
  /** How many status checks still report a running status before the job finishes. */
  runningChecks: number
  /** Statuses reported while running, in turn (default: in_progress). */
  runningStatuses: string[]
  /** Minimum wall time before the job finishes. */
  minMs: number
  outcome: 'completed' | 'failed'
  /** The word reported for the outcome, when not the outcome's own (succeeded, error …). */
  reportAs?: string
  error?: string
  /** `error_parts` of a failed job, as Workato's Go CLI prints them (shape undocumented). */
  errorParts?: unknown
}

export interface ImportScript extends JobScript {
  /**
   * The POST already answers with the final status (as the docs' own sample does), but, as the
   * spec's PackageResponse, without recipe_status: only GET /api/packages/{id} carries those.
   */
  completeOnPost: boolean
  /** Explicit recipe_status; by default one success per *.recipe.json in the zip. */
  recipeStatus?: Array<{ id: number | string; import_result: string }>
  /** The package read by id carries no recipe_status at all. */
  omitRecipeStatus?: boolean
  /** The next this many import POSTs after this one are refused as "another import running". */
  thenRefuse?: number
}

export interface Job {
  id: number
  workspace: string
  operation: 'export' | 'import'
  manifestId?: string
  script: JobScript
  checks: number
  startedAt: number
  finishedAt?: number
  content?: Buffer | { file: string }
  recipeStatus?: Array<{ id: number | string; import_result: string }>
}

export const defaultJob = (): JobScript => ({
  runningChecks: 1,
  runningStatuses: ['in_progress'],
  minMs: 0,
  outcome: 'completed'
})

export class Jobs {
  private readonly jobs = new Map<number, Job>()
  private nextId = 240

  get(id: number): Job | undefined {
    return this.jobs.get(id)
  }

  create(
    workspace: string,
    operation: 'export' | 'import',
    script: JobScript,
    content?: Job['content']
  ): Job {
    const job: Job = {
      id: this.nextId++,
      workspace,
      operation,
      script,
      checks: 0,
      startedAt: Date.now(),
      content
    }
    this.jobs.set(job.id, job)
    return job
  }

  state(job: Job): string {
    const { script } = job
    if (job.checks <= script.runningChecks || Date.now() - job.startedAt < script.minMs) {
      const statuses = script.runningStatuses
      return statuses[Math.max(0, job.checks - 1) % statuses.length] ?? 'in_progress'
    }
    job.finishedAt ??= Date.now()
    return script.outcome
  }

  /** Another import of this workspace still runs, or ended less than `gapMs` ago. */
  importsBusy(workspace: string, gapMs: number): boolean {
    return [...this.jobs.values()]
      .filter(j => j.workspace === workspace && j.operation === 'import')
      .some(j => {
        const state = this.state(j)
        if (state !== 'completed' && state !== 'failed') return true
        return Date.now() - (j.finishedAt ?? 0) < gapMs
      })
  }

  /**
   * A package as the spec's PackageResponse (the POSTs) or PackageDetailsResponse (GET by id):
   * only the latter carries `error` and `recipe_status`. A completed export's download_url is a
   * pre-signed storage URL, as in the docs' samples; a failed one's is the string "null", as in
   * one documented sample.
   */
  describe(
    job: Job,
    presign: (jobId: number) => string,
    answer: { post?: boolean; finished?: boolean } = {}
  ): Record<string, unknown> {
    const status = answer.finished
      ? job.script.outcome
      : job.checks === 0
        ? 'in_progress'
        : this.state(job)
    const final = status === job.script.outcome
    const body: Record<string, unknown> = {
      id: job.id,
      operation_type: job.operation,
      status: final ? (job.script.reportAs ?? status) : status
    }
    if (job.operation === 'export') body.export_manifest_id = Number(job.manifestId)
    body.download_url =
      job.operation !== 'export' ? null : status === 'completed' ? presign(job.id) : 'null'
    if (answer.post) return body
    if (status === 'failed') body.error = job.script.error ?? 'Something went wrong'
    if (status === 'failed' && job.script.errorParts) body.error_parts = job.script.errorParts
    const omit = (job.script as Partial<ImportScript>).omitRecipeStatus
    if (job.operation === 'import' && final && !omit) body.recipe_status = job.recipeStatus
    return body
  }
}
