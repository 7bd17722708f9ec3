/** Mode deploy's part of the release record: project, build, deployment, and the environment after it. */
import { capRows, esc } from '../shared/report.js'
import { plural } from '../shared/text.js'
import type { DeployConfig } from './inputs.js'
import type { Outcome, RunRecord } from './record.js'

export function envOf(config: DeployConfig): string {
  return config.environmentType.toUpperCase()
}

/** The headline of a deployment, by its outcome. */
export function deployHeading(record: RunRecord, config: DeployConfig, outcome: Outcome): string {
  const env = envOf(config)
  const d = record.deploy
  const build = d?.build ? ` build \`${d.build.id}\`` : ''
  const project = d?.project ? ` of project "${esc(d.project.name)}"` : ''
  switch (outcome) {
    case 'succeeded':
      return d?.deployment?.earlier === 'already deployed'
        ? `✅ Already deployed to ${env}:${build}${project} (nothing deployed again)`
        : `✅ Deployed to ${env}:${build}${project}`
    case 'rolled-back':
      return `↩️ Deployment to ${env} failed; ${env} runs build \`${record.rollback?.buildId ?? '?'}\` again`
    case 'rollback-failed':
      return `🚨 Deployment to ${env} failed and so did its rollback`
    case 'timed-out':
      return `⏱️ Deployment to ${env} timed out`
    case 'cancelled':
      return `🛑 Deployment to ${env} cancelled`
    default:
      return `❌ Deployment to ${env} failed`
  }
}

/** Lines under the headline that a green check must not hide. */
export function deployWarnings(record: RunRecord, config: DeployConfig): string[] {
  const env = envOf(config)
  const look = record.deploy?.environment
  const lines: string[] = []
  if (config.target && look?.unread) {
    lines.push(`> ⚠️ Nothing was checked in ${env}: ${esc(look.unread)}.`)
  }
  const stopped = (look?.recipes ?? []).filter(r => !r.running).length
  const unauthorized = (look?.connections ?? []).filter(c => !c.authorized).length
  if (stopped > 0) {
    lines.push(
      `> ⚠️ ${plural(stopped, 'recipe')} of ${look?.recipes?.length ?? 0} stopped in ${env} after the deployment.`
    )
  }
  if (unauthorized > 0) {
    lines.push(
      `> ⚠️ ${plural(unauthorized, 'connection')} not authorized in ${env}: connect ${unauthorized === 1 ? 'it' : 'them'} there.`
    )
  }
  if (record.deploy?.notPackage) {
    lines.push(
      `> ⚠️ The build does not look like a Workato package: ${esc(record.deploy.notPackage)}.`
    )
  }
  return lines
}

/** What the headline says was not looked at: not a warning, a limit of what the run could see. */
export function deployNotes(config: DeployConfig): string[] {
  if (config.target) return []
  const env = envOf(config)
  return [
    `> ℹ️ Nothing was checked in ${env}: a deployment reports no per-recipe result. Give target-token (an API client of the ${env} environment) to see its recipes and connections.`
  ]
}

/** The rows of the "What | Value" table. */
export function deployRows(record: RunRecord, config: DeployConfig): string[] {
  const env = envOf(config)
  const d = record.deploy
  const rows: string[] = []
  rows.push(`| DEV | ${esc(config.source.baseUrl)} |`)
  if (d?.project) {
    rows.push(
      `| Project | "${esc(d.project.name)}" (\`${d.project.id}\`${d.project.folderId ? `, folder \`${d.project.folderId}\`` : ''}) |`
    )
  }
  if (d?.build) {
    const how =
      d.build.origin === 'made'
        ? 'made by this run'
        : d.build.origin === 'given'
          ? 'given (build-id)'
          : 'made by an earlier attempt of this run'
    const by = d.build.by ? `, by ${esc(d.build.by)}` : ''
    const at = d.build.createdAt ? `, ${esc(d.build.createdAt)}` : ''
    rows.push(`| Build | \`${d.build.id}\`, ${how}, ${esc(d.build.state)}${by}${at} |`)
  }
  if (d?.deployment) {
    const earlier =
      d.deployment.earlier === 'already deployed'
        ? ', already deployed (found, not repeated)'
        : d.deployment.earlier === 'waited on'
          ? ', started earlier (waited on, not repeated)'
          : ''
    const by = d.deployment.by ? `, by ${esc(d.deployment.by)}` : ''
    rows.push(
      `| Deployment to ${env} | \`${d.deployment.id}\`, ${esc(d.deployment.state)}${earlier}${by} |`
    )
  }
  if (d?.previous && config.rollbackOnFailure) {
    rows.push(
      `| Last good deployment to ${env} before | \`${d.previous.id}\`, build \`${d.previous.buildId ?? '?'}\` |`
    )
  }
  return rows
}

/** The environment after the deployment: its recipes (stopped first) and connections. */
export function environmentMarkdown(
  record: RunRecord,
  config: DeployConfig,
  recipeLink: (id: string) => string
): string[] {
  const env = envOf(config)
  const look = record.deploy?.environment
  if (!look || look.unread || !look.recipes) return []
  const recipes = [...look.recipes].sort((a, b) => Number(a.running) - Number(b.running))
  const running = recipes.filter(r => r.running).length
  const lines = [
    `### In ${env} after the deployment: ${running} of ${plural(recipes.length, 'recipe')} running`,
    ''
  ]
  if (recipes.length > 0) {
    lines.push('| | Recipe | Stop cause |', '|---|---|---|')
    const rows = recipes.map(
      r =>
        `| ${r.running ? '✅ running' : '⏸️ stopped'} | ${recipeLink(r.id)} | ${esc(r.stopCause ?? '')} |`
    )
    lines.push(...capRows(rows, n => `| | … and ${n} more | |`), '')
  }
  const connections = [...(look.connections ?? [])].sort(
    (a, b) => Number(a.authorized) - Number(b.authorized)
  )
  if (connections.length > 0) {
    lines.push('| | Connection | Application |', '|---|---|---|')
    const rows = connections.map(
      c =>
        `| ${c.authorized ? '✅ authorized' : '❌ not authorized'} | ${esc(c.name)} | ${esc(c.application)} |`
    )
    lines.push(...capRows(rows, n => `| | … and ${n} more | |`), '')
  }
  return lines
}

/** How a rollback by redeployment ended, or why there was none. */
export function redeployMarkdown(record: RunRecord, config: DeployConfig): string[] {
  const env = envOf(config)
  const { rollback, rollbackSkipped } = record
  if (!rollback)
    return rollbackSkipped ? ['### Rollback: not done', '', `${esc(rollbackSkipped)}.`, ''] : []
  const how = rollback.problem
    ? `❌ failed: ${esc(rollback.problem)}`
    : `✅ ${env} runs build \`${rollback.buildId ?? '?'}\` again`
  const dep = rollback.deploymentId ? ` (deployment \`${rollback.deploymentId}\`)` : ''
  return [`### Rollback${dep}: ${how}`, '']
}
